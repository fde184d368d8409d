"""Planning: find what is due today and add the reminders owed to the outbox. Inserting a
reminder that is already there does nothing, so planning twice, or in two processes at once,
adds each reminder once."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, not_, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from vendortrack.accounts.models import Role, User
from vendortrack.assurance.models import DocumentKind, VendorDocument
from vendortrack.extensions import db
from vendortrack.register.models import SubProcessorChange, Vendor, VendorStatus
from vendortrack.reminders.models import Reminder, ReminderStatus, Topic
from vendortrack.reminders.rules import (
    DOCUMENT_AHEAD_DAYS,
    NOTICE_AHEAD_DAYS,
    OBJECTION_AHEAD_DAYS,
    REVIEW_AHEAD_DAYS,
    Person,
    condition_stage,
    document_stage,
    escalates,
    notice_stage,
    objection_stage,
    recipients,
    review_stage,
)
from vendortrack.reviews.models import Review, ReviewCondition

BATCH = 500
UNIQUE_KEY = ("topic", "subject_id", "kind", "due_on", "recipient_id")


def plan_reminders(today: date, now: datetime) -> int:
    """Add the reminders owed today to the outbox; return how many were new. Commits."""
    managers = managers_to_tell()
    rows = _rows(today, now, managers)
    added = sum(_insert_new(batch) for batch in _batches(rows, BATCH))
    # One commit at the end: a retry running meanwhile never finds half of someone's
    # reminders and sends them a second digest for the other half.
    db.session.commit()
    return added


def managers_to_tell() -> list[Person]:
    """The managers, who hear of what has no owner to hear of it; administrators if there is
    no manager, so that nothing goes unheard."""
    return _people_of(Role.MANAGER, Role.ADMIN)


def _rows(today: date, now: datetime, managers: list[Person]) -> Iterator[dict]:
    yield from _review_rows(today, now, managers)
    yield from _notice_rows(today, now, managers)
    yield from _condition_rows(today, now, managers)
    yield from _document_rows(today, now, managers)
    yield from _change_rows(today, now, managers)


def _owned(query):
    owner = aliased(User)
    query = query.outerjoin(owner, Vendor.owner_id == owner.id)
    return query.add_columns(owner.id, owner.email, owner.active)


def _owner(owner_id, email, active) -> Person | None:
    return None if owner_id is None else Person(owner_id, email, bool(active))


def _review_rows(today: date, now: datetime, managers) -> Iterator[dict]:
    query = _owned(
        select(Vendor.id, Vendor.review_due_on)
        .where(
            Vendor.status != VendorStatus.TERMINATED,
            Vendor.review_due_on <= today + timedelta(days=max(REVIEW_AHEAD_DAYS)),
        )
        .order_by(Vendor.id)  # one order for every planner: concurrent inserts cannot deadlock
    )
    for vendor_id, due_on, *owner in _due(query):
        kind = review_stage(due_on, today)
        if kind is not None:
            people = recipients(_owner(*owner), managers, escalates(due_on, today))
            yield from _reminders(Topic.REVIEW, vendor_id, vendor_id, kind, due_on, people, now)


def _notice_rows(today: date, now: datetime, managers) -> Iterator[dict]:
    query = _owned(
        select(Vendor.id, Vendor.notice_deadline_on)
        .where(
            Vendor.status != VendorStatus.TERMINATED,
            Vendor.notice_deadline_on.between(today, today + timedelta(max(NOTICE_AHEAD_DAYS))),
        )
        .order_by(Vendor.id)
    )
    for vendor_id, deadline, *owner in _due(query):
        kind = notice_stage(deadline, today)
        if kind is not None:
            people = recipients(_owner(*owner), managers)
            yield from _reminders(Topic.NOTICE, vendor_id, vendor_id, kind, deadline, people, now)


def _condition_rows(today: date, now: datetime, managers) -> Iterator[dict]:
    query = _owned(
        select(ReviewCondition.id, ReviewCondition.due_on, Vendor.id)
        .join(Review, ReviewCondition.review_id == Review.id)
        .join(Vendor, Review.vendor_id == Vendor.id)
        .where(
            ReviewCondition.met_on.is_(None),
            ReviewCondition.due_on <= today,
            Vendor.status != VendorStatus.TERMINATED,
        )
        .order_by(ReviewCondition.id)
    )
    for condition_id, due_on, vendor_id, *owner in _due(query):
        kind = condition_stage(due_on, today)
        people = recipients(_owner(*owner), managers)
        yield from _reminders(Topic.CONDITION, condition_id, vendor_id, kind, due_on, people, now)


def _document_rows(today: date, now: datetime, managers) -> Iterator[dict]:
    query = _owned(
        select(VendorDocument.id, VendorDocument.expires_on, Vendor.id)
        .join(Vendor, VendorDocument.vendor_id == Vendor.id)
        .where(
            Vendor.status != VendorStatus.TERMINATED,
            VendorDocument.expires_on.between(today, today + timedelta(max(DOCUMENT_AHEAD_DAYS))),
            not_(superseded()),
        )
        .order_by(VendorDocument.id)
    )
    for document_id, expires_on, vendor_id, *owner in _due(query):
        kind = document_stage(expires_on, today)
        if kind is not None:
            people = recipients(_owner(*owner), managers)
            yield from _reminders(
                Topic.DOCUMENT, document_id, vendor_id, kind, expires_on, people, now
            )


def _change_rows(today: date, now: datetime, managers) -> Iterator[dict]:
    """Legal decides on a vendor's sub-processor change: legal hears of its deadline (the
    administrators, if there is no one in legal)."""
    query = (
        select(SubProcessorChange.id, SubProcessorChange.objection_deadline, Vendor.id)
        .join(Vendor, SubProcessorChange.vendor_id == Vendor.id)
        .where(
            Vendor.status != VendorStatus.TERMINATED,
            SubProcessorChange.decision.is_(None),
            SubProcessorChange.objection_deadline.between(
                today, today + timedelta(days=OBJECTION_AHEAD_DAYS)
            ),
        )
        .order_by(SubProcessorChange.id)
    )
    found = _due(query)
    deciders = (
        [(person.id, "legal") for person in _people_of(Role.LEGAL, Role.ADMIN)] if found else []
    )
    for change_id, deadline, vendor_id in found:
        kind = objection_stage(deadline, today)
        if kind is not None:
            yield from _reminders(Topic.CHANGE, change_id, vendor_id, kind, deadline, deciders, now)


def _people_of(*roles: Role) -> list[Person]:
    """The active users of the first of these roles that has any."""
    for role in roles:
        query = select(User.id, User.email).where(User.role == role, User.active.is_(True))
        people = [Person(*row, True) for row in db.session.execute(query.order_by(User.id))]
        if people:
            return people
    return []


def superseded():
    """A newer document of the same kind holds after this one (it expires later, or never, or
    the same day and was kept later): the expiry of the older one is nobody's concern. "Other"
    documents are each their own kind."""
    newer = aliased(VendorDocument)
    later = or_(
        newer.expires_on.is_(None),
        newer.expires_on > VendorDocument.expires_on,
        and_(newer.expires_on == VendorDocument.expires_on, newer.id > VendorDocument.id),
    )
    return (
        exists()
        .where(
            newer.vendor_id == VendorDocument.vendor_id,
            newer.kind == VendorDocument.kind,
            VendorDocument.kind != DocumentKind.OTHER,
            newer.id != VendorDocument.id,
            later,
        )
        .correlate(VendorDocument)
    )


def _due(query) -> list:
    # Read at once (only what is due, not every vendor) so that no cursor stays open across
    # the commits between batches.
    return db.session.execute(query).all()


def _reminders(topic, subject_id, vendor_id, kind, due_on, people, now) -> Iterator[dict]:
    for recipient_id, reason in people:
        yield {
            "topic": topic.value,
            "subject_id": subject_id,
            "kind": kind,
            "due_on": due_on,
            "recipient_id": recipient_id,
            "reason": reason,
            "vendor_id": vendor_id,
            "status": ReminderStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_new(rows: list[dict]) -> int:
    """Insert the rows whose key is not in the outbox yet; return how many were inserted."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        statement = sqlite_insert(Reminder).on_conflict_do_nothing(index_elements=UNIQUE_KEY)
    elif dialect == "postgresql":
        statement = postgresql_insert(Reminder).on_conflict_do_nothing(index_elements=UNIQUE_KEY)
    else:  # a plain INSERT would not keep "inserting twice does nothing"
        raise RuntimeError(f"reminders need SQLite or PostgreSQL, not {dialect}")
    # Many rows through one cached statement; RETURNING names only the rows inserted.
    return len(db.session.execute(statement.returning(Reminder.id), rows).all())
