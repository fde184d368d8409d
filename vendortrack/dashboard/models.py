"""The daily record of how many vendors were compliant, from which the trend line is drawn."""

from datetime import date, datetime

from sqlalchemy import Date
from sqlalchemy.orm import Mapped, mapped_column

from vendortrack.database import UTCDateTime, utcnow
from vendortrack.extensions import db


class ComplianceSnapshot(db.Model):
    """The register's compliance counts on one day.

    Kept rather than recomputed: a vendor's past status cannot be worked out again from today's
    rows (reviews get done, addenda get signed), so the trend exists only if it is recorded.
    """

    __tablename__ = "compliance_snapshots"

    # One row per day: the day is the key, so taking the snapshot again replaces it.
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    total: Mapped[int]
    compliant: Mapped[int]
    action: Mapped[int]
    overdue: Mapped[int]
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def compliant_share(self) -> float:
        """Per cent of assessed vendors that were compliant; 0 on a day with none."""
        return 100 * self.compliant / self.total if self.total else 0.0
