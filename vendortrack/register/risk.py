"""The risk tier rule: how much harm a vendor could do with our information.

The rule, also in the README:
1. Start from the higher of the vendor's criticality to the business and the sensitivity of the most
   sensitive category of information it receives (both on the scale low, medium, high, critical).
2. Go up one tier if any category reaches 100,000 records or more (volume).
3. Go up one tier if any information is stored or processed outside our home country.
4. Stop at critical. An administrator may override the result, with a recorded justification.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from vendortrack.geography import country_of
from vendortrack.register.catalogue import categories
from vendortrack.register.models import Level

LARGE_VOLUME = 100_000


@dataclass(frozen=True)
class SharingFacts:
    category: str
    record_count: int | None
    location_codes: tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    """Why a tier was reached: a code the interface translates, with the values it mentions."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    tier: Level
    reasons: tuple[Reason, ...]


def assess_risk(
    criticality: Level, sharings: Iterable[SharingFacts], home_country: str
) -> Assessment:
    """Apply the risk tier rule to a vendor's criticality and the information it receives."""
    sharings = list(sharings)
    reasons = [Reason("criticality", {"level": criticality})]
    tier = int(criticality)
    if not sharings:
        reasons.append(Reason("no_sharing"))
        return Assessment(Level(tier), tuple(reasons))

    top = max(sharings, key=lambda s: _sensitivity(s.category))
    sensitivity = _sensitivity(top.category)
    reasons.append(Reason("sensitivity", {"category": top.category, "level": Level(sensitivity)}))
    tier = max(tier, sensitivity)

    largest = max((s.record_count or 0) for s in sharings)
    if largest >= LARGE_VOLUME:
        reasons.append(Reason("volume", {"records": largest, "threshold": LARGE_VOLUME}))
        tier += 1

    abroad = sorted(
        {c for s in sharings for c in s.location_codes if country_of(c) != home_country}
    )
    if abroad:
        reasons.append(Reason("cross_border", {"locations": abroad}))
        tier += 1

    return Assessment(Level(min(tier, Level.CRITICAL)), tuple(reasons))


def _sensitivity(category: str) -> int:
    entry = categories().get(category)
    return max(entry.sensitivity, Level.LOW) if entry else Level.LOW
