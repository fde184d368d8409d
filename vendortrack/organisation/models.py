"""Our own organisation: the party that signs every addendum, and its defaults."""

from datetime import datetime
from typing import ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, false, true
from sqlalchemy.orm import Mapped, deferred, mapped_column

from vendortrack.database import UTCDateTime, length_checks, utcnow
from vendortrack.extensions import db
from vendortrack.trail.recorder import track

# Our legal deadline to answer an access request is 30 days (PIPEDA s. 8(3); Québec s. 32);
# the vendor must hand a request over well before, so that we can still answer on time.
DEFAULT_ACCESS_FORWARDING_DAYS = 10
DEFAULT_BREACH_NOTICE_HOURS = 24
# The GDPR leaves the period to the contract; 30 days is the figure most processor agreements use.
DEFAULT_SUB_PROCESSOR_NOTICE_DAYS = 30
MAX_SUB_PROCESSOR_NOTICE_DAYS = 180
# The most characters an administrator may write in each text field: the settings form reads
# these, and CHECK constraints hold the database to them.
SETTINGS_TEXT_LIMITS = {
    "legal_name": 200,
    "address": 1_000,
    "privacy_officer_name": 120,
    "privacy_officer_title": 120,
    "privacy_officer_email": 254,
    "signatory_name": 120,
    "signatory_title": 120,
    "forum": 120,
    "eu_representative": 1_000,
}


# The settings the clauses' facts read besides the vendor's rows (addenda.facts.Standing): a
# change to any of them judges every vendor again.
STANDING_FIELDS = (
    "home_jurisdiction",
    "ccpa_business",
    "uncapped_liability",
    "swiss_transfers",
    "uk_transfers",
)


@track("settings")
class OrganisationSettings(db.Model):
    """One row: the organisation's details, as an administrator sets them."""

    __tablename__ = "organisation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    privacy_officer_name: Mapped[str] = mapped_column(String(120), default="")
    privacy_officer_title: Mapped[str] = mapped_column(String(120), default="")
    privacy_officer_email: Mapped[str] = mapped_column(String(254), default="")
    # ISO 3166 code of where we are, e.g. CA-QC: its country decides what counts as cross-border.
    home_jurisdiction: Mapped[str] = mapped_column(String(6), default="CA")
    breach_notice_hours: Mapped[int] = mapped_column(default=DEFAULT_BREACH_NOTICE_HOURS)
    access_forwarding_days: Mapped[int] = mapped_column(default=DEFAULT_ACCESS_FORWARDING_DAYS)
    signatory_name: Mapped[str] = mapped_column(String(120), default="")
    signatory_title: Mapped[str] = mapped_column(String(120), default="")
    # Whether the organisation is a "business" under the CCPA: only then are its California
    # vendors service providers, and their addenda say so.
    ccpa_business: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The province whose laws govern addenda ("": the home jurisdiction), and the city whose
    # courts hear disputes over them.
    governing_law: Mapped[str] = mapped_column(String(6), default="", server_default="")
    forum: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # Whether addenda say the main contract's limit of liability does not cap a privacy breach.
    uncapped_liability: Mapped[bool] = mapped_column(default=True, server_default=true())
    # How much notice a vendor gives before adding or replacing a sub-processor, or processing
    # the information in a new place.
    sub_processor_notice_days: Mapped[int] = mapped_column(
        default=DEFAULT_SUB_PROCESSOR_NOTICE_DAYS,
        server_default=str(DEFAULT_SUB_PROCESSOR_NOTICE_DAYS),
    )
    # The EU's standard contractual clauses: Module Three (processor to processor) where the
    # organisation itself processes for its clients, else Module Two; the Member State whose
    # law and courts govern them, where its GDPR representative is; and whether they also carry
    # the Swiss and the UK transfers.
    acts_as_processor: Mapped[bool] = mapped_column(default=False, server_default=false())
    eu_member_state: Mapped[str] = mapped_column(String(2), default="", server_default="")
    # Its representative in the Union (GDPR Art. 27): name, address and contact, as Annex I of
    # the SCCs names it.
    eu_representative: Mapped[str] = mapped_column(Text, default="", server_default="")
    swiss_transfers: Mapped[bool] = mapped_column(default=False, server_default=false())
    uk_transfers: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Filled by the sample register, not by anyone here: the Settings page says so until an
    # administrator saves their own, since every addendum would name an invented organisation.
    is_sample: Mapped[bool] = mapped_column(default=False)
    letterhead: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    letterhead_filename: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(server_default="1")  # as Vendor.version

    __mapper_args__: ClassVar = {"version_id_col": version}

    __table_args__ = (
        CheckConstraint("breach_notice_hours BETWEEN 1 AND 720", name="breach_hours"),
        CheckConstraint("access_forwarding_days BETWEEN 1 AND 29", name="access_days"),
        CheckConstraint(
            f"sub_processor_notice_days BETWEEN 1 AND {MAX_SUB_PROCESSOR_NOTICE_DAYS}",
            name="sub_processor_notice",
        ),
        *length_checks(SETTINGS_TEXT_LIMITS),
    )
