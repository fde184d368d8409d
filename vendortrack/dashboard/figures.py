"""The dashboard's figures, each from a fixed number of aggregate queries whatever the size of
the register: the database counts, Python only folds a bounded number of rows."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import exists, func, select, union_all

from vendortrack.accounts.models import User
from vendortrack.compliance.register import status_counts
from vendortrack.compliance.rules import STATUSES
from vendortrack.dashboard.models import ComplianceSnapshot
from vendortrack.extensions import db
from vendortrack.register.catalogue import categories
from vendortrack.register.models import DataSharing, Level, Vendor, VendorStatus

MONTHS_AHEAD = 12
NOTICE_DAYS = 60
LIST_LIMIT = 20
MAP_VENDORS = 25


def _live():
    return Vendor.status != VendorStatus.TERMINATED


def tier_counts() -> dict[Level, int]:
    """{risk tier: how many vendors}, highest tier first, terminated vendors left out."""
    # Counted for every status, in the order of the (status, risk_tier) index, which the database
    # then reads alone; leaving out a status in SQL would make it read the table's rows too.
    rows = db.session.execute(
        select(Vendor.status, Vendor.risk_tier, func.count()).group_by(
            Vendor.status, Vendor.risk_tier
        )
    ).all()
    found = dict.fromkeys(sorted(Level, reverse=True), 0)
    for status, tier, n in rows:
        if status != VendorStatus.TERMINATED:
            found[tier] += n
    return found


def month_starts(today: date, months: int = MONTHS_AHEAD) -> list[date]:
    """The first day of this month and of the months after it."""
    return [
        date(today.year + (today.month - 1 + n) // 12, (today.month - 1 + n) % 12 + 1, 1)
        for n in range(months + 1)
    ]


def fold_months(due: list[tuple[date, int]], today: date) -> list[tuple[date, int]]:
    """[(first day of month, reviews due that month)] for this month and the next eleven."""
    starts = month_starts(today)
    totals = dict.fromkeys(starts[:-1], 0)
    for day, n in due:
        if today <= day < starts[-1]:
            totals[day.replace(day=1)] += n
    return sorted(totals.items())


def reviews_by_month(today: date) -> list[tuple[date, int]]:
    """Reviews falling due from today to the end of the twelfth month, month by month."""
    # Grouped by day in SQL (at most 366 rows), by month in Python: month arithmetic differs
    # between SQLite and PostgreSQL, day grouping does not.
    end = month_starts(today)[-1]
    rows = db.session.execute(
        select(Vendor.review_due_on, func.count())
        .where(_live(), Vendor.review_due_on >= today, Vendor.review_due_on < end)
        .group_by(Vendor.review_due_on)
    ).all()
    return fold_months([(day, n) for day, n in rows], today)


@dataclass(frozen=True)
class DueList:
    rows: list  # (vendor id, name, due date, owner name or None)
    total: int


def _due_list(column, *where) -> DueList:
    rows = db.session.execute(
        select(Vendor.id, Vendor.name, column, User.name)
        .outerjoin(User, User.id == Vendor.owner_id)
        .where(_live(), *where)
        .order_by(column, Vendor.name_key)
        .limit(LIST_LIMIT)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(Vendor).where(_live(), *where))
    return DueList([tuple(row) for row in rows], total or 0)


def overdue_reviews(today: date) -> DueList:
    """The vendors whose review is past due, longest overdue first."""
    return _due_list(Vendor.review_due_on, Vendor.review_due_on < today)


def notice_deadlines(today: date, days: int = NOTICE_DAYS) -> DueList:
    """The vendors whose last day to give notice falls within `days`, nearest first."""
    window = Vendor.notice_deadline_on.between(today, today + timedelta(days=days))
    return _due_list(Vendor.notice_deadline_on, window)


def category_counts() -> dict[str, int]:
    """{category code: how many vendors receive it}, most shared first."""
    # A vendor has at most one row per category (a unique key), so rows are vendors. Every row
    # counted from the category index, less the few of terminated vendors: asking each row
    # whether its vendor is terminated would read a vendor per row, ten times slower.
    every = _per_category(select(DataSharing.category, func.count()))
    ended = _per_category(
        select(DataSharing.category, func.count())
        .join(Vendor, Vendor.id == DataSharing.vendor_id)
        .where(Vendor.status == VendorStatus.TERMINATED)
    )
    found = {code: n - ended.get(code, 0) for code, n in every.items()}
    return dict(
        sorted(((c, n) for c, n in found.items() if n), key=lambda item: (-item[1], item[0]))
    )


def _per_category(query) -> dict[str, int]:
    return dict(db.session.execute(query.group_by(DataSharing.category)).all())


@dataclass
class DataMap:
    vendors: list = field(default_factory=list)  # (vendor id, name, risk tier)
    categories: list[str] = field(default_factory=list)
    cells: set[tuple[int, str]] = field(default_factory=set)  # (vendor id, category)


def data_map(limit: int = MAP_VENDORS) -> DataMap:
    """Which categories the riskiest vendors receive: a vendor-by-category matrix."""
    rows = db.session.execute(
        select(Vendor.id, Vendor.name, Vendor.risk_tier, DataSharing.category)
        .join(DataSharing, DataSharing.vendor_id == Vendor.id)
        .where(Vendor.id.in_(_riskiest(limit)))
        .order_by(Vendor.risk_tier.desc(), Vendor.name_key)
    ).all()
    found = DataMap()
    for vendor_id, name, tier, category in rows:
        if not found.vendors or found.vendors[-1][0] != vendor_id:
            found.vendors.append((vendor_id, name, tier))
        found.cells.add((vendor_id, category))
    shared = {category for _, category in found.cells}
    # Catalogue order, which groups related kinds of information; unknown codes last.
    order = list(categories())
    found.categories = sorted(
        shared, key=lambda c: (order.index(c) if c in order else len(order), c)
    )
    return found


def _riskiest(limit: int):
    """The ids of the first `limit` vendors with information shared, highest tier first, then by
    name. Each tier's first `limit` are read in name order from the (risk_tier, name_key) index
    and the database keeps the first of those: highest tier first and names in alphabetical
    order cannot both be one index's order, and sorting a whole tier would read every vendor."""
    shares = exists().where(DataSharing.vendor_id == Vendor.id)
    per_tier = [
        select(Vendor.id, Vendor.risk_tier, Vendor.name_key)
        .where(Vendor.risk_tier == tier, _live(), shares)
        .order_by(Vendor.name_key)
        .limit(limit)
        .subquery()
        for tier in Level
    ]
    candidates = union_all(*(select(*tier.c) for tier in per_tier)).subquery()
    return (
        select(candidates.c.id)
        .order_by(candidates.c.risk_tier.desc(), candidates.c.name_key)
        .limit(limit)
        .scalar_subquery()
    )


def record_snapshot(today: date, counts: dict[str, int]) -> ComplianceSnapshot:
    """Store these counts as today's snapshot, replacing one taken earlier today. Flushes."""
    snapshot = db.session.get(ComplianceSnapshot, today) or ComplianceSnapshot(day=today)
    snapshot.compliant, snapshot.action, snapshot.overdue = (
        counts["compliant"],
        counts["action"],
        counts["overdue"],
    )
    snapshot.total = sum(counts[status] for status in STATUSES)
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def take_snapshot(today: date) -> ComplianceSnapshot:
    """Count the register's statuses now and store them as today's snapshot. Flushes."""
    return record_snapshot(today, status_counts(today))


def has_snapshot(today: date) -> bool:
    return (
        db.session.scalar(select(ComplianceSnapshot.day).where(ComplianceSnapshot.day == today))
        is not None
    )


def snapshots(today: date, days: int = 180) -> list[ComplianceSnapshot]:
    """The snapshots of the last `days` days up to today, oldest first."""
    since = today - timedelta(days=days)
    return list(
        db.session.scalars(
            select(ComplianceSnapshot)
            .where(ComplianceSnapshot.day > since, ComplianceSnapshot.day <= today)
            .order_by(ComplianceSnapshot.day)
        )
    )
