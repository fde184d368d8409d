"""What the stored compliance was judged against. The statuses themselves are columns of the
vendor row (vendortrack.register.models.Vendor.compliance_*), kept by
vendortrack.compliance.stored."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from vendortrack.extensions import db


class ComplianceBasis(db.Model):
    """One row: a fingerprint of what the stored statuses were judged against that no row of the
    register holds (the clause library's files, the catalogue's sensitive categories, the home
    country, the rules themselves). When the running app's differs, every status is judged
    again."""

    __tablename__ = "compliance_basis"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
