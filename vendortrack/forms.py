"""Form pieces shared by every feature: choices and validators that speak the user's language."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice
from wtforms.validators import ValidationError

from vendortrack.geography import is_country, is_location


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms expects (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGE_CHOICES = choices([("en", "English"), ("fr", "Français")])


def country_code(form, field):
    if field.data and not is_country(field.data.strip()):
        raise ValidationError(_l("Enter a two-letter ISO 3166 country code, such as CA or FR."))


def location_codes(form, field):
    unknown = [code for code in field.data or [] if not is_location(code)]
    if unknown:
        raise ValidationError(
            _l(
                "Unknown country or region code: %(codes)s. Use ISO 3166 codes such as CA, "
                "CA-QC or DE.",
                codes=", ".join(unknown),
            )
        )


def strip_or_none(value):
    if isinstance(value, str):
        value = value.strip()
    return value or None
