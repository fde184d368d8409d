"""A questionnaire sent to a vendor's contact by link: the request, the vendor's answers and the
files it attached, and the requests made to the link pages (counted for their rate limits)."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from vendortrack.accounts.models import User
from vendortrack.crypto import EncryptedText
from vendortrack.database import NamedEnum, UTCDateTime, length_checks, utcnow
from vendortrack.extensions import db
from vendortrack.register.models import Vendor
from vendortrack.trail.recorder import track

# What the sender may write to the vendor with the link, and what the vendor may write in one
# answer: the forms read these, and CHECK constraints hold the database to them.
REQUEST_TEXT_LIMITS = {"message": 2_000}
ANSWER_TEXT_LIMITS = {"comment": 5_000}


class RequestStatus(enum.StrEnum):
    """Where a questionnaire stands, latest step first (see QuestionnaireRequest.status)."""

    SENT = "sent"
    OPENED = "opened"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    OVERDUE = "overdue"
    REVOKED = "revoked"


@track("questionnaire", vendor_of=lambda request: request.vendor_id)
class QuestionnaireRequest(db.Model):
    """A questionnaire sent to one person at a vendor. Its link's token is never stored, only
    the token's SHA-256: the database alone opens no questionnaire."""

    __tablename__ = "questionnaire_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    set_id: Mapped[str] = mapped_column(String(40))
    set_version: Mapped[int]
    # The set as sent, both languages: the vendor answers what it was asked, whatever the
    # library holds by then (library.snapshot / library.from_snapshot).
    questions: Mapped[dict] = deferred(mapped_column(JSON))
    # The language of the mails and of the page until the vendor chooses the other.
    language: Mapped[str] = mapped_column(String(2))
    # The person at the vendor: personal information, encrypted at rest like the vendor's own.
    contact_name: Mapped[str | None] = mapped_column(EncryptedText)
    contact_email: Mapped[str] = mapped_column(EncryptedText)
    message: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    times_sent: Mapped[int] = mapped_column(default=1)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    vendor: Mapped[Vendor] = relationship()
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])
    answers: Mapped[list["QuestionnaireAnswer"]] = relationship(
        cascade="all, delete-orphan", order_by="QuestionnaireAnswer.id"
    )
    files: Mapped[list["QuestionnaireFile"]] = relationship(
        cascade="all, delete-orphan", order_by="QuestionnaireFile.id"
    )

    __table_args__ = length_checks(REQUEST_TEXT_LIMITS)

    def status(self, today: date) -> RequestStatus:
        """The latest step: revoked and submitted end it; past its due date, it is overdue
        whatever the vendor has begun."""
        if self.revoked_at is not None:
            return RequestStatus.REVOKED
        if self.submitted_at is not None:
            return RequestStatus.SUBMITTED
        if today > self.due_on:
            return RequestStatus.OVERDUE
        if self.saved_at is not None:
            return RequestStatus.IN_PROGRESS
        if self.opened_at is not None:
            return RequestStatus.OPENED
        return RequestStatus.SENT

    def open_by_link(self, now: datetime) -> bool:
        """Whether the link still opens it (its form, or once submitted its receipt): until it
        is revoked or expires."""
        return self.revoked_at is None and now < self.expires_at


def _request_vendor(row: "QuestionnaireAnswer | QuestionnaireFile") -> int | None:
    request = db.session.get(QuestionnaireRequest, row.request_id) if row.request_id else None
    return request.vendor_id if request else None


@track("questionnaire_answer", vendor_of=_request_vendor, parent="request_id")
class QuestionnaireAnswer(db.Model):
    """The vendor's answer to one question: `value` a yes/no/na, a choice's id or a date (ISO);
    `comment` its comment, or the answer itself to a text question."""

    __tablename__ = "questionnaire_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_requests.id", ondelete="CASCADE")
    )
    question_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("request_id", "question_id"),
        *length_checks(ANSWER_TEXT_LIMITS),
    )


@track("questionnaire_file", vendor_of=_request_vendor, parent="request_id")
class QuestionnaireFile(db.Model):
    """A file the vendor attached to an answer (a certificate, a policy, a report)."""

    __tablename__ = "questionnaire_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_requests.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LinkHit(db.Model):
    """One request to the link pages, kept for a window to count against the rate limits: by
    token (its hash) and by address, so that every worker of the app counts the same."""

    __tablename__ = "link_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "token:<first 32 hex of its hash>", "address:<ip>" or "miss:<ip>" (a token that opens
    # nothing, counted apart: guessing gets far fewer tries than answering).
    key: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    __table_args__ = (Index("ix_link_hits_key_at", "key", "at"),)


class NoticeStatus(enum.StrEnum):
    PENDING = "pending"  # owed; sent by the next delivery once `next_attempt_at` has passed
    SENT = "sent"
    SKIPPED = "skipped"  # no longer true when its turn came (submitted, revoked, re-dated)
    FAILED = "failed"  # the mail server refused the address for good


class QuestionnaireNotice(db.Model):
    """One mail owed about a questionnaire: a reminder to the vendor's contact before or after
    its due date, or word to the vendor's owner (or the managers) that it was submitted or is
    overdue. Its key makes each go once, however often it is planned."""

    __tablename__ = "questionnaire_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_requests.id", ondelete="CASCADE"), index=True
    )
    # "due_soon", "overdue" (to the contact); "submitted", "late" (to our people).
    kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date] = mapped_column(Date)  # the questionnaire's, when the notice was owed
    # "contact", or the id of the user told, as text: one key for both.
    recipient: Mapped[str] = mapped_column(String(20))
    status: Mapped[NoticeStatus] = mapped_column(
        NamedEnum(NoticeStatus), default=NoticeStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[int | None] = mapped_column(ForeignKey("mail_messages.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("request_id", "kind", "due_on", "recipient"),
        Index("ix_questionnaire_notices_status_next_attempt_at", "status", "next_attempt_at"),
    )
