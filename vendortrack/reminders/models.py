"""The outbox: one row per reminder owed to one person, the mail that carried it, and the runs of
the sweep that planned and sent them."""

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vendortrack.accounts.models import User
from vendortrack.database import NamedEnum, UTCDateTime, utcnow
from vendortrack.extensions import db
from vendortrack.register.models import Vendor


class Topic(enum.StrEnum):
    """What a reminder is about; with `subject_id` it names one thing."""

    REVIEW = "review"  # subject: the vendor whose review is due
    NOTICE = "notice"  # subject: the vendor whose contract's notice deadline approaches
    CONDITION = "condition"  # subject: the open review condition
    DOCUMENT = "document"  # subject: the vendor's document whose expiry approaches
    CHANGE = "change"  # subject: the sub-processor change whose objection deadline approaches


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"  # owed; sent by the next sweep once `next_attempt_at` has passed
    SENT = "sent"
    SKIPPED = "skipped"  # no longer true when its turn came (review done, vendor terminated...)
    FAILED = "failed"  # the mail server refused the address for good


class Reminder(db.Model):
    """One reminder owed to one person. Its key is the one rule that makes each reminder go out
    once, whoever plans it and however often: inserting it twice does nothing."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[Topic] = mapped_column(NamedEnum(Topic))
    subject_id: Mapped[int]
    # The stage: "in_30", "in_7", "due", "overdue_3" (weeks), "notice_60", "condition_due"...
    kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date] = mapped_column(Date)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Why this person: "owner"; for managers "escalation", "no_owner" or "owner_unreachable".
    reason: Mapped[str] = mapped_column(String(20))
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    status: Mapped[ReminderStatus] = mapped_column(
        NamedEnum(ReminderStatus), default=ReminderStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A sweep claims rows (token and time) and commits before it sends anything, so another
    # sweep running at the same moment leaves them alone; a claim older than the lease is
    # taken to belong to a sweep that died and may be claimed again.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[int | None] = mapped_column(ForeignKey("mail_messages.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    recipient: Mapped[User] = relationship()
    vendor: Mapped[Vendor] = relationship()

    __table_args__ = (
        UniqueConstraint("topic", "subject_id", "kind", "due_on", "recipient_id"),
        Index("ix_reminders_status_next_attempt_at", "status", "next_attempt_at"),
    )


class MailStatus(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"


class MailMessage(db.Model):
    """A message handed to the mail server (or written to the outbox folder), kept for the
    administrators' "Sent mail" page; and one it refused for good, with its answer."""

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    # The Message-ID header; derived from the reminders carried, so a digest sent again after a
    # crash carries the same one and mail software can tell it is the same message.
    message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[MailStatus] = mapped_column(NamedEnum(MailStatus))
    error: Mapped[str | None] = mapped_column(Text)
    transport: Mapped[str] = mapped_column(String(10))  # "smtp" or "file"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    recipient: Mapped[User | None] = relationship()


class SweepRun(db.Model):
    """One run of the sweep, for the Sent mail page and to know whether today's run happened."""

    __tablename__ = "sweep_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # The local day the run planned for: a scheduler that starts after the daily time and finds
    # no run for today runs one at once.
    planned_for: Mapped[date] = mapped_column(Date, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    planned: Mapped[int] = mapped_column(default=0)
    messages: Mapped[int] = mapped_column(default=0)
    sent: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    deferred: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
