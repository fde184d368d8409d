"""Reading and changing the organisation's settings. Functions flush; the caller commits."""

import enum

from flask import current_app
from sqlalchemy import select

from vendortrack.accounts.models import User
from vendortrack.database import with_column_defaults
from vendortrack.extensions import db
from vendortrack.geography import country_of
from vendortrack.organisation.models import STANDING_FIELDS, OrganisationSettings
from vendortrack.organisation.sample import SAMPLE_SETTINGS
from vendortrack.register.services import refresh_all_risk_tiers
from vendortrack.reviews.services import refresh_review_dues

SETTINGS_ID = 1
SETTINGS_FIELDS = (
    "legal_name", "address", "privacy_officer_name", "privacy_officer_title",
    "privacy_officer_email", "home_jurisdiction", "breach_notice_hours",
    "access_forwarding_days", "signatory_name", "signatory_title", "ccpa_business",
    "uncapped_liability", "governing_law", "forum", "sub_processor_notice_days",
    "acts_as_processor", "eu_member_state", "swiss_transfers", "uk_transfers", "eu_representative",
)  # fmt: skip


def current_settings(default_home: str) -> OrganisationSettings:
    """The saved settings, or defaults (not saved) until an administrator fills them in."""
    return db.session.get(OrganisationSettings, SETTINGS_ID) or fresh_settings(default_home)


def fresh_settings(default_home: str) -> OrganisationSettings:
    """What a new installation starts with (not saved)."""
    return with_column_defaults(
        OrganisationSettings(id=SETTINGS_ID, home_jurisdiction=default_home)
    )


def home_country(default_home: str | None = None) -> str:
    """The country whose borders decide what counts as cross-border processing: the settings'
    home jurisdiction, or VENDORTRACK_HOME_COUNTRY until an administrator sets one."""
    default = default_home or current_app.config["HOME_COUNTRY"]
    # One column, not the settings row: every list page asks.
    saved = db.session.scalar(
        select(OrganisationSettings.home_jurisdiction).where(OrganisationSettings.id == SETTINGS_ID)
    )
    return country_of(saved or default)


def legal_standing(default_home: str | None = None):
    """The settings the clauses' facts depend on: the home jurisdiction (CA-QC, not only its
    country), whether the organisation is a CCPA "business", whether addenda lift the liability
    cap, whether the SCCs carry Swiss and UK transfers. These columns, not the settings row:
    every list page asks."""
    default = default_home or current_app.config["HOME_COUNTRY"]
    columns = [getattr(OrganisationSettings, name) for name in STANDING_FIELDS]
    row = db.session.execute(select(*columns).where(OrganisationSettings.id == SETTINGS_ID)).first()
    return row if row and row.home_jurisdiction else fresh_settings(default)


def save_settings(
    values: dict,
    letterhead: tuple[str, bytes] | None,
    by: User | None,
    default_home: str,
    sample: bool = False,
) -> int:
    """Save the settings; when the home country moves, refresh every vendor's risk tier.

    Returns how many tiers changed. `letterhead` is (file name, checked .docx bytes) to replace
    the current one, or None to keep it. `by` is None for a command. Saved settings are the
    organisation's own unless `sample` says they come from the sample register.
    """
    settings = current_settings(default_home)
    old_country = country_of(settings.home_jurisdiction)
    for field in SETTINGS_FIELDS:
        setattr(settings, field, values[field])
    if letterhead is not None:
        settings.letterhead_filename, settings.letterhead = letterhead
    settings.is_sample = sample
    settings.updated_by_id = by.id if by else None
    db.session.add(settings)
    db.session.flush()
    new_country = country_of(settings.home_jurisdiction)
    if new_country == old_country:
        return 0
    changed = refresh_all_risk_tiers(new_country)
    refresh_review_dues()  # a new tier means a new interval between reviews
    return changed


def remove_letterhead(default_home: str) -> None:
    settings = current_settings(default_home)
    settings.letterhead, settings.letterhead_filename = None, None
    db.session.add(settings)
    db.session.flush()


class SampleFill(enum.StrEnum):
    """What loading the sample register did with the settings."""

    FILLED = "filled"  # nobody had entered any: the sample's are in, marked as sample data
    ALREADY = "already"  # the sample's were there from an earlier load
    KEPT = "kept"  # an administrator's, left as they are


def fill_sample_settings(default_home: str) -> SampleFill:
    """Save the sample organisation's settings, marked as sample, while nobody has entered any.

    Settings someone entered are never overwritten, not even the fields they left blank.
    """
    settings = current_settings(default_home)
    if settings.is_sample:
        return SampleFill.ALREADY
    if not untouched(settings, default_home):
        return SampleFill.KEPT
    values = dict(SAMPLE_SETTINGS)
    if country_of(values["home_jurisdiction"]) != country_of(default_home):
        # The home country decides what counts as cross-border for every vendor, real ones
        # included, and moving it recomputes all their risk tiers: sample data must not do that
        # behind the configured VENDORTRACK_HOME_COUNTRY. The invented organisation keeps its
        # name and people; its home is the installation's.
        values["home_jurisdiction"] = default_home
    save_settings(values, None, None, default_home, sample=True)
    return SampleFill.FILLED


def untouched(settings: OrganisationSettings, default_home: str) -> bool:
    """Whether the settings still hold what a new installation starts with, saved by nobody.

    Not only "no row": a row can exist with nothing in it, say after `settings set` cleared
    the one field someone had typed. A row an administrator saved is theirs, even if it holds
    only the defaults.
    """
    fresh = fresh_settings(default_home)
    same = all(getattr(settings, name) == getattr(fresh, name) for name in SETTINGS_FIELDS)
    return same and settings.letterhead_filename is None and settings.updated_by_id is None
