"""Rate limits on the questionnaire link pages, the only pages open without signing in.

Every request to them is counted for a window, in the database so that every worker counts the
same: per link, per address, and, apart, the links from an address that opened nothing. Past a
limit the pages answer "too many requests" until the window holds fewer. A guesser gets a
handful of tries per window; a vendor answering, hundreds of saves.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from vendortrack.accounts.throttling import minutes_left, stored_address
from vendortrack.extensions import db
from vendortrack.questionnaires.models import LinkHit


@dataclass(frozen=True)
class Keys:
    """What one request is counted under."""

    address: str | None
    token: str  # the token's hash, or part of it

    @property
    def by_address(self) -> str | None:
        return f"address:{self.address}" if self.address else None

    @property
    def misses(self) -> str | None:
        return f"miss:{self.address}" if self.address else None

    @property
    def by_token(self) -> str:
        # Half the hash names a link well enough to count it, and fits the column.
        return f"token:{self.token[:32]}"


def keys_for(address: str | None, token_hash: str) -> Keys:
    return Keys(stored_address(address), token_hash)


def window() -> timedelta:
    return timedelta(minutes=current_app.config["LINK_WINDOW_MINUTES"])


def prune(now: datetime) -> None:
    """Forget the requests older than the window: on every request, so the table never holds
    more than one window's (the index on `at` makes it cheap)."""
    db.session.execute(delete(LinkHit).where(LinkHit.at <= now - window()))


def wait_minutes(keys: Keys, now: datetime, with_token: bool) -> int | None:
    """Minutes until this request may be answered; None if it may be now. Checked in two
    steps: the address's limits first, then (`with_token`, once the link is known to open a
    questionnaire) the link's own."""
    config = current_app.config
    if with_token:
        limits = [(keys.by_token, config["LINK_MAX_REQUESTS_PER_TOKEN"])]
    else:
        limits = [
            (keys.by_address, config["LINK_MAX_REQUESTS_PER_ADDRESS"]),
            (keys.misses, config["LINK_MAX_MISSES_PER_ADDRESS"]),
        ]
    ends = [_oldest_counted(key, limit, now) for key, limit in limits if key]
    until = max((end + window() for end in ends if end is not None), default=None)
    return None if until is None else minutes_left(until, now)


def _oldest_counted(key: str, limit: int, now: datetime) -> datetime | None:
    """The limit-th latest hit of a key within the window, if it has that many."""
    query = (
        select(LinkHit.at)
        .where(LinkHit.key == key, LinkHit.at > now - window())
        .order_by(LinkHit.at.desc())
        .offset(max(limit, 1) - 1)
        .limit(1)
    )
    return db.session.scalar(query)


def count(keys: Keys, now: datetime, opened: bool) -> None:
    """Count this request: under its address, and under its link, or as a miss."""
    counted = [keys.by_address, keys.by_token if opened else keys.misses]
    db.session.add_all(LinkHit(key=key, at=now) for key in counted if key)
    db.session.flush()
