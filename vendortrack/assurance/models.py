"""A vendor's assurance documents, and which kinds each risk tier requires."""

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from vendortrack.accounts.models import User
from vendortrack.database import NamedEnum, RankedEnum, UTCDateTime, length_checks, utcnow
from vendortrack.extensions import db
from vendortrack.register.models import Level, Vendor
from vendortrack.trail.recorder import track

DOCUMENT_TEXT_LIMITS = {"issuer": 200}


class DocumentKind(enum.StrEnum):
    SOC2 = "soc2"
    ISO27001 = "iso27001"
    INSURANCE = "insurance"
    PENTEST = "pentest"
    DPA = "dpa"
    TRANSFER_CLAUSES = "transfer_clauses"
    OTHER = "other"


@track("vendor_document", vendor_of=lambda document: document.vendor_id)
class VendorDocument(db.Model):
    """One document the vendor gave us, kept byte for byte. A newer one of the same kind takes
    over from it; it stays, as the record of what held before."""

    __tablename__ = "vendor_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(NamedEnum(DocumentKind))
    issuer: Mapped[str | None] = mapped_column(String(DOCUMENT_TEXT_LIMITS["issuer"]))
    covers_from: Mapped[date | None] = mapped_column(Date)
    covers_to: Mapped[date | None] = mapped_column(Date)
    # The last day it is good for; none for a document that does not expire (a DPA in force).
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    # The questionnaire file it was taken from, if the vendor attached it to one.
    questionnaire_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_files.id", ondelete="SET NULL")
    )
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    vendor: Mapped[Vendor] = relationship()
    added_by: Mapped[User | None] = relationship()

    __table_args__ = length_checks(DOCUMENT_TEXT_LIMITS)

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today


@track("document_policy")
class RequiredDocument(db.Model):
    """A kind of document the vendors of a risk tier must keep valid: a row per requirement,
    set by an administrator (none until then)."""

    __tablename__ = "required_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_tier: Mapped[Level] = mapped_column(RankedEnum(Level))
    kind: Mapped[DocumentKind] = mapped_column(NamedEnum(DocumentKind))

    __table_args__ = (UniqueConstraint("risk_tier", "kind"),)
