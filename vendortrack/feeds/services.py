"""The feed's secret address, and the dates it carries: review due dates and notice deadlines."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.feeds.ical import Event, write_calendar
from vendortrack.i18n import format_day
from vendortrack.links import Link, link_builder
from vendortrack.register.models import Vendor, VendorStatus
from vendortrack.reviews.schedule import add_months

REVIEW = "review"
NOTICE = "notice"
# Managers and administrators hear of what no active owner follows (as with reminders), so their
# calendar shows those dates too; legal and owners see the vendors they own.
COVERING_ROLES = frozenset({Role.ADMIN, Role.MANAGER})
# Far enough back to show what is overdue, far enough ahead for an 18-month contract horizon.
DAYS_BACK = 60
MONTHS_AHEAD = 18
# A bound on the answer whatever the register grows to: calendar programs give up on huge feeds.
MAX_EVENTS = 5000
PRODID = "-//VendorTrack//Calendar feed//EN"
# Calendar programs poll on their own schedule; this asks for no more than the cache allows.
REFRESH = timedelta(hours=1)
CALENDAR_NAME = _l("VendorTrack due dates")


@dataclass(frozen=True)
class Deadline:
    kind: str  # REVIEW or NOTICE
    on: date
    vendor_id: int
    vendor_name: str
    contract_end: date | None
    unowned: bool  # in the feed because no active owner follows the vendor


def issue_token(user: User) -> str:
    """Give the user a new feed secret and return it; only its hash is kept. Flushes.

    Replaces any earlier secret, so resetting the feed is issuing a new one: the old address
    stops working at once.
    """
    token = secrets.token_urlsafe(32)
    user.calendar_token_hash = token_hash(token)
    db.session.flush()
    return token


def revoke_token(user: User) -> None:
    """Turn the user's feed off: its address stops working. Flushes."""
    user.calendar_token_hash = None
    db.session.flush()


def token_hash(token: str) -> str:
    """Hash a feed secret as the database keeps it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def user_for_token(token: str) -> User | None:
    """Find the active user whose feed this secret opens, or None."""
    # Looked up by its hash through the unique index: how long the comparison takes could at
    # most reveal the start of a hash, which tells nothing about any secret.
    return db.session.scalar(
        select(User).where(User.calendar_token_hash == token_hash(token), User.active.is_(True))
    )


def feed_url(token: str) -> str:
    """Return the address of the feed this secret opens, on the configured base URL."""
    return link_builder(current_app.config["BASE_URL"])("feeds.feed", token=token)


def deadlines_for(user: User, today: date) -> list[Deadline]:
    """List the review due dates and notice deadlines the user's feed shows, soonest first."""
    start, end = today - timedelta(days=DAYS_BACK), add_months(today, MONTHS_AHEAD)
    found = [
        *_deadlines(REVIEW, Vendor.review_due_on, user, start, end),
        *_deadlines(NOTICE, Vendor.notice_deadline_on, user, start, end),
    ]
    found.sort(key=lambda d: (d.on, d.vendor_name.casefold(), d.kind))
    return found[:MAX_EVENTS]


def _deadlines(kind: str, column, user: User, start: date, end: date) -> list[Deadline]:
    owner = aliased(User)
    query = (
        select(Vendor.id, Vendor.name, column, Vendor.contract_end, Vendor.owner_id)
        .outerjoin(owner, Vendor.owner_id == owner.id)
        .where(
            Vendor.status != VendorStatus.TERMINATED,
            column.between(start, end),
            _followed_by(user, owner),
        )
        .order_by(column, Vendor.id)
        .limit(MAX_EVENTS)
    )
    return [
        Deadline(kind, on, vendor_id, name, contract_end, owner_id != user.id)
        for vendor_id, name, on, contract_end, owner_id in db.session.execute(query)
    ]


def _followed_by(user: User, owner):
    mine = Vendor.owner_id == user.id
    if user.role not in COVERING_ROLES:
        return mine
    return or_(mine, Vendor.owner_id.is_(None), owner.active.is_(False))


def calendar_for(user: User, today: date, now: datetime) -> bytes:
    """Write the user's feed, in their language: dates around `today`, stamped `now`."""
    config = current_app.config
    link = link_builder(config["BASE_URL"])
    host = urlsplit(config["BASE_URL"]).hostname or "vendortrack"
    deadlines = deadlines_for(user, today)
    with force_locale(user.language if user.language in config["LANGUAGES"] else "en"):
        events = [deadline_event(d, link, host) for d in deadlines]
        name = str(CALENDAR_NAME)
    return write_calendar(
        events,
        name=name,
        prodid=PRODID,
        stamp=now,
        timezone=config["BABEL_DEFAULT_TIMEZONE"],
        refresh=REFRESH,
    )


def deadline_event(deadline: Deadline, link: Link, host: str) -> Event:
    """Describe one deadline as a calendar event, in the current language."""
    url = link("vendors.detail", vendor_id=deadline.vendor_id)
    summary, *lines = _wording(deadline)
    if deadline.unowned:
        lines.append(_("This vendor has no active owner."))
    # Calendar programs seldom show the URL property; the description carries the link too.
    lines.append(url)
    return Event(
        # The date is part of the identity: a moved deadline is a new event, which every program
        # shows at once, rather than an update some would ignore without a SEQUENCE number.
        uid=f"{deadline.kind}-{deadline.vendor_id}-{deadline.on:%Y%m%d}@{host}",
        day=deadline.on,
        summary=summary,
        description="\n".join(lines),
        url=url,
    )


def _wording(deadline: Deadline) -> list[str]:
    vendor, on = deadline.vendor_name, format_day(deadline.on, "long")
    if deadline.kind == REVIEW:
        return [
            _("Review due: %(vendor)s", vendor=vendor),
            _("The next review of %(vendor)s is due on %(date)s.", vendor=vendor, date=on),
        ]
    lines = [
        _("Last day to give notice: %(vendor)s", vendor=vendor),
        _("The last day to give notice on the contract is %(deadline)s.", deadline=on),
    ]
    if deadline.contract_end:
        end = format_day(deadline.contract_end, "long")
        lines.append(_("The contract ends or renews on %(date)s.", date=end))
    return lines
