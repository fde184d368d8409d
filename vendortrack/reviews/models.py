"""Reviews of vendors: our review policy, completed reviews with their checklist, conditions and
evidence, and the events that ask for the next review sooner."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from vendortrack.accounts.models import User
from vendortrack.database import NamedEnum, UTCDateTime, length_checks, utcnow
from vendortrack.extensions import db
from vendortrack.register.models import Level, Vendor
from vendortrack.trail.recorder import track

# Our policy, not the law: regulators ask for oversight in proportion to risk without fixing an
# interval (see the domain facts, section 5). Months between reviews, per risk tier.
DEFAULT_MONTHS = {Level.LOW: 36, Level.MEDIUM: 24, Level.HIGH: 12, Level.CRITICAL: 6}
# The most characters a person may write in each text field: the forms read these, and CHECK
# constraints hold the database to them.
REVIEW_TEXT_LIMITS = {"notes": 10_000}
CONDITION_TEXT_LIMITS = {"text": 2_000}
TRIGGER_TEXT_LIMITS = {"detail": 5_000}


@track("review_policy")
class ReviewPolicy(db.Model):
    """One row: the months between reviews for each risk tier."""

    __tablename__ = "review_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    months_low: Mapped[int] = mapped_column(default=DEFAULT_MONTHS[Level.LOW])
    months_medium: Mapped[int] = mapped_column(default=DEFAULT_MONTHS[Level.MEDIUM])
    months_high: Mapped[int] = mapped_column(default=DEFAULT_MONTHS[Level.HIGH])
    months_critical: Mapped[int] = mapped_column(default=DEFAULT_MONTHS[Level.CRITICAL])
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def months(self, tier: Level) -> int:
        return getattr(self, f"months_{tier.code}")


class Outcome(enum.StrEnum):
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    REJECTED = "rejected"


@track("review", vendor_of=lambda review: review.vendor_id)
class Review(db.Model):
    """A completed review. Never edited: the next review supersedes it."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    completed_on: Mapped[date] = mapped_column(Date)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[Outcome] = mapped_column(NamedEnum(Outcome, length=30))
    # {checklist item code: "yes" | "no" | "na"}; the items are in reviews/checklist.py.
    checklist: Mapped[dict[str, str]] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    # {checklist item: {"decision": "accepted" | "queried", "questionnaire": its id}}: what the
    # reviewer made of the vendor's own answers on each point, where it gave some.
    vendor_answers: Mapped[dict | None] = mapped_column(JSON)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"))

    vendor: Mapped[Vendor] = relationship()
    completed_by: Mapped[User | None] = relationship()
    conditions: Mapped[list["ReviewCondition"]] = relationship(
        cascade="all, delete-orphan", order_by="ReviewCondition.due_on"
    )
    evidence: Mapped[list["EvidenceFile"]] = relationship(
        cascade="all, delete-orphan", order_by="EvidenceFile.id"
    )

    __table_args__ = length_checks(REVIEW_TEXT_LIMITS)


def _review_vendor(row: "ReviewCondition | EvidenceFile") -> int | None:
    # By the review's id, not the relationship: a row deleted by cascade may have lost it.
    review = db.session.get(Review, row.review_id) if row.review_id else None
    return review.vendor_id if review else None


@track("review_condition", vendor_of=_review_vendor, parent="review_id")
class ReviewCondition(db.Model):
    """What the vendor must do, by a date, for an approval with conditions to hold."""

    __tablename__ = "review_conditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    met_on: Mapped[date | None] = mapped_column(Date)
    met_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = length_checks(CONDITION_TEXT_LIMITS)


@track("evidence_file", vendor_of=_review_vendor, parent="review_id")
class EvidenceFile(db.Model):
    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))


class TriggerKind(enum.StrEnum):
    NEW_CATEGORY = "new_category"
    NEW_COUNTRY = "new_country"
    INCIDENT = "incident"


@track("review_trigger", vendor_of=lambda trigger: trigger.vendor_id)
class ReviewTrigger(db.Model):
    """An event that asks for a review sooner than the policy would; the next review answers it."""

    __tablename__ = "review_triggers"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    kind: Mapped[TriggerKind] = mapped_column(NamedEnum(TriggerKind))
    detail: Mapped[str] = mapped_column(Text, default="")
    raised_on: Mapped[date] = mapped_column(Date)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_by_review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"))

    __table_args__ = length_checks(TRIGGER_TEXT_LIMITS)
