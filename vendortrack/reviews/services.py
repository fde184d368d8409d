"""Scheduling and completing reviews. Functions flush; the caller commits."""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, update

from vendortrack.accounts.models import User
from vendortrack.database import begin_writing, with_column_defaults
from vendortrack.extensions import db
from vendortrack.geography import country_of
from vendortrack.register.bulkwrites import lock_vendors, note_bulk_written
from vendortrack.register.models import DataSharing, Vendor, VendorStatus
from vendortrack.register.newvendors import NewVendorSchedule
from vendortrack.reviews.checklist import (
    ANSWERS,
    CHECKLIST,
    VendorAnswer,
    shown_questionnaire,
    vendor_answers,
)
from vendortrack.reviews.models import (
    EvidenceFile,
    Outcome,
    Review,
    ReviewCondition,
    ReviewPolicy,
    ReviewTrigger,
    TriggerKind,
)
from vendortrack.reviews.schedule import Due, ScheduleFacts, next_review
from vendortrack.uploads import MAX_EVIDENCE_BYTES, UploadError, check_evidence, stored_name

POLICY_ID = 1
# How long writing review dates waits for SQLite's write lock, held by another writer.
WRITE_WAIT_SECONDS = 30
# What a vendor's schedule reads of its row, with the dates stored now.
SCHEDULE_COLUMNS = (
    Vendor.id,
    Vendor.status,
    Vendor.risk_tier,
    Vendor.contract_end,
    Vendor.notice_period_days,
    Vendor.created_at,
    Vendor.review_due_on,
    Vendor.notice_deadline_on,
)


class ReviewError(ValueError):
    """A review that cannot be recorded as given; the message is for the user."""

    def __init__(self, message, field: str | None = None, items: tuple[str, ...] = ()):
        super().__init__(message)
        self.field = field
        self.items = items  # the checklist points it is about, where it names some


def current_policy() -> ReviewPolicy:
    """The saved policy, or the defaults until an administrator changes them."""
    policy = db.session.get(ReviewPolicy, POLICY_ID)
    if policy is None:
        policy = with_column_defaults(ReviewPolicy(id=POLICY_ID))
    return policy


def last_review(vendor: Vendor) -> Review | None:
    query = select(Review).where(Review.vendor_id == vendor.id).order_by(Review.id.desc())
    return db.session.scalars(query.limit(1)).first()


def open_triggers(vendor: Vendor) -> list[ReviewTrigger]:
    query = select(ReviewTrigger).where(
        ReviewTrigger.vendor_id == vendor.id, ReviewTrigger.answered_by_review_id.is_(None)
    )
    return list(db.session.scalars(query.order_by(ReviewTrigger.raised_on)))


def schedule_for(vendor: Vendor, policy: ReviewPolicy) -> Due | None:
    """When the vendor's next review is due and why; None for a terminated vendor."""
    db.session.flush()  # read from the database, with the vendor's changes in it
    # None too for a vendor deleted meanwhile: it has no next review.
    return next((scheduled.due for scheduled in _schedules([vendor.id], policy)), None)


def refresh_review_due(vendor: Vendor, policy: ReviewPolicy | None = None) -> None:
    refresh_review_dues([vendor.id], policy=policy)


def refresh_review_dues(
    vendor_ids: Iterable[int] | None = None, batch: int = 500, policy: ReviewPolicy | None = None
) -> int:
    """Refresh the due date and notice deadline of these vendors (all when None); return how
    many were refreshed. Flushes; the caller commits.

    Three queries per batch of vendors read what the dates depend on, and one UPDATE of many
    rows writes those that moved: an import's thousands of new vendors are scheduled in a few
    statements. Plain UPDATEs, as the stored compliance's: the dates are the application's, so
    they move neither the vendor's version (a form opened before is no less current) nor its
    updated_at, and the audit trail leaves them out (trail.DERIVED).
    """
    policy = policy or current_policy()
    db.session.flush()  # the dates follow the changes not yet written too
    begin_writing(db.session, WRITE_WAIT_SECONDS)
    count = 0
    for chunk in _id_batches(vendor_ids, batch):
        if present := lock_vendors(chunk):  # those deleted meanwhile have no dates
            scheduled = _schedules(present, policy)
            _write_dates([s for s in scheduled if s.dates != s.stored])
            count += len(scheduled)
    return count


@dataclass(frozen=True)
class _Scheduled:
    vendor_id: int
    stored: tuple[date | None, date | None]  # review_due_on, notice_deadline_on as they are
    due: Due | None
    deadline: date | None  # the last day to give notice; None for a terminated vendor

    @property
    def dates(self) -> tuple[date | None, date | None]:
        return (self.due.on if self.due else None, self.deadline)


def _schedules(chunk: list[int], policy: ReviewPolicy) -> list[_Scheduled]:
    """The schedule of each of these vendors (those that exist), from three queries."""
    first = (
        select(
            DataSharing.vendor_id,
            func.min(DataSharing.shared_since).label("since"),
            func.min(DataSharing.created_at).label("recorded"),
        )
        .where(DataSharing.vendor_id.in_(chunk))
        .group_by(DataSharing.vendor_id)
        .subquery()
    )
    # Columns, not Vendor objects: one the session holds could be behind the database.
    vendors = db.session.execute(
        select(*SCHEDULE_COLUMNS, first.c.since, first.c.recorded)
        .outerjoin(first, first.c.vendor_id == Vendor.id)
        .where(Vendor.id.in_(chunk))
        .order_by(Vendor.id)
    ).all()
    last = _last_reviews(chunk)
    triggers = _open_triggers(chunk)
    return [_schedule(row, last.get(row.id), triggers[row.id], policy) for row in vendors]


def _schedule(row, last_review_on, triggers, policy) -> _Scheduled:
    facts = ScheduleFacts(
        terminated=row.status == VendorStatus.TERMINATED,
        months=policy.months(row.risk_tier),
        recorded_on=row.created_at.date(),
        first_shared_on=row.since,
        first_sharing_recorded_on=row.recorded and row.recorded.date(),
        last_review_on=last_review_on,
        triggers=tuple(triggers),
        contract_end=row.contract_end,
        notice_period_days=row.notice_period_days,
    )
    stored = (row.review_due_on, row.notice_deadline_on)
    return _Scheduled(row.id, stored, next_review(facts), facts.notice_deadline)


def new_vendor_schedule(policy: ReviewPolicy | None = None) -> NewVendorSchedule:
    """How an import dates the vendors it adds (register.newvendors), from their rows alone:
    never reviewed, no event yet. The same rule refresh_review_dues applies, without reading
    back what was just written."""
    policy = policy or current_policy()

    def dates(vendor: Mapping, sharings: Sequence[Mapping]) -> tuple[date | None, date | None]:
        since = min((s["shared_since"] for s in sharings if s["shared_since"]), default=None)
        recorded = min((s["created_at"] for s in sharings), default=None)
        facts = ScheduleFacts(
            terminated=vendor["status"] == VendorStatus.TERMINATED,
            months=policy.months(vendor["risk_tier"]),
            recorded_on=vendor["created_at"].date(),
            first_shared_on=since,
            first_sharing_recorded_on=recorded and recorded.date(),
            contract_end=vendor["contract_end"],
            notice_period_days=vendor["notice_period_days"],
        )
        due = next_review(facts)
        return (due.on if due else None, facts.notice_deadline)

    return dates


def _last_reviews(chunk: list[int]) -> dict[int, date]:
    """The day each vendor's last review (the last recorded) was completed."""
    latest = (
        select(func.max(Review.id)).where(Review.vendor_id.in_(chunk)).group_by(Review.vendor_id)
    )
    query = select(Review.vendor_id, Review.completed_on).where(Review.id.in_(latest))
    return dict(db.session.execute(query).all())


def _open_triggers(chunk: list[int]) -> defaultdict[int, list[tuple[str, date]]]:
    query = (
        select(ReviewTrigger.vendor_id, ReviewTrigger.kind, ReviewTrigger.raised_on)
        .where(ReviewTrigger.vendor_id.in_(chunk), ReviewTrigger.answered_by_review_id.is_(None))
        .order_by(ReviewTrigger.raised_on, ReviewTrigger.id)
    )
    found = defaultdict(list)
    for vendor_id, kind, raised_on in db.session.execute(query):
        found[vendor_id].append((kind.value, raised_on))
    return found


# Keeps updated_at as it is: the column's onupdate would otherwise set it.
_WRITE_DATES = (
    update(Vendor.__table__)
    .where(Vendor.__table__.c.id == bindparam("vendor_id"))
    .values(
        review_due_on=bindparam("due"),
        notice_deadline_on=bindparam("deadline"),
        updated_at=Vendor.__table__.c.updated_at,
    )
)


def _write_dates(moved: list[_Scheduled]) -> None:
    if not moved:
        return
    rows = []
    for scheduled in moved:
        due, deadline = scheduled.dates
        rows.append({"vendor_id": scheduled.vendor_id, "due": due, "deadline": deadline})
    db.session.execute(_WRITE_DATES, rows)
    ids = [s.vendor_id for s in moved]
    # A vendor this session loaded would keep the old dates in its attributes: read them again.
    for vendor_id in ids:
        vendor = db.session.identity_map.get(db.session.identity_key(Vendor, vendor_id))
        if vendor is not None:
            db.session.expire(vendor, ["review_due_on", "notice_deadline_on"])
    note_bulk_written(db.session, ids)  # the stored compliance reads the dates


def _id_batches(vendor_ids: Iterable[int] | None, batch: int) -> Iterable[list[int]]:
    if vendor_ids is not None:
        ids = sorted(set(vendor_ids))
        yield from (ids[i : i + batch] for i in range(0, len(ids), batch))
        return
    last_id = 0
    while ids := list(
        db.session.scalars(
            select(Vendor.id).where(Vendor.id > last_id).order_by(Vendor.id).limit(batch)
        )
    ):
        yield ids
        last_id = ids[-1]


def save_policy(months: dict[str, int]) -> int:
    """Save the months per tier and move every vendor's due date accordingly."""
    policy = current_policy()
    for tier, value in months.items():
        setattr(policy, f"months_{tier}", value)
    db.session.add(policy)
    db.session.flush()
    return refresh_review_dues()


def raise_trigger(
    vendor: Vendor,
    kind: TriggerKind,
    detail: str,
    on: date,
    by: User | None,
    *,
    refresh: bool = True,
) -> ReviewTrigger:
    """Record an event that asks for the next review sooner, and move the due date."""
    trigger = ReviewTrigger(
        vendor_id=vendor.id,
        kind=kind,
        detail=detail.strip(),
        raised_on=on,
        raised_by_id=by and by.id,
    )
    db.session.add(trigger)
    db.session.flush()
    if refresh:  # a caller raising several at once refreshes once, after the last
        refresh_review_due(vendor)
    return trigger


def note_sharing_change(
    vendor: Vendor, before: dict[str, set[str]], by: User | None, on: date
) -> None:
    """Raise triggers for a category or a processing country the vendor did not have before.

    `before` is what sharing_snapshot() returned before the change.
    """
    after = sharing_snapshot(vendor)
    if not before["categories"]:  # the first data sharing starts the schedule; it is no change
        refresh_review_due(vendor)
        return
    for category in sorted(after["categories"] - before["categories"]):
        raise_trigger(vendor, TriggerKind.NEW_CATEGORY, category, on, by, refresh=False)
    for country in sorted(after["countries"] - before["countries"]):
        raise_trigger(vendor, TriggerKind.NEW_COUNTRY, country, on, by, refresh=False)
    refresh_review_due(vendor)


def sharing_snapshot(vendor: Vendor) -> dict[str, set[str]]:
    return {
        "categories": {s.category for s in vendor.sharings},
        "countries": {country_of(c) for s in vendor.sharings for c in s.location_codes},
    }


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class ReviewInput:
    outcome: Outcome
    checklist: dict[str, str]
    notes: str
    conditions: list[tuple[str, date]]
    evidence: list[Upload]
    completed_on: date
    # What the reviewer made of the vendor's own answers, point by point ("accepted" or
    # "queried"), and the questionnaire those answers came from when the form was shown.
    decisions: dict[str, str] = field(default_factory=dict)
    answers_from: int | None = None


def decided_answers(
    answers: Mapping[str, Sequence[VendorAnswer]], given: ReviewInput
) -> dict[str, dict]:
    """{item: {"decision", "questionnaire"}} for each point the vendor answered on. Each must
    be accepted or queried, about the answers the reviewer was shown: if the vendor submitted
    newer ones meanwhile, the reviewer must read those first. A decision on a point the vendor
    did not answer is dropped."""
    shown = shown_questionnaire(answers)
    if given.answers_from != shown:
        raise ReviewError(
            _l("The vendor’s answers changed while this page was open: read them again."),
            "decisions",
        )
    undecided = tuple(item for item in answers if item not in given.decisions)
    if undecided:
        raise ReviewError(
            _l("Accept or query the vendor’s answer on each point where it gave one."),
            "decisions",
            undecided,
        )
    return {item: {"decision": given.decisions[item], "questionnaire": shown} for item in answers}


def complete_review(vendor: Vendor, given: ReviewInput, by: User, today: date) -> Review:
    """Record a completed review; it supersedes the last one and answers the open triggers."""
    previous = last_review(vendor)
    _check_review(given, today, previous)
    decided = decided_answers(vendor_answers(vendor.id), given)
    review = Review(
        vendor_id=vendor.id,
        completed_on=given.completed_on,
        completed_by_id=by.id,
        outcome=given.outcome,
        checklist=dict(given.checklist),
        notes=given.notes.strip() or None,
        conditions=[ReviewCondition(text=t.strip(), due_on=d) for t, d in given.conditions],
        evidence=[_evidence(upload) for upload in given.evidence],
        vendor_answers=decided or None,
    )
    db.session.add(review)
    db.session.flush()
    if previous is not None:
        previous.superseded_by_id = review.id
    # Row by row, not one UPDATE: the audit trail records each trigger answered (a bulk UPDATE
    # would pass its mapper events by). A vendor has a handful open at most.
    open_triggers = select(ReviewTrigger).where(
        ReviewTrigger.vendor_id == vendor.id, ReviewTrigger.answered_by_review_id.is_(None)
    )
    for trigger in db.session.scalars(open_triggers):
        trigger.answered_by_review_id = review.id
    refresh_review_due(vendor)
    return review


def _check_review(given: ReviewInput, today: date, previous: Review | None) -> None:
    missing = [code for code in CHECKLIST if given.checklist.get(code) not in ANSWERS]
    if missing:
        raise ReviewError(_l("Answer every point of the checklist."), "checklist")
    if given.completed_on > today:
        raise ReviewError(_l("A review cannot be completed in the future."), "completed_on")
    if previous is not None and given.completed_on < previous.completed_on:
        raise ReviewError(
            _l(
                "A review cannot be dated before the last one, completed on %(date)s.",
                date=previous.completed_on.isoformat(),
            ),
            "completed_on",
        )
    if given.outcome == Outcome.APPROVED_WITH_CONDITIONS and not given.conditions:
        raise ReviewError(
            _l("An approval with conditions needs at least one condition."), "conditions"
        )
    if any(due <= given.completed_on for _text, due in given.conditions):
        raise ReviewError(_l("Each condition must fall due after the review."), "conditions")


def _evidence(upload: Upload) -> EvidenceFile:
    """An uploaded evidence file, checked as what its name says it is."""
    # Its own name only, in what is checked, said and kept: never the folders a client sent.
    name = stored_name(upload.filename)
    if len(upload.data) > MAX_EVIDENCE_BYTES:
        raise ReviewError(_l("%(name)s is larger than 10 MB.", name=name), "evidence")
    try:
        content_type = check_evidence(name, upload.data)
    except UploadError as error:
        raise ReviewError(f"{name}: {error}", "evidence") from error
    return EvidenceFile(
        filename=name,
        content_type=content_type,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        data=upload.data,
    )


def mark_condition_met(condition: ReviewCondition, by: User, today: date) -> None:
    if condition.met_on is not None:
        raise ReviewError(_l("This condition is already met."))
    condition.met_on, condition.met_by_id = today, by.id
    db.session.flush()
