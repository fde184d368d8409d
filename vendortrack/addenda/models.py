"""Addenda: every document generated for a vendor, kept byte for byte, tracked to signature."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from vendortrack.accounts.models import User
from vendortrack.database import NamedEnum, UTCDateTime, utcnow
from vendortrack.extensions import db
from vendortrack.register.models import Vendor
from vendortrack.trail.recorder import track


class AddendumStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    SIGNED = "signed"
    SUPERSEDED = "superseded"


@track("addendum", vendor_of=lambda addendum: addendum.vendor_id)
class Addendum(db.Model):
    __tablename__ = "addenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    language: Mapped[str] = mapped_column(String(9))  # en, fr or bilingual
    status: Mapped[AddendumStatus] = mapped_column(
        NamedEnum(AddendumStatus), default=AddendumStatus.DRAFT
    )
    # Required clauses left out, each with the reason legal recorded: {clause id: reason}.
    omissions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # The vendor's facts and the values filled in, as they were when the document was built.
    facts: Mapped[dict] = mapped_column(JSON)
    effective_date: Mapped[date] = mapped_column(Date)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_on: Mapped[date | None] = mapped_column(Date)
    signed_filename: Mapped[str | None] = mapped_column(String(255))
    signed_sha256: Mapped[str | None] = mapped_column(String(64))
    signed_copy: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Québec's Charter of the French language: a standard (non-negotiated) form goes to a Québec
    # vendor in French first; English binds only if the vendor then chose it expressly.
    negotiated: Mapped[bool | None]
    french_delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    english_chosen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notes: Mapped[str | None] = mapped_column(Text)

    vendor: Mapped[Vendor] = relationship()
    generated_by: Mapped[User | None] = relationship()
    clauses: Mapped[list["AddendumClause"]] = relationship(
        cascade="all, delete-orphan", order_by="AddendumClause.position"
    )

    @property
    def clause_versions(self) -> dict[str, int]:
        return {c.clause_id: c.version for c in self.clauses}


class AddendumClause(db.Model):
    """A clause, at a version, in an addendum: rows, so that a query can find every addendum a
    newer library version has overtaken."""

    __tablename__ = "addendum_clauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    addendum_id: Mapped[int] = mapped_column(ForeignKey("addenda.id", ondelete="CASCADE"))
    clause_id: Mapped[str] = mapped_column(String(60), index=True)
    version: Mapped[int]
    position: Mapped[int]

    __table_args__ = (UniqueConstraint("addendum_id", "clause_id"),)
