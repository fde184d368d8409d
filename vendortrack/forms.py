"""Form pieces shared by every feature: choices and validators that speak the user's language."""

import re

from flask_babel import LazyString, format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, StopValidation, ValidationError

from vendortrack.database import MAX_INTEGER
from vendortrack.geography import is_country, is_location


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms expects (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGE_CHOICES = choices([("en", "English"), ("fr", "Français")])
NUL = "\x00"
# Unicode's control characters (category Cc: tab, line feed, carriage return, escape, next line
# ...) and its line and paragraph separators.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def no_nul(form, field):
    """Refuse text holding the NUL character, which PostgreSQL cannot store. Nobody types one:
    it comes with text pasted from elsewhere, and it is invisible, hence the advice."""
    values = getattr(field, "raw_data", None) or ()  # None for a field the request left out
    if any(isinstance(value, str) and NUL in value for value in values):
        raise StopValidation(
            _l(
                "Type this text again rather than pasting it: it holds an invisible character "
                "(NUL) that cannot be saved."
            )
        )


def one_line(form, field):
    """Refuse line breaks and other control characters in a one-line field. A name is shown on
    one line, of a page or of someone else's digest, where a line break would start a line of
    the sender's choosing; a browser's one-line box cannot take one, so it was pasted or sent
    by a script."""
    values = getattr(field, "raw_data", None) or ()
    if any(isinstance(value, str) and CONTROL.search(value) for value in values):
        raise StopValidation(_l("Remove the line breaks or control characters from this field."))


def is_one_line(field) -> bool:
    # Every text box but the multi-line one (a TextAreaField is a StringField too). Passwords are
    # left alone: never shown to anybody, and refusing a character at sign-in could lock out an
    # account whose password already holds one.
    return isinstance(field, StringField) and not isinstance(field, TextAreaField | PasswordField)


class Form(FlaskForm):
    """The base of VendorTrack's forms: each field first refuses text no database can store,
    and each one-line field text that would not stay on one line."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            first = [no_nul, one_line] if is_one_line(field) else [no_nul]
            field.validators = [*first, *field.validators]
            return field


def country_code(form, field):
    if field.data and not is_country(field.data.strip()):
        raise ValidationError(_l("Enter a two-letter ISO 3166 country code, such as CA or FR."))


def location_codes(form, field):
    _refuse_unknown([code for code in field.data or [] if not is_location(code)])


def location_code(form, field):
    """One country or region code, where the field holds one."""
    if field.data and re.search(r"[,;\s]", field.data.strip()):
        raise ValidationError(_l("Enter one code only, such as US-VA."))
    _refuse_unknown([field.data] if field.data and not is_location(field.data) else [])


def _refuse_unknown(unknown: list[str]) -> None:
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


def whole_number(text: str) -> int | None:
    """Text that is a non-negative number small enough for the database, as that number; else
    None. For numbers read from an address (a page, an id) rather than from a form's field.

    Not str.isdigit(), which also accepts digits such as "²" that int() refuses.
    """
    if text.isascii() and text.isdecimal() and len(text) <= 18:
        return int(text)
    return None


def number_at_least(minimum: int, message):
    """A validator: a number at least `minimum` that every database can store.

    Silent when the field holds no number: an empty optional field needs no check, and text
    that is not a number already has its own error, which a second one would only blur.
    """

    def check(form, field):
        if field.data is None:
            raise StopValidation()
        if field.data < minimum:
            raise ValidationError(message)
        if field.data > MAX_INTEGER:
            raise ValidationError(
                _l("Enter a number no larger than %(max)s.", max=format_decimal(MAX_INTEGER))
            )

    return check


def at_most(limit: int) -> Length:
    """At most `limit` characters, the number written the reader's way ("20,000", "20 000").

    The limits are the models' (their *_TEXT_LIMITS), which the database keeps as well.
    """
    shown = LazyString(lambda: format_decimal(limit))
    return Length(max=limit, message=_l("Write at most %(max)s characters.", max=shown))


class LocationsField(StringField):
    """Country and region codes typed as one line of text ("CA-QC, US"), held as a list."""

    def process_formdata(self, valuelist):
        if valuelist:
            text = valuelist[0].replace(";", ",")
            self.data = [code.strip().upper() for code in text.split(",") if code.strip()]

    def process_data(self, value):
        # From the edited row: its ProcessingLocation objects, or plain codes.
        self.data = [getattr(item, "code", item) for item in value or []]

    def _value(self) -> str:
        return ", ".join(self.data or [])


class ConfirmForm(Form):
    """A form with nothing but its CSRF token, for actions confirmed with one button."""
