"""Loading the sample register through the same services as the forms. Flushes; the caller commits.

Safe to run again: a vendor whose name is already in the register, or a user whose email already
has an account, is left alone and counted as skipped. The organisation's settings are filled, and
marked as sample data, only while nobody has entered any.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from vendortrack.accounts.models import User
from vendortrack.accounts.services import create_user, find_user_by_email
from vendortrack.demo.sample import (
    PURPOSES_FR,
    USERS,
    VENDORS,
    SampleAssessment,
    SampleSharing,
    SampleVendor,
)
from vendortrack.organisation.services import SampleFill, fill_sample_settings, home_country
from vendortrack.register.models import DataSharing, SubProcessor, Vendor
from vendortrack.register.services import (
    find_vendor_by_name,
    save_sharing,
    save_sub_processor,
    save_vendor,
)


@dataclass
class DemoSummary:
    """What a load added, and what it left alone because it was already there."""

    users_created: list[str] = field(default_factory=list)
    users_skipped: list[str] = field(default_factory=list)
    vendors_created: list[str] = field(default_factory=list)
    vendors_skipped: list[str] = field(default_factory=list)
    sharings_created: int = 0
    settings: SampleFill | None = None


def today_in(timezone: str) -> date:
    """The organisation's date now: late in the evening in Montréal it is already tomorrow in
    UTC, and the sample's contract dates should match the calendar on the user's wall."""
    return datetime.now(ZoneInfo(timezone)).date()


def load_demo(default_home: str, today: date) -> DemoSummary:
    """Add the sample users and vendors that are not there yet, with dates relative to today,
    and the sample organisation's settings while there are none.

    default_home is the home jurisdiction until the settings give one (VENDORTRACK_HOME_COUNTRY).
    """
    summary = DemoSummary()
    # First: the settings decide the home country, which the vendors' risk tiers depend on.
    summary.settings = fill_sample_settings(default_home)
    home = home_country(default_home)
    owners = _load_users(summary)
    for sample in VENDORS:
        if find_vendor_by_name(sample.name) is not None:
            summary.vendors_skipped.append(sample.name)
            continue
        owner = owners.get(sample.owner) if sample.owner else None
        vendor = save_vendor(Vendor(), vendor_values(sample, owner, today), home)
        for sharing in sample.sharings:
            values = sharing_values(sharing, sample, today)
            save_sharing(vendor, DataSharing(), values, home)
            summary.sharings_created += 1
        for sub in sample.sub_processors:
            save_sub_processor(vendor, SubProcessor(), asdict(sub))
        summary.vendors_created.append(sample.name)
    return summary


def _load_users(summary: DemoSummary) -> dict[str, User]:
    """Create the sample owners without passwords; return every sample owner by email."""
    owners = {}
    for sample in USERS:
        user = find_user_by_email(sample.email)
        if user is None:
            # No password: VendorTrack has no default passwords, so these accounts cannot sign
            # in until an administrator sets one.
            user = create_user(sample.email, sample.name, sample.role, sample.language)
            summary.users_created.append(sample.email)
        else:
            summary.users_skipped.append(sample.email)
        owners[sample.email] = user
    return owners


def vendor_values(sample: SampleVendor, owner: User | None, today: date) -> dict:
    """The values save_vendor takes, with the sample's relative dates made real."""
    return {
        "name": sample.name,
        "legal_name": sample.legal_name,
        "website": sample.website,
        "address": sample.address or None,
        "country": sample.country,
        "subdivision": sample.subdivision,
        "services": sample.services,
        "status": sample.status,
        "criticality": sample.criticality,
        "owner_id": owner.id if owner else None,
        "contact_name": sample.contact[0],
        "contact_email": sample.contact[1],
        "contact_phone": sample.contact[2],
        "contract_reference": sample.contract_reference,
        "contract_start": _day(today, sample.start),
        "contract_end": _day(today, sample.end),
        "notice_period_days": sample.notice_days,
        "auto_renewal": sample.auto_renewal,
        "notes": sample.notes,
        "no_sub_processors": sample.no_sub_processors,
        **_assessment(sample.pia, today),
    }


def _assessment(pia: SampleAssessment | None, today: date) -> dict:
    if pia is None:
        return {}
    return {
        "pia_completed_on": _day(today, pia.completed),
        "pia_measures": pia.measures_en,
        "pia_measures_fr": pia.measures_fr,
    }


def sharing_values(sharing: SampleSharing, vendor: SampleVendor, today: date) -> dict:
    """The values save_sharing takes; shared since the contract started unless the row says."""
    return {
        "category": sharing.category,
        "data_subjects": list(sharing.subjects),
        "purpose": sharing.purpose,
        "purpose_fr": PURPOSES_FR[sharing.purpose],
        "subjects_in_quebec": sharing.quebec,
        "subjects_in_eu": sharing.eu,
        "subjects_in_california": sharing.california,
        "consent_basis": sharing.consent,
        "retention_months": sharing.retention_months,
        "retention_until_contract_end": sharing.retention_months is None,
        "record_count": sharing.records,
        "shared_since": _day(today, sharing.since if sharing.since is not None else vendor.start),
        "location_codes": list(sharing.locations),
    }


def _day(today: date, offset: int | None) -> date | None:
    return None if offset is None else today + timedelta(days=offset)
