"""When a vendor's next review is due: our policy's interval from the last review, brought
forward by events that ask for an earlier look. Pure: dates in, a date and its reasons out."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

# An event (new information shared, a new country, an incident) asks for a review within this.
EARLY_REVIEW_DAYS = 30
# A contract that renews by itself is reviewed this long before the last day to give notice.
BEFORE_NOTICE_DAYS = 30


@dataclass(frozen=True)
class Due:
    on: date
    reasons: tuple[tuple[str, dict], ...] = field(default_factory=tuple)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 January + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def notice_deadline(contract_end: date | None, notice_days: int | None) -> date | None:
    """The last day to give notice before the contract ends or renews."""
    if contract_end is None:
        return None
    # A notice period longer than the calendar behind the contract means "already past".
    days = min(notice_days or 0, (contract_end - date.min).days)
    return contract_end - timedelta(days=days)


def review_due(
    start: date,
    months: int,
    triggers: Iterable[tuple[str, date]] = (),
    deadline: date | None = None,
) -> Due:
    """The next review date: `months` after `start` (the last review, or the vendor's first data
    sharing, or its creation), earlier if an event since `start` or a notice deadline asks."""
    due = add_months(start, months)
    reasons: list[tuple[str, dict]] = [("policy", {"months": months, "start": start})]
    for kind, raised_on in triggers:
        early = min(max(raised_on, start), date.max - timedelta(days=EARLY_REVIEW_DAYS))
        early += timedelta(days=EARLY_REVIEW_DAYS)
        due = min(due, early)
        reasons.append((kind, {"on": raised_on}))
    if deadline is not None and deadline > start:
        before = deadline - timedelta(days=BEFORE_NOTICE_DAYS)
        if before < due:
            due = max(before, start)
            reasons.append(("renewal", {"deadline": deadline}))
    return Due(due, tuple(reasons))


@dataclass(frozen=True)
class ScheduleFacts:
    """What a vendor's next review date depends on."""

    terminated: bool
    months: int  # the policy's interval for the vendor's tier
    recorded_on: date  # when the vendor was recorded
    first_shared_on: date | None  # the earliest "shared since" of its data sharing
    first_sharing_recorded_on: date | None  # when its first data sharing row was recorded
    last_review_on: date | None = None
    triggers: tuple[tuple[str, date], ...] = ()
    contract_end: date | None = None
    notice_period_days: int | None = None

    @property
    def baseline(self) -> date:
        # A vendor never reviewed is first due an interval after it began receiving information
        # (the earlier of its rows' first "shared since" and the day the first was recorded),
        # or, with none, after it was recorded.
        candidates = [d for d in (self.first_shared_on, self.first_sharing_recorded_on) if d]
        return min(candidates) if candidates else self.recorded_on

    @property
    def notice_deadline(self) -> date | None:
        """The last day to give notice, as the vendor row stores it; None once terminated."""
        if self.terminated:
            return None
        return notice_deadline(self.contract_end, self.notice_period_days)


def next_review(facts: ScheduleFacts) -> Due | None:
    """When the vendor's next review is due and why; None for a terminated vendor."""
    if facts.terminated:
        return None
    start = facts.last_review_on or facts.baseline
    deadline = facts.notice_deadline
    last = facts.last_review_on
    if deadline and last and last >= deadline - timedelta(BEFORE_NOTICE_DAYS):
        deadline = None  # that review was the one before this renewal
    return review_due(start, facts.months, facts.triggers, deadline)
