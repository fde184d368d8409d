"""Vendors and the personal information each one receives."""

import enum
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from vendortrack.accounts.models import User
from vendortrack.crypto import EncryptedText, lookup_hash
from vendortrack.database import NamedEnum, RankedEnum, UTCDateTime, length_checks, utcnow
from vendortrack.extensions import db
from vendortrack.geography import country_of
from vendortrack.trail.recorder import track

# Before any day the app judges on: a vendor's compliance is judged before it is first read.
NOT_JUDGED = date(1900, 1, 1)


class VendorStatus(enum.StrEnum):
    PROSPECT = "prospect"
    ACTIVE = "active"
    OFFBOARDING = "offboarding"
    TERMINATED = "terminated"


class Level(enum.IntEnum):
    """Criticality to the business and risk tier share one ordered scale."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def code(self) -> str:
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> "Level":
        return cls[code.strip().upper()]


class ConsentBasis(enum.StrEnum):
    """The privacy plan's three kinds of consent."""

    EXPRESS = "express"
    IMPLIED = "implied"
    OPT_OUT = "opt_out"


def name_key(name: str) -> str:
    """The form of a vendor name that uniqueness, search and sorting use.

    Insensitive to case, spacing and accents, as people type and read names: "Etal Numerique"
    is the same vendor as "État Numérique", a search for "emile" finds "Émile", and "État"
    sorts among the E's rather than after Z.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", bare).split())


CONTACT_GROUP = "contact"
CONTACT = {"deferred": True, "deferred_group": CONTACT_GROUP}
CONTACT_EMAIL_LOOKUP = "contact_email"  # the purpose of its lookup_hash


def contact_email_hmac(email: str | None) -> str | None:
    """The keyed hash that finds the vendors whose contact has this email (any case)."""
    return lookup_hash(email, CONTACT_EMAIL_LOOKUP)


# The most characters a person may write in each text field: the forms and the CSV import read
# these, and CHECK constraints hold the database to them. Contacts are not here: they are stored
# encrypted, as a token longer than the text, so their forms and the import hold them instead.
VENDOR_TEXT_LIMITS = {
    "name": 200,
    "legal_name": 200,
    "website": 300,
    "services": 5_000,
    "contract_reference": 100,
    "notes": 20_000,
    "risk_override_reason": 2_000,
    "pia_measures": 5_000,
    "pia_measures_fr": 5_000,
    "address": 1_000,
    "signatory_name": 120,
    "signatory_title": 120,
}
SHARING_TEXT_LIMITS = {"purpose": 2_000, "purpose_fr": 2_000}
SUB_PROCESSOR_TEXT_LIMITS = {
    "name": 200,
    "address": 1_000,
    "processing": 2_000,
    "processing_fr": 2_000,
}


@track("vendor", vendor_of=lambda vendor: vendor.id)
class Vendor(db.Model):
    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The one uniqueness rule for vendor names (see name_key); kept in step by the validator below.
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    legal_name: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    # The party to the addendum: its address, and who signs for it (else the contact signs).
    address: Mapped[str | None] = mapped_column(Text)
    signatory_name: Mapped[str | None] = mapped_column(String(120))
    signatory_title: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), index=True)
    subdivision: Mapped[str | None] = mapped_column(String(6))
    services: Mapped[str | None] = mapped_column(Text)
    status: Mapped[VendorStatus] = mapped_column(
        NamedEnum(VendorStatus), default=VendorStatus.PROSPECT
    )
    criticality: Mapped[Level] = mapped_column(RankedEnum(Level), default=Level.LOW, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # A person at the vendor: personal information, encrypted at rest (vendortrack.crypto).
    # Loaded only where it is shown (the vendor page, its form, exports: undefer_group), so the
    # list never decrypts what it does not show.
    contact_name: Mapped[str | None] = mapped_column(EncryptedText, **CONTACT)
    contact_email: Mapped[str | None] = mapped_column(EncryptedText, **CONTACT)
    contact_phone: Mapped[str | None] = mapped_column(EncryptedText, **CONTACT)
    # Finds a vendor by its contact's email, which the database cannot compare encrypted; kept in
    # step by the validator below.
    contact_email_hmac: Mapped[str | None] = mapped_column(String(64), index=True)
    contract_reference: Mapped[str | None] = mapped_column(String(100))
    contract_start: Mapped[date | None] = mapped_column(Date)
    contract_end: Mapped[date | None] = mapped_column(Date, index=True)
    notice_period_days: Mapped[int | None]
    auto_renewal: Mapped[bool] = mapped_column(default=False)
    # Québec (s. 17): before information about people in Québec goes outside Québec, a privacy
    # impact assessment. The day it was completed; None while it has not been.
    pia_completed_on: Mapped[date | None] = mapped_column(Date)
    # The measures the assessment agreed, which the addendum's schedule carries: in English and
    # in French, as a contract prints each language's own.
    pia_measures: Mapped[str | None] = mapped_column(Text)
    pia_measures_fr: Mapped[str | None] = mapped_column(Text)
    # Someone confirmed the vendor engages no sub-processor: only then may an addendum say so
    # (an empty list may just be one nobody has filled in yet).
    no_sub_processors: Mapped[bool] = mapped_column(default=False, server_default=false())
    notes: Mapped[str | None] = mapped_column(Text)
    # The tier in force: the administrator's override if there is one, else the computed tier.
    # Stored (and refreshed by services.refresh_risk_tier on every change) rather than computed
    # per query, so that the list filters and sorts on it through an index.
    risk_tier: Mapped[Level] = mapped_column(RankedEnum(Level), default=Level.LOW)
    risk_override: Mapped[Level | None] = mapped_column(RankedEnum(Level))
    risk_override_reason: Mapped[str | None] = mapped_column(Text)
    risk_override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    risk_override_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the next review is due; kept by reviews.services.refresh_review_due, stored so that
    # lists and reminders can find what is due with an index. None: terminated, or not yet set.
    review_due_on: Mapped[date | None] = mapped_column(Date)
    # The last day to give notice before the contract ends or renews (contract end minus the
    # notice period), kept beside review_due_on for the same reason.
    notice_deadline_on: Mapped[date | None] = mapped_column(Date)
    # The vendor's compliance, as vendortrack.compliance.stored judged it on compliance_judged_on
    # and until when it holds: written there only, with plain UPDATEs that move neither
    # updated_at nor version (nobody changed the vendor). On the row so that the list filters,
    # sorts and counts by it through an index, as by any other column. Status None: terminated,
    # not assessed. Reasons: the rule codes, separated by spaces. A new row holds on no day.
    compliance_status: Mapped[str | None] = mapped_column(String(10))
    compliance_reasons: Mapped[str] = mapped_column(String(300), default="", server_default="")
    compliance_judged_on: Mapped[date] = mapped_column(
        Date, default=NOT_JUDGED, server_default=NOT_JUDGED.isoformat()
    )
    compliance_valid_until: Mapped[date] = mapped_column(
        Date, default=NOT_JUDGED, server_default=NOT_JUDGED.isoformat()
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Moves on with every save (SQLAlchemy's version counter: each UPDATE says WHERE version =
    # the one read). An edit form carries the version it was loaded from, so that a save from a
    # form opened before someone else's save is refused instead of undoing it (VersionedForm).
    version: Mapped[int] = mapped_column(server_default="1")

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    risk_override_by: Mapped[User | None] = relationship(foreign_keys=[risk_override_by_id])
    sharings: Mapped[list["DataSharing"]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan", order_by="DataSharing.id"
    )
    sub_processors: Mapped[list["SubProcessor"]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan", order_by="SubProcessor.id"
    )

    __mapper_args__: ClassVar = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(
            "contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start",
            name="contract_dates",
        ),
        CheckConstraint("notice_period_days IS NULL OR notice_period_days >= 0", name="notice"),
        # The list's usual questions filter by status and sort by name, contract end or tier;
        # these let the database read one page in order instead of sorting every match.
        Index("ix_vendors_status_name_key", "status", "name_key"),
        Index("ix_vendors_status_contract_end", "status", "contract_end"),
        Index("ix_vendors_status_risk_tier", "status", "risk_tier"),
        # The dashboard counts reviews and notices due by date, for vendors not terminated,
        # from these alone; and reads the riskiest vendors a tier at a time in name order.
        Index("ix_vendors_review_due_on_status", "review_due_on", "status"),
        Index("ix_vendors_notice_deadline_on_status", "notice_deadline_on", "status"),
        Index("ix_vendors_risk_tier_name_key", "risk_tier", "name_key"),
        Index("ix_vendors_compliance_status_name_key", "compliance_status", "name_key"),
        # The dashboard's counts on PostgreSQL (migration 0017): the statuses from a small
        # index of their own, and terminated vendors in id order, the order their data sharing
        # is looked up in by (vendor_id, category).
        Index("ix_vendors_compliance_status", "compliance_status"),
        Index("ix_vendors_status_id", "status", "id"),
        # A read finds the statuses that do not hold on its day through these.
        Index("ix_vendors_compliance_valid_until", "compliance_valid_until"),
        Index("ix_vendors_compliance_judged_on", "compliance_judged_on"),
        *length_checks(VENDOR_TEXT_LIMITS),
    )

    @validates("name")
    def _keep_name_key(self, key, value: str) -> str:
        value = value.strip()
        self.name_key = name_key(value)
        return value

    @validates("contact_email")
    def _keep_contact_email_hmac(self, key, value: str | None) -> str | None:
        self.contact_email_hmac = contact_email_hmac(value)
        return value

    @property
    def is_terminated(self) -> bool:
        return self.status == VendorStatus.TERMINATED

    def __repr__(self) -> str:
        return f"<Vendor {self.name!r}>"


@track("data_sharing", vendor_of=lambda sharing: sharing.vendor_id)
class DataSharing(db.Model):
    """One kind of personal information that one vendor receives."""

    __tablename__ = "data_sharings"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(40), index=True)
    data_subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    purpose: Mapped[str] = mapped_column(Text)  # in English
    # In French: a French addendum prints it, and is refused while it is missing.
    purpose_fr: Mapped[str | None] = mapped_column(Text)
    subjects_in_quebec: Mapped[bool] = mapped_column(default=False)
    subjects_in_eu: Mapped[bool] = mapped_column(default=False)
    subjects_in_california: Mapped[bool] = mapped_column(default=False)
    consent_basis: Mapped[ConsentBasis] = mapped_column(NamedEnum(ConsentBasis))
    retention_months: Mapped[int | None]
    retention_until_contract_end: Mapped[bool] = mapped_column(default=False)
    record_count: Mapped[int | None]
    shared_since: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(server_default="1")  # as Vendor.version

    vendor: Mapped[Vendor] = relationship(back_populates="sharings")
    locations: Mapped[list["ProcessingLocation"]] = relationship(
        cascade="all, delete-orphan", order_by="ProcessingLocation.code"
    )

    __mapper_args__: ClassVar = {"version_id_col": version}
    __table_args__ = (
        # One row per kind of information per vendor: a second purpose goes in the same row.
        UniqueConstraint("vendor_id", "category"),
        CheckConstraint("record_count IS NULL OR record_count > 0", name="record_count"),
        CheckConstraint(
            "retention_months IS NULL OR retention_months > 0", name="retention_months"
        ),
        *length_checks(SHARING_TEXT_LIMITS),
    )

    @property
    def location_codes(self) -> list[str]:
        return [loc.code for loc in self.locations]

    @location_codes.setter
    def location_codes(self, codes: list[str]) -> None:
        wanted = place_codes(codes)
        kept = [loc for loc in self.locations if loc.code in wanted]
        have = {loc.code for loc in kept}
        self.locations = kept + [ProcessingLocation(code=c) for c in wanted if c not in have]


def place_codes(codes: Iterable[str]) -> list[str]:
    """Location codes as stored: upper case, each once, in the order given."""
    return list(dict.fromkeys(code.upper() for code in codes))


def _sharing_vendor(place: "ProcessingLocation") -> int | None:
    # By the sharing's id, not the relationship: a place deleted by cascade may have lost it.
    sharing = db.session.get(DataSharing, place.data_sharing_id) if place.data_sharing_id else None
    return sharing.vendor_id if sharing else None


@track("processing_location", vendor_of=_sharing_vendor, parent="data_sharing_id")
class ProcessingLocation(db.Model):
    """A country (CA) or subdivision (CA-QC) where a data sharing row is stored or processed."""

    __tablename__ = "processing_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    data_sharing_id: Mapped[int] = mapped_column(
        ForeignKey("data_sharings.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(6), index=True)

    __table_args__ = (UniqueConstraint("data_sharing_id", "code"),)


@track("sub_processor", vendor_of=lambda sub: sub.vendor_id)
class SubProcessor(db.Model):
    """A company the vendor entrusts with part of the processing: the list an addendum approves
    as it stands on signing, and that the vendor must keep current."""

    __tablename__ = "sub_processors"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # its legal name, as the addendum prints it
    name_key: Mapped[str] = mapped_column(String(200))  # as Vendor.name_key: once per vendor
    address: Mapped[str | None] = mapped_column(Text)
    processing: Mapped[str] = mapped_column(Text)  # what it does with the information, in English
    processing_fr: Mapped[str | None] = mapped_column(Text)  # in French, as purpose_fr
    location: Mapped[str] = mapped_column(String(6))  # where it processes: ISO 3166 code
    # The categories of information it touches (register catalogue codes), since when, and
    # where we learnt of it (SubProcessorSource); unknown for rows kept before they were asked.
    categories: Mapped[list[str] | None] = mapped_column(JSON)
    since: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(server_default="1")  # as Vendor.version

    vendor: Mapped[Vendor] = relationship(back_populates="sub_processors")

    __mapper_args__: ClassVar = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("vendor_id", "name_key"),
        *length_checks(SUB_PROCESSOR_TEXT_LIMITS),
    )

    @validates("name")
    def _keep_name_key(self, key, value: str) -> str:
        value = value.strip()
        self.name_key = name_key(value)
        return value


def place_allowed(vendor: Vendor, sub: SubProcessor) -> bool:
    """Whether a data sharing row allows the sub-processor's place: the same code, or its whole
    country (a row for the United States allows Virginia; one for Virginia, not the country)."""
    allowed = {code for row in vendor.sharings for code in row.location_codes}
    return bool({sub.location, country_of(sub.location)} & allowed)


class SubProcessorSource(enum.StrEnum):
    """Where we learnt of a sub-processor."""

    LIST = "list"  # the vendor's published list of its sub-processors
    NOTICE = "notice"  # a notice of change the vendor sent (SubProcessorChange)
    CONTRACT = "contract"  # its agreement or our addendum


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"


class ChangeDecision(enum.StrEnum):
    ACCEPTED = "accepted"
    OBJECTED = "objected"


CHANGE_TEXT_LIMITS = {"name": 200, "processing": 2_000, "notice": 2_000, "reason": 2_000}


@track("sub_processor_change", vendor_of=lambda change: change.vendor_id)
class SubProcessorChange(db.Model):
    """A vendor's notice that it adds or drops a sub-processor: received on a day, open to our
    objection until a deadline (the notice period of its addendum), then accepted or objected
    to by legal, with a reason. An addition accepted joins the vendor's list."""

    __tablename__ = "sub_processor_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ChangeKind] = mapped_column(NamedEnum(ChangeKind))
    received_on: Mapped[date] = mapped_column(Date)
    objection_deadline: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str] = mapped_column(String(200))
    processing: Mapped[str | None] = mapped_column(Text)  # the service it provides
    location: Mapped[str | None] = mapped_column(String(6))  # where it would process
    # The categories of information it would touch (register catalogue codes).
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    notice: Mapped[str | None] = mapped_column(Text)  # the vendor's words, or where to find them
    decision: Mapped[ChangeDecision | None] = mapped_column(NamedEnum(ChangeDecision))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # As Vendor.version: two people deciding at the same moment cannot both win.
    version: Mapped[int] = mapped_column(server_default="1")

    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __mapper_args__: ClassVar = {"version_id_col": version}
    __table_args__ = length_checks(CHANGE_TEXT_LIMITS)
