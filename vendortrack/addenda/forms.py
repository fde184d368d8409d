"""Forms for generating an addendum and tracking it to signature."""

from flask_babel import lazy_gettext as _l
from flask_babel import to_utc
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Optional, ValidationError

from vendortrack.addenda.compose import Scope
from vendortrack.addenda.labels import AUTHORISATION_LABELS
from vendortrack.addenda.services import AddendumRequest
from vendortrack.forms import Form, at_most, choices
from vendortrack.register.models import VENDOR_TEXT_LIMITS

CONTRACT_LIMIT = VENDOR_TEXT_LIMITS["contract_reference"]

LANGUAGE_CHOICES = choices(
    [("fr", _l("French")), ("en", _l("English")), ("bilingual", _l("Bilingual (French first)"))]
)
AUTHORISATION_CHOICES = choices(AUTHORISATION_LABELS.items())
NEGOTIATED_CHOICES = choices(
    [
        ("", _l("Not recorded")),
        ("no", _l("Standard form, not negotiated (contract of adhesion)")),
        ("yes", _l("Negotiated with the vendor")),
    ]
)


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class GenerateForm(Form):
    """Language, date and negotiation; the clauses chosen come as repeated `clauses` values and
    the reasons for leaving out a required one as `omit_<clause id>`."""

    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    effective_date = DateField(_l("Effective date"), validators=[DataRequired()])
    negotiated = SelectField(_l("How the terms were set"), choices=NEGOTIATED_CHOICES)
    contract = StringField(
        _l("Contract it amends"),
        description=_l("Its reference or title: the vendor’s contract reference, to begin with."),
        validators=[at_most(CONTRACT_LIMIT)],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    all_contracts = BooleanField(_l("It amends every contract between the parties"))
    covers_earlier = BooleanField(
        _l("It also covers the information the vendor received before its effective date")
    )
    authorisation = RadioField(
        _l("Sub-processors beyond those listed"),
        choices=AUTHORISATION_CHOICES,
        default="general",
        validators=[DataRequired(message=_l("Choose how further sub-processors are authorised."))],
    )

    def validate_contract(self, field):
        if not field.data and not self.all_contracts.data:
            raise ValidationError(
                _l(
                    "Name the contract this addendum amends, or tick “It amends every contract "
                    "between the parties”."
                )
            )

    def addendum_request(self, chosen: list[str], omissions: dict[str, str]) -> AddendumRequest:
        scope = Scope(
            "" if self.all_contracts.data else self.contract.data,
            self.all_contracts.data,
            self.covers_earlier.data,
        )
        return AddendumRequest(
            self.language.data,
            tuple(chosen),
            omissions,
            self.effective_date.data,
            yes_no(self.negotiated.data),
            scope,
            self.authorisation.data,
        )


class SignForm(Form):
    signed_copy = FileField(
        _l("Signed copy (.docx or .pdf)"),
        validators=[FileRequired(message=_l("Choose the signed copy to upload."))],
    )
    signed_on = DateField(_l("Signed on"), validators=[DataRequired()])


def storable_moment(form, field):
    """A local date and time that has a UTC equivalent: at the ends of the calendar it has none
    (31 December 9999 at 23:59 in Montréal is already the year 10000 in UTC)."""
    if field.data is None:
        return
    try:
        to_utc(field.data)
    except OverflowError:
        raise ValidationError(
            _l("VendorTrack cannot record a date and time this far from today.")
        ) from None


class LanguageChoiceForm(Form):
    negotiated = SelectField(_l("How the terms were set"), choices=NEGOTIATED_CHOICES)
    french_delivered_at = DateTimeLocalField(
        _l("French version delivered on"), validators=[Optional(), storable_moment]
    )
    english_chosen_at = DateTimeLocalField(
        _l("Vendor expressly chose English on"), validators=[Optional(), storable_moment]
    )
