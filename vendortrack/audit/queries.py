"""Reading the audit trail: filters from the URL, one page of entries, and the CSV export.

Entries carry the person's email and the vendor's id, so a page is a count and one query joined to
the vendors for their names, whatever its length. Nothing here writes: the trail is append-only.
"""

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import Select, func, select

from vendortrack.accounts.models import User
from vendortrack.database import MAX_INTEGER
from vendortrack.extensions import db
from vendortrack.forms import whole_number
from vendortrack.paging import Page, page_number
from vendortrack.register.models import Vendor
from vendortrack.trail.models import AuditEntry
from vendortrack.trail.recorder import TRACKED

ACTIONS = ("view", "export", "create", "update", "delete")
# What is exported whole, besides the kinds of record the recorder names: the trail itself and
# a vendor's evidence pack.
EXPORTED_WHOLE = ("audit_entry", "evidence_pack")
FILTERS = ("user", "vendor", "action", "entity", "start", "end")
# An exported entry's columns: in the trail's export, and (but the vendor's) in the vendor's
# evidence pack.
EXPORT_COLUMNS = (
    "time_utc",
    "user_email",
    "ip_address",
    "actor",
    "action",
    "entity",
    "entity_id",
    "vendor_id",
    "vendor_name",
    "changes",
)
EXPORT_BATCH = 1000  # entries fetched from the database at a time while exporting
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class AuditFilter:
    """Which entries to show, as read from the query string. Values not understood are dropped
    and named in `ignored`, so a stale bookmark shows a notice instead of an error."""

    user: int | None = None
    vendor: int | None = None
    action: str | None = None
    entity: str | None = None
    start: date | None = None  # first and last local day, both included
    end: date | None = None
    page: int = 1
    zone: tzinfo = UTC  # where the days are days
    ignored: list[str] = field(default_factory=list)

    def args(self, **changes) -> dict:
        """The query-string arguments that reproduce this view, with some changed."""
        values = {
            "user": self.user,
            "vendor": self.vendor,
            "action": self.action,
            "entity": self.entity,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "page": self.page if self.page != 1 else None,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}

    @property
    def active(self) -> bool:
        return any(getattr(self, name) is not None for name in FILTERS)


def parse_filters(args, zone: tzinfo) -> AuditFilter:
    """Read the trail's filters from request arguments, ignoring what is not understood.

    zone is the time zone in which the first and last days are read.
    """
    f = AuditFilter(zone=zone)
    for name in ("user", "vendor"):
        _parse_id(f, args, name)
    for name, choices in (("action", ACTIONS), ("entity", entities())):
        value = args.get(name)
        if value in choices:
            setattr(f, name, value)
        elif value:
            f.ignored.append(name)
    for name in ("start", "end"):
        _parse_day(f, args, name)
    f.page = max(whole_number(args.get("page", "1")) or 1, 1)
    return f


def entities() -> tuple[str, ...]:
    """Every kind of record an entry may name (the tracked models are known once defined)."""
    return (*(tracked.entity for tracked in TRACKED.values()), *EXPORTED_WHOLE)


def _parse_id(f: AuditFilter, args, name: str) -> None:
    value = args.get(name)
    if not value:
        return
    number = whole_number(value)
    # A larger number names no row, and PostgreSQL would refuse to compare it with an id.
    if number is not None and 0 < number <= MAX_INTEGER:
        setattr(f, name, number)
    else:
        f.ignored.append(name)


def _parse_day(f: AuditFilter, args, name: str) -> None:
    value = args.get(name)
    if not value:
        return
    try:
        if not (value.isascii() and ISO_DAY.fullmatch(value)):
            raise ValueError(value)
        day = date.fromisoformat(value)
        _utc_midnight(day + timedelta(days=1), f.zone)  # the bounds exist: not year 1 or 9999
    except (ValueError, OverflowError):
        f.ignored.append(name)
    else:
        setattr(f, name, day)


def _utc_midnight(day: date, zone: tzinfo) -> datetime:
    """The instant a local day starts, in UTC."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def conditions(f: AuditFilter) -> list:
    where = []
    if f.user is not None:
        where.append(AuditEntry.user_id == f.user)
    if f.vendor is not None:
        where.append(AuditEntry.vendor_id == f.vendor)
    if f.action:
        where.append(AuditEntry.action == f.action)
    if f.entity:
        where.append(AuditEntry.entity == f.entity)
    if f.start:
        where.append(AuditEntry.at >= _utc_midnight(f.start, f.zone))
    if f.end:
        where.append(AuditEntry.at < _utc_midnight(f.end + timedelta(days=1), f.zone))
    return where


def entries_query(f: AuditFilter) -> Select:
    """Rows of (entry, vendor name) matching the filter, newest first; the name is None when the
    entry names no vendor or the vendor has since been deleted."""
    return (
        select(AuditEntry, Vendor.name.label("vendor_name"))
        .outerjoin(Vendor, Vendor.id == AuditEntry.vendor_id)
        .where(*conditions(f))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )


def entry_page(f: AuditFilter, per_page: int) -> Page:
    """One page of entries: two queries (count and rows), however long the trail."""
    total = db.session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions(f)))
    page = page_number(f.page, total, per_page)
    rows = db.session.execute(entries_query(f).limit(per_page).offset((page - 1) * per_page))
    return Page(rows.all(), total, page, per_page)


def people() -> list:
    """Everyone who has an account, deactivated people too, for the person filter."""
    return db.session.execute(select(User.id, User.name, User.email).order_by(User.name)).all()


def vendor_name(vendor_id: int | None) -> str | None:
    """The name of the vendor the trail is filtered on, if it still exists."""
    if vendor_id is None:
        return None
    return db.session.scalar(select(Vendor.name).where(Vendor.id == vendor_id))


def export_rows(f: AuditFilter) -> Iterator[list[str]]:
    """The export's rows for the entries the filter selects, newest first, a batch at a time."""
    query = entries_query(f).execution_options(yield_per=EXPORT_BATCH)
    for entry, vendor_name in db.session.execute(query):
        yield entry_row(entry, vendor_name)


def entry_row(
    entry: AuditEntry, vendor_name: str | None = None, columns: Sequence[str] = EXPORT_COLUMNS
) -> list[str]:
    """An entry as the cells of an exported row, in the order of `columns`."""
    cells = {
        "time_utc": entry.at.astimezone(UTC).isoformat(),
        "user_email": entry.user_email or "",
        "ip_address": entry.ip_address or "",
        "actor": entry.actor or "",
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": _cell(entry.entity_id),
        "vendor_id": _cell(entry.vendor_id),
        "vendor_name": vendor_name or "",
        "changes": json.dumps(entry.changes or {}, sort_keys=True, ensure_ascii=False),
    }
    return [cells[column] for column in columns]


def _cell(number: int | None) -> str:
    return "" if number is None else str(number)
