"""How long a sign-in lasts, and what a session keeps across signing in and out.

A session ends when its user signs out (User.session_counter ends it on the server, in every
browser), after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after signing in
however busy. Flask keeps the session in a signed cookie: both times travel in it, where nobody
can change them without the secret key, so a copy of the cookie ends when the original would.
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, session
from flask_login import login_user

from vendortrack.accounts.models import User
from vendortrack.database import utcnow

# Whole seconds since the epoch, which the session's JSON keeps exactly.
SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"


class Ending(enum.Enum):
    IDLE = "idle"
    MAX_AGE = "max age"
    # No times: opened before this version, or from a remember-me cookie (which VendorTrack
    # never sets; one would otherwise outlive every limit).
    UNDATED = "undated"


@dataclass(frozen=True)
class Limits:
    idle: timedelta
    longest: timedelta

    @classmethod
    def from_config(cls, config: Mapping) -> "Limits":
        return cls(
            idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
            longest=timedelta(hours=config["SESSION_MAX_HOURS"]),
        )


def ending(
    signed_in_at: datetime | None, seen_at: datetime | None, now: datetime, limits: Limits
) -> Ending | None:
    """Why a session signed in and last used at these times is over by `now`, or None."""
    if signed_in_at is None or seen_at is None:
        return Ending.UNDATED
    if now - signed_in_at > limits.longest:
        return Ending.MAX_AGE
    if now - seen_at > limits.idle:
        return Ending.IDLE
    return None


def start(user: User) -> None:
    """Sign the user in on a new session: nothing from before signing in carries over."""
    _renew(session.get("language"))
    login_user(user)
    session[SIGNED_IN_AT] = session[SEEN_AT] = _stamp(utcnow())


def resume() -> Ending | None:
    """Why the signed-in session is over, or None, after noting this request as its latest use."""
    now = utcnow()
    limits = Limits.from_config(current_app.config)
    over = ending(_time(SIGNED_IN_AT), _time(SEEN_AT), now, limits)
    if over is None:
        # Flask then sends the cookie again with every response: a small price for an idle
        # limit that needs no server-side store.
        session[SEEN_AT] = _stamp(now)
    return over


def end(language: str | None) -> None:
    """Forget the session, keeping a language for the sign-in page that follows."""
    _renew(language or session.get("language"))


def _renew(language: str | None) -> None:
    # A cookie session has no identifier to rotate: emptying it is how it starts anew. Only the
    # language is kept; everything else goes, the CSRF secret above all, so that what anybody
    # planted in or read from the session before is worthless after.
    session.clear()
    if language:
        session["language"] = language


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def _time(key: str) -> datetime | None:
    value = session.get(key)
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int) else None
