"""A vendor's own agreement: the documents it sent (kept byte for byte, as signed copies are),
each check of them together, its findings, and legal's decision on each."""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    column,
    true,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from vendortrack.accounts.models import User
from vendortrack.database import NamedEnum, UTCDateTime, length_checks, utcnow
from vendortrack.extensions import db
from vendortrack.trail.recorder import track

# What legal writes: the reason for a waiver or a rejection.
FINDING_TEXT_LIMITS = {"reason": 2_000}
# What the check writes, from the document: a sentence and its paragraph may be long, but a
# passage longer than this is no sentence (it is cut, with "…", and says so).
QUOTE_LIMIT = 4_000
CONTEXT_LIMIT = 8_000


class Decision(enum.StrEnum):
    ACCEPTED = "accepted"  # the finding is right
    REJECTED = "rejected"  # the finding is wrong (the reason says why)
    WAIVED = "waived"  # the gap is accepted, for the reason given


@track("agreement_document", vendor_of=lambda document: document.vendor_id)
class AgreementDocument(db.Model):
    """One file of the vendor's agreement (its DPA, its SCCs, a security annex): all of a
    vendor's documents are read together as one agreement."""

    __tablename__ = "agreement_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("vendor_id", "sha256"),)


@track("agreement_check", vendor_of=lambda check: check.vendor_id)
class AgreementCheck(db.Model):
    """The vendor's documents read together, once: what the checker found, at its version. A
    new document, or one removed, makes a new check; decisions belong to the check they were
    made on, so a decision never outlives the paper it was about."""

    __tablename__ = "agreement_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    # The hash of the documents' hashes, in order: which paper this check read.
    documents_sha256: Mapped[str] = mapped_column(String(64))
    documents: Mapped[list[str]] = mapped_column(JSON)  # their file names, for the record
    checker_version: Mapped[int]
    # The organisation's figures the agreement was held to (Settings, then): other figures in
    # Settings now make the check out of date. None: a check from before they were recorded.
    breach_hours: Mapped[int | None]
    notice_days: Mapped[int | None]
    language: Mapped[str] = mapped_column(String(5))
    # The check of the documents the vendor's agreement holds now: the one compliance counts.
    current: Mapped[bool] = mapped_column(default=True, server_default=true())
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    checked_by: Mapped[User | None] = relationship()
    findings: Mapped[list["AgreementFinding"]] = relationship(
        back_populates="check", cascade="all, delete-orphan", order_by="AgreementFinding.position"
    )

    # One current check per vendor, whatever two requests at once (a double click) do.
    __table_args__ = (
        Index(
            "uq_agreement_checks_current",
            "vendor_id",
            unique=True,
            sqlite_where=column("current").is_(true()),
            postgresql_where=column("current").is_(true()),
        ),
    )


def _check_vendor(finding: "AgreementFinding") -> int | None:
    # By the check's id, not the relationship: a row deleted by cascade may have lost it.
    check = db.session.get(AgreementCheck, finding.check_id) if finding.check_id else None
    return check.vendor_id if check else None


@track("agreement_finding", vendor_of=_check_vendor, parent="check_id")
class AgreementFinding(db.Model):
    """One topic of a check: the finding, the quote that decides it, and legal's decision."""

    __tablename__ = "agreement_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_checks.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    clause: Mapped[str] = mapped_column(String(40))  # the topic's code
    finding: Mapped[str] = mapped_column(String(10))  # present, weak, missing or denied
    quote: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")  # the paragraph the quote is in
    where: Mapped[str] = mapped_column(String(500), default="")
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    decision: Mapped[Decision | None] = mapped_column(NamedEnum(Decision))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    check: Mapped[AgreementCheck] = relationship(back_populates="findings")
    decided_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("check_id", "clause"), *length_checks(FINDING_TEXT_LIMITS))

    @property
    def covers(self) -> bool:
        """Whether, once decided, the topic counts as covered by the vendor's agreement: found
        present and accepted, found short and the finding rejected, or waived."""
        if self.decision is Decision.WAIVED:
            return True
        present = self.finding == "present"
        return (self.decision is Decision.ACCEPTED and present) or (
            self.decision is Decision.REJECTED and not present
        )
