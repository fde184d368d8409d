"""Changing vendors, their data sharing and their sub-processors. Functions flush; the caller
commits.

Every change that can move the risk tier ends by refreshing it, so the stored tier the list filters
on never disagrees with the facts.
"""

from collections.abc import Callable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from vendortrack.accounts.models import User
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.register.contacts import load_contacts
from vendortrack.register.models import (
    DataSharing,
    Level,
    SubProcessor,
    Vendor,
    VendorStatus,
    name_key,
)
from vendortrack.register.risk import Assessment, SharingFacts, assess_risk

VENDOR_FIELDS = (
    "name", "legal_name", "website", "address", "signatory_name", "signatory_title", "country",
    "subdivision", "services", "status",
    "criticality", "owner_id", "contact_name", "contact_email", "contact_phone",
    "contract_reference", "contract_start", "contract_end", "notice_period_days", "auto_renewal",
    "notes", "pia_completed_on", "pia_measures", "pia_measures_fr", "no_sub_processors",
)  # fmt: skip
SHARING_FIELDS = (
    "category", "data_subjects", "purpose", "purpose_fr", "subjects_in_quebec", "subjects_in_eu",
    "subjects_in_california", "consent_basis", "retention_months", "retention_until_contract_end",
    "record_count", "shared_since", "location_codes",
)  # fmt: skip

SUB_PROCESSOR_FIELDS = (
    "name",
    "address",
    "processing",
    "processing_fr",
    "location",
    "categories",
    "since",
    "source",
)
ALREADY_LISTED = _l("This sub-processor is already listed for this vendor; edit it instead.")

NAME_KEY_LENGTH = Vendor.__table__.c.name_key.type.length


class VendorError(ValueError):
    """A change to the register that cannot be made; the message is for the user."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


def check_name_length(name: str) -> None:
    if len(name_key(name)) > NAME_KEY_LENGTH:
        # Folding can lengthen a name ("ß" becomes "ss"), past what the key column holds.
        raise VendorError(_l("This name is too long."), field="name")


def find_vendor_by_name(name: str) -> Vendor | None:
    return db.session.scalar(select(Vendor).where(Vendor.name_key == name_key(name)))


def assess(vendor: Vendor, home_country: str) -> Assessment:
    """The risk rule applied to a vendor's current facts."""
    facts = [
        SharingFacts(s.category, s.record_count, tuple(s.location_codes)) for s in vendor.sharings
    ]
    return assess_risk(Level(vendor.criticality), facts, home_country)


def refresh_risk_tier(vendor: Vendor, home_country: str) -> None:
    """Store the tier in force: the administrator's override, else the rule's result."""
    vendor.risk_tier = vendor.risk_override or assess(vendor, home_country).tier


def refresh_all_risk_tiers(
    home_country: str, batch: int = 500, progress: Callable[[int], None] | None = None
) -> int:
    """Apply the risk rule again to every vendor; return how many tiers changed.

    For when the rule's inputs change outside any one vendor: the catalogue's sensitivities or
    the home country. Reads the register in batches of vendors with their sharing rows and
    locations, so memory and queries grow with batches, not with vendors.
    """
    changed, last_id = 0, 0
    while True:
        vendors = db.session.scalars(
            select(Vendor)
            .where(Vendor.id > last_id)
            .order_by(Vendor.id)
            .limit(batch)
            .options(selectinload(Vendor.sharings).selectinload(DataSharing.locations))
        ).all()
        if not vendors:
            return changed
        for vendor in vendors:
            before = vendor.risk_tier
            refresh_risk_tier(vendor, home_country)
            changed += vendor.risk_tier != before
        db.session.flush()
        last_id = vendors[-1].id
        if progress:
            progress(len(vendors))


def save_vendor(
    vendor: Vendor, values: dict, home_country: str, *, check_name: bool = True, flush: bool = True
) -> Vendor:
    """Create (when vendor is new) or update a vendor from validated values.

    An import, which checks the names of a whole file at once and writes vendors a batch per flush,
    passes check_name=False and flush=False: a new vendor then stays out of the session until the
    caller adds it and flushes.
    """
    check_name_length(values["name"])
    other = find_vendor_by_name(values["name"]) if check_name else None
    if other is not None and other is not vendor:
        raise VendorError(_l("Another vendor already has this name."), field="name")
    # Only what differs is set, so the contact (deferred) is loaded first: an unloaded value set
    # again would be written again (as a new token) and recorded in the audit trail as a change.
    # A stored value no key opens loads as None, so that a value typed again replaces it.
    if values.get("no_sub_processors") and vendor.sub_processors:
        raise VendorError(
            _l("Sub-processors are listed for this vendor: remove them first, or untick this."),
            field="no_sub_processors",
        )
    load_contacts(vendor)
    for field in VENDOR_FIELDS:
        if field in values and getattr(vendor, field) != values[field]:
            setattr(vendor, field, values[field])
    refresh_risk_tier(vendor, home_country)
    if flush:
        if vendor.id is None:
            db.session.add(vendor)
        db.session.flush()
    return vendor


def terminate_vendor(vendor: Vendor) -> None:
    """Mark the relationship ended. Nothing is deleted: the history stays for audits."""
    vendor.status = VendorStatus.TERMINATED
    db.session.flush()


def save_sharing(
    vendor: Vendor, sharing: DataSharing, values: dict, home_country: str, *, flush: bool = True
) -> DataSharing:
    """Create or update one data sharing row; one row per category per vendor.

    An import passes flush=False and flushes a whole batch of vendors at once.
    """
    duplicate = next(
        (s for s in vendor.sharings if s.category == values["category"] and s is not sharing),
        None,
    )
    if duplicate is not None:
        raise VendorError(
            _l("This vendor already receives this category; edit that row instead."),
            field="category",
        )
    places = sorted(sharing.location_codes)
    for field in SHARING_FIELDS:
        if field in values:
            setattr(sharing, field, values[field])
    if sharing.id is not None and sorted(sharing.location_codes) != places:
        # Its places are rows of their own: changed alone, they would not move the row's
        # version, and a form loaded before would put the old ones back unnoticed.
        sharing.updated_at = utcnow()
    if sharing not in vendor.sharings:
        vendor.sharings.append(sharing)
    refresh_risk_tier(vendor, home_country)
    if flush:
        db.session.flush()
    return sharing


def remove_sharing(
    vendor: Vendor, sharing: DataSharing, home_country: str, *, flush: bool = True
) -> None:
    vendor.sharings.remove(sharing)
    refresh_risk_tier(vendor, home_country)
    if flush:
        db.session.flush()


def save_sub_processor(vendor: Vendor, sub: SubProcessor, values: dict) -> SubProcessor:
    """Create or update one of the vendor's sub-processors with the fields given (the demo's
    rows give no categories, date or source); each name once per vendor."""
    wanted = name_key(values["name"])
    if any(name_key(s.name) == wanted for s in vendor.sub_processors if s is not sub):
        raise VendorError(ALREADY_LISTED, field="name")
    for field in SUB_PROCESSOR_FIELDS:
        if field in values:
            setattr(sub, field, values[field])
    if sub not in vendor.sub_processors:
        vendor.sub_processors.append(sub)
    vendor.no_sub_processors = False  # a confirmation of "none" that no longer holds
    db.session.flush()
    return sub


def remove_sub_processor(vendor: Vendor, sub: SubProcessor) -> None:
    vendor.sub_processors.remove(sub)
    db.session.flush()


def override_risk(
    vendor: Vendor, tier: Level | None, reason: str, by: User, now: datetime, home_country: str
) -> None:
    """Set or clear an administrator's override of the computed tier; a reason is required."""
    if tier is not None and not reason.strip():
        raise VendorError(_l("Give the reason for overriding the risk tier."), field="reason")
    vendor.risk_override = tier
    vendor.risk_override_reason = reason.strip() if tier is not None else None
    vendor.risk_override_by = by if tier is not None else None
    vendor.risk_override_at = now if tier is not None else None
    refresh_risk_tier(vendor, home_country)
    db.session.flush()
