"""Slowing down password guessing: failed sign-ins are counted in the database, per email and
per client address, so that every worker of the app enforces the same limits. A wrong current
password on the password-change form counts as a failed sign-in with that account's email: a
stolen session must not give a guesser more tries than the sign-in page does.

A key (an email, an address) is locked while the last window holds its limit of failures or
more, and opens again once the oldest of those leaves the window. Attempts made while locked are
refused without looking at the password, and are not counted: a guesser gets the limit's
number of tries per window, and an account's owner is locked out no longer than a window after
the guessing stops. Functions flush; the caller commits.
"""

import hashlib
import hmac
import ipaddress
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from vendortrack.accounts.models import LoginFailure, User, normalise_email
from vendortrack.accounts.services import authenticate
from vendortrack.extensions import db

ADDRESS_LENGTH = 64  # the column's; longer values only come from a misconfigured proxy


@dataclass
class Attempt:
    """A sign-in's outcome: the user it signs in, or the minutes to wait while locked."""

    user: User | None = None
    locked_minutes: int | None = None


def attempt_sign_in(email: str, password: str, address: str | None, now: datetime) -> Attempt:
    """Check the throttle, then the password; count the failure or clear the account's.
    Flushes; the caller commits."""
    return _attempt(email, address, now, lambda: authenticate(email, password))


def attempt_current_password(
    user: User, password: str, address: str | None, now: datetime
) -> Attempt:
    """The same for a signed-in user typing their current password. Flushes; the caller
    commits."""
    return _attempt(
        user.email, address, now, lambda: user if user.check_password(password) else None
    )


def _attempt(
    email: str, address: str | None, now: datetime, check: Callable[[], User | None]
) -> Attempt:
    _prune(now)
    _serialise(email)
    until = locked_until(email, address, now)
    if until is not None:
        return Attempt(locked_minutes=minutes_left(until, now))
    user = check()
    if user is None:
        record_failure(email, address, now)
    else:
        clear_failures(email)
    return Attempt(user=user)


def _prune(now: datetime) -> None:
    # On every attempt, so the table never holds more than one window of failures; the index
    # on failed_at makes it cheap.
    db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - window()))


def _serialise(email: str) -> None:
    """On PostgreSQL, one attempt at a time per account until the caller commits, so that
    workers guessing at once cannot each pass the check before any failure is counted.

    SQLite would have to lock the whole database for every sign-in; there concurrent attempts
    can exceed the limit by at most the number of workers.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        lock_id = int(account_key(email)[:15], 16)  # 60 bits: fits a bigint
        db.session.execute(select(func.pg_advisory_xact_lock(lock_id)))


def account_key(email: str) -> str:
    """The keyed hash that stands for an email in the failures table.

    Keyed with the app's secret rather than a plain SHA-256: email addresses are easy to guess,
    so a plain hash of one could be found again by hashing a staff list. All workers share the
    secret already (for sessions); changing it only forgets the last window's failures.
    """
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, normalise_email(email).encode(), hashlib.sha256).hexdigest()


def window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])


def locked_until(email: str, address: str | None, now: datetime) -> datetime | None:
    """When sign-in with this email, or from this address, opens again; None if it is open."""
    config = current_app.config
    limits = [(LoginFailure.account_key == account_key(email), config["LOGIN_MAX_FAILURES"])]
    if address:
        # No address (a server that was not told one) must not make one lock for everybody.
        limits.append(
            (
                LoginFailure.address == stored_address(address),
                config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
            )
        )
    ends = [_oldest_counted(key, limit, now) for key, limit in limits]
    return max((end + window() for end in ends if end is not None), default=None)


def _oldest_counted(key, limit: int, now: datetime) -> datetime | None:
    """The limit-th latest failure of a key within the window, if it has that many: the key
    stays locked until that one leaves the window."""
    query = (
        select(LoginFailure.failed_at)
        .where(key, LoginFailure.failed_at > now - window())
        .order_by(LoginFailure.failed_at.desc())
        .offset(max(limit, 1) - 1)
        .limit(1)
    )
    return db.session.scalar(query)


def minutes_left(until: datetime, now: datetime) -> int:
    """Whole minutes to wait, rounded up so that trying again then works."""
    return max(1, math.ceil((until - now).total_seconds() / 60))


def record_failure(email: str, address: str | None, now: datetime) -> None:
    """Count a failed sign-in."""
    db.session.add(
        LoginFailure(account_key=account_key(email), address=stored_address(address), failed_at=now)
    )
    db.session.flush()


def clear_failures(email: str) -> None:
    """Forget an account's failures once its owner has signed in.

    Only that email's rows go: they also leave the address's count, but failures against other
    accounts from the same address stay counted.
    """
    db.session.execute(delete(LoginFailure).where(LoginFailure.account_key == account_key(email)))
    db.session.flush()


def stored_address(address: str | None) -> str | None:
    """The address as counted: an IPv6 client counts as its /64, since it can use a new
    address of its network for every attempt."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:ADDRESS_LENGTH]
    if ip.version == 6 and not ip.ipv4_mapped:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
