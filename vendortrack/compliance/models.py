"""Each vendor's compliance status, stored: what the rules give today, and until when it holds.

Stored so that pages count, filter and page on an indexed column instead of judging every vendor
on every request. Kept by vendortrack.compliance.stored, never written anywhere else.
"""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from vendortrack.extensions import db


class StoredStatus(db.Model):
    """A vendor's status and reasons as judged on `judged_on`, true every day until
    `valid_until`: on a day outside those two, the row is judged again before anyone reads it."""

    __tablename__ = "compliance_statuses"

    vendor_id: Mapped[int] = mapped_column(
        ForeignKey("vendors.id", ondelete="CASCADE"), primary_key=True
    )
    # overdue, action or compliant; None for a terminated vendor, which is not assessed.
    status: Mapped[str | None] = mapped_column(String(10))
    # The rule codes, in the rules' order, separated by spaces: the codes, not their labels,
    # so that the row reads the same in every language.
    reasons: Mapped[str] = mapped_column(String(300), default="")
    judged_on: Mapped[date] = mapped_column(Date, index=True)
    valid_until: Mapped[date] = mapped_column(Date, index=True)

    __table_args__ = (
        # The dashboard counts vendors per status from this index alone.
        Index("ix_compliance_statuses_status_vendor_id", "status", "vendor_id"),
    )


class ComplianceBasis(db.Model):
    """One row: a fingerprint of what the stored statuses were judged against that no row of the
    register holds (the clause library's files, the catalogue's sensitive categories, the home
    country, the rules themselves). When the running app's differs, every status is judged
    again."""

    __tablename__ = "compliance_basis"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
