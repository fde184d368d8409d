"""Reading and changing the organisation's settings. Functions flush; the caller commits."""

from flask import current_app
from sqlalchemy import select

from vendortrack.accounts.models import User
from vendortrack.database import with_column_defaults
from vendortrack.extensions import db
from vendortrack.geography import country_of
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.reviews.services import refresh_review_dues
from vendortrack.vendors.services import refresh_all_risk_tiers

SETTINGS_ID = 1
SETTINGS_FIELDS = (
    "legal_name", "address", "privacy_officer_name", "privacy_officer_title",
    "privacy_officer_email", "home_jurisdiction", "breach_notice_hours",
    "access_forwarding_days", "signatory_name", "signatory_title",
)  # fmt: skip


def current_settings(default_home: str) -> OrganisationSettings:
    """The saved settings, or defaults (not saved) until an administrator fills them in."""
    settings = db.session.get(OrganisationSettings, SETTINGS_ID)
    if settings is None:
        settings = with_column_defaults(
            OrganisationSettings(id=SETTINGS_ID, home_jurisdiction=default_home)
        )
    return settings


def home_country(default_home: str | None = None) -> str:
    """The country whose borders decide what counts as cross-border processing: the settings'
    home jurisdiction, or VENDORTRACK_HOME_COUNTRY until an administrator sets one."""
    default = default_home or current_app.config["HOME_COUNTRY"]
    # One column, not the settings row: every list page asks.
    saved = db.session.scalar(
        select(OrganisationSettings.home_jurisdiction).where(OrganisationSettings.id == SETTINGS_ID)
    )
    return country_of(saved or default)


def save_settings(
    values: dict, letterhead: tuple[str, bytes] | None, by: User, default_home: str
) -> int:
    """Save the settings; when the home country moves, refresh every vendor's risk tier.

    Returns how many tiers changed. `letterhead` is (file name, checked .docx bytes) to replace
    the current one, or None to keep it.
    """
    settings = current_settings(default_home)
    old_country = country_of(settings.home_jurisdiction)
    for field in SETTINGS_FIELDS:
        setattr(settings, field, values[field])
    if letterhead is not None:
        settings.letterhead_filename, settings.letterhead = letterhead
    settings.updated_by_id = by.id
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
