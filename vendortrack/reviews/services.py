"""Scheduling and completing reviews. Functions flush; the caller commits."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from vendortrack.accounts.models import User
from vendortrack.database import with_column_defaults
from vendortrack.extensions import db
from vendortrack.geography import country_of
from vendortrack.register.models import DataSharing, Vendor, VendorStatus
from vendortrack.reviews.checklist import ANSWERS, CHECKLIST
from vendortrack.reviews.models import (
    EvidenceFile,
    Outcome,
    Review,
    ReviewCondition,
    ReviewPolicy,
    ReviewTrigger,
    TriggerKind,
)
from vendortrack.reviews.schedule import BEFORE_NOTICE_DAYS, Due, notice_deadline, review_due
from vendortrack.uploads import UploadError, check_docx, check_pdf, stored_name

POLICY_ID = 1
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
IMAGE_SIGNATURES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}


class ReviewError(ValueError):
    """A review that cannot be recorded as given; the message is for the user."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


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
    if vendor.status == VendorStatus.TERMINATED:
        return None
    previous = last_review(vendor)
    start = previous.completed_on if previous else _baseline(vendor)
    triggers = [(t.kind.value, t.raised_on) for t in open_triggers(vendor)]
    deadline = notice_deadline(vendor.contract_end, vendor.notice_period_days)
    if deadline and previous and previous.completed_on >= deadline - timedelta(BEFORE_NOTICE_DAYS):
        deadline = None  # that review was the one before this renewal
    return review_due(start, policy.months(vendor.risk_tier), triggers, deadline)


def _baseline(vendor: Vendor) -> date:
    # A vendor never reviewed is first due an interval after it began receiving information
    # (the rows' "shared since", else when they were recorded), or after it was recorded.
    since, recorded = db.session.execute(
        select(func.min(DataSharing.shared_since), func.min(DataSharing.created_at)).where(
            DataSharing.vendor_id == vendor.id
        )
    ).one()
    candidates = [d for d in (since, recorded.date() if recorded else None) if d is not None]
    return min(candidates) if candidates else vendor.created_at.date()


def refresh_review_due(vendor: Vendor, policy: ReviewPolicy | None = None) -> None:
    due = schedule_for(vendor, policy or current_policy())
    vendor.review_due_on = due.on if due else None
    vendor.notice_deadline_on = (
        None
        if vendor.is_terminated
        else notice_deadline(vendor.contract_end, vendor.notice_period_days)
    )
    db.session.flush()


def refresh_review_dues(vendor_ids: Iterable[int] | None = None, batch: int = 500) -> int:
    """Refresh the due date of these vendors (all when None); return how many were refreshed.

    Reads vendors a batch at a time, by id, so memory and the size of each query stay bounded.
    """
    policy, count = current_policy(), 0
    for chunk in _id_batches(vendor_ids, batch):
        for vendor in db.session.scalars(select(Vendor).where(Vendor.id.in_(chunk))):
            refresh_review_due(vendor, policy)
            count += 1
    return count


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


def complete_review(vendor: Vendor, given: ReviewInput, by: User, today: date) -> Review:
    """Record a completed review; it supersedes the last one and answers the open triggers."""
    previous = last_review(vendor)
    _check_review(given, today, previous)
    review = Review(
        vendor_id=vendor.id,
        completed_on=given.completed_on,
        completed_by_id=by.id,
        outcome=given.outcome,
        checklist=dict(given.checklist),
        notes=given.notes.strip() or None,
        conditions=[ReviewCondition(text=t.strip(), due_on=d) for t, d in given.conditions],
        evidence=[_evidence(upload) for upload in given.evidence],
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
        content_type = _check_evidence(name.lower(), upload.data)
    except UploadError as error:
        raise ReviewError(f"{name}: {error}", "evidence") from error
    return EvidenceFile(
        filename=name,
        content_type=content_type,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        data=upload.data,
    )


def _check_evidence(name: str, data: bytes) -> str:
    if name.endswith(".pdf"):
        check_pdf(data)
        return "application/pdf"
    if name.endswith(".docx"):
        check_docx(data)
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    for extension, signature in IMAGE_SIGNATURES.items():
        if name.endswith(extension):
            if not data.startswith(signature):
                raise UploadError(_l("This is not the image its name says."))
            return "image/png" if extension == ".png" else "image/jpeg"
    raise UploadError(_l("Upload evidence as .pdf, .docx, .png or .jpg files."))


def mark_condition_met(condition: ReviewCondition, by: User, today: date) -> None:
    if condition.met_on is not None:
        raise ReviewError(_l("This condition is already met."))
    condition.met_on, condition.met_by_id = today, by.id
    db.session.flush()
