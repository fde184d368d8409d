"""Forms for vendors, their data sharing and sub-processors, the risk override and termination."""

from typing import ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from vendortrack.forms import (
    Form,
    LocationsField,
    at_most,
    choices,
    country_code,
    location_code,
    location_codes,
    number_at_least,
    strip_or_none,
)
from vendortrack.geography import country_choices, country_of, is_subdivision
from vendortrack.i18n import current_language
from vendortrack.register.catalogue import categories, subjects
from vendortrack.register.labels import (
    CONSENT_LABELS,
    CRITICALITY_LABELS,
    LEVEL_LABELS,
    STATUS_LABELS,
)
from vendortrack.register.models import (
    CHANGE_TEXT_LIMITS,
    SHARING_TEXT_LIMITS,
    SUB_PROCESSOR_TEXT_LIMITS,
    VENDOR_TEXT_LIMITS,
    ChangeDecision,
    ChangeKind,
    ConsentBasis,
    Level,
    SubProcessorSource,
    VendorStatus,
)
from vendortrack.versioned import NOT_VALUES, VersionedForm

LEVEL_CHOICES = choices((level.code, label) for level, label in LEVEL_LABELS.items())
CRITICALITY_CHOICES = choices((lvl.code, label) for lvl, label in CRITICALITY_LABELS.items())
NOT_NEGATIVE = number_at_least(0, _l("Enter zero or a positive number."))
POSITIVE = number_at_least(1, _l("Enter a positive number."))


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VendorForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(), at_most(VENDOR_TEXT_LIMITS["name"])])
    legal_name = StringField(
        _l("Legal name"),
        validators=[Optional(), at_most(VENDOR_TEXT_LIMITS["legal_name"])],
        filters=[strip_or_none],
    )
    website = URLField(
        _l("Website"),
        validators=[
            Optional(),
            URL(message=_l("Enter a full address such as https://example.com.")),
            at_most(VENDOR_TEXT_LIMITS["website"]),
        ],
        filters=[strip_or_none],
    )
    address = TextAreaField(
        _l("Address"),
        validators=[at_most(VENDOR_TEXT_LIMITS["address"])],
        filters=[strip_or_none],
        description=_l("Printed under its name in the addendum."),
    )
    signatory_name = StringField(
        _l("Who signs for the vendor"),
        validators=[Optional(), at_most(VENDOR_TEXT_LIMITS["signatory_name"])],
        filters=[strip_or_none],
        description=_l("The contact, if left empty."),
    )
    signatory_title = StringField(
        _l("Their title"),
        validators=[Optional(), at_most(VENDOR_TEXT_LIMITS["signatory_title"])],
        filters=[strip_or_none],
    )
    country = SelectField(_l("Country"), validators=[DataRequired(), country_code])
    subdivision = StringField(
        _l("Province or state"),
        description=_l("ISO 3166-2 code, for example CA-QC or US-CA."),
        validators=[Optional(), Length(max=6)],
        filters=[lambda v: v.strip().upper() if v else None],
    )
    services = TextAreaField(
        _l("Services provided"),
        validators=[at_most(VENDOR_TEXT_LIMITS["services"])],
        filters=[strip_or_none],
    )
    status = SelectField(
        _l("Status"), choices=choices((s.value, label) for s, label in STATUS_LABELS.items())
    )
    criticality = SelectField(_l("Criticality to the business"), choices=CRITICALITY_CHOICES)
    owner_id = SelectField(_l("Internal owner"), coerce=int, default=0)
    contact_name = StringField(
        _l("Contact name"), validators=[Optional(), Length(max=120)], filters=[strip_or_none]
    )
    contact_email = EmailField(
        _l("Contact email"),
        validators=[Optional(), Email(message=_l("Enter a valid email address.")), Length(max=254)],
        filters=[strip_or_none],
    )
    contact_phone = StringField(
        _l("Contact phone"), validators=[Optional(), Length(max=40)], filters=[strip_or_none]
    )
    contract_reference = StringField(
        _l("Contract reference"),
        validators=[Optional(), at_most(VENDOR_TEXT_LIMITS["contract_reference"])],
        filters=[strip_or_none],
    )
    contract_start = DateField(_l("Contract start"), validators=[Optional()])
    contract_end = DateField(_l("Contract end"), validators=[Optional()])
    notice_period_days = IntegerField(
        _l("Notice period (days)"), validators=[Optional(), NOT_NEGATIVE]
    )
    auto_renewal = BooleanField(_l("Renews automatically"))
    pia_completed_on = DateField(
        _l("Privacy impact assessment completed on"),
        validators=[Optional()],
        description=_l("Québec: required before information about people in Québec goes outside."),
    )
    pia_measures = TextAreaField(
        _l("Measures the assessment agreed (English)"),
        validators=[at_most(VENDOR_TEXT_LIMITS["pia_measures"])],
        filters=[strip_or_none],
        description=_l("The addendum’s schedule lists them, one a line."),
    )
    pia_measures_fr = TextAreaField(
        _l("Measures the assessment agreed (French)"),
        validators=[at_most(VENDOR_TEXT_LIMITS["pia_measures_fr"])],
        filters=[strip_or_none],
        description=_l("Needed for a French or bilingual addendum."),
    )
    no_sub_processors = BooleanField(
        _l("The vendor engages no sub-processor"),
        description=_l("Confirmed with the vendor: its addendum then says it engages none."),
    )
    notes = TextAreaField(
        _l("Notes"), validators=[at_most(VENDOR_TEXT_LIMITS["notes"])], filters=[strip_or_none]
    )

    def __init__(self, *args, owners=(), manages_register=True, **kwargs):
        """`manages_register` is False for a vendor's owner, who may neither hand the vendor to
        someone else nor end (or revive) the relationship: those are admin, legal and manager
        decisions."""
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.country.choices = choices([("", "—"), *country_choices(lang)])
        self.owner_id.choices = choices([(0, _l("No owner")), *((u.id, u.name) for u in owners)])
        if not manages_register:
            del self.owner_id
            self._restrict_status(kwargs.get("obj"))

    def _restrict_status(self, vendor) -> None:
        if vendor is not None and vendor.status == VendorStatus.TERMINATED:
            del self.status
        else:
            self.status.choices = [c for c in self.status.choices if c.value != "terminated"]

    def validate_subdivision(self, field):
        if not field.data:
            return
        if not is_subdivision(field.data):
            raise ValidationError(_l("Unknown ISO 3166-2 code; use one such as CA-QC or US-CA."))
        if self.country.data and country_of(field.data) != self.country.data.upper():
            raise ValidationError(_l("This province or state is not in the chosen country."))

    def validate_contract_end(self, field):
        start = self.contract_start.data
        if field.data and start and field.data < start:
            raise ValidationError(_l("The contract cannot end before it starts."))

    def values(self) -> dict:
        """The validated values, in the model's terms."""
        data = {f.short_name: f.data for f in self if f.short_name not in NOT_VALUES}
        data["name"] = data["name"].strip()
        data["country"] = data["country"].upper()
        data["criticality"] = Level.from_code(data["criticality"])
        if "status" in data:
            data["status"] = VendorStatus(data["status"])
        if "owner_id" in data:
            data["owner_id"] = data["owner_id"] or None
        return data


class SharingForm(VersionedForm):
    value_fields: ClassVar = {"locations": "location_codes"}

    category = SelectField(_l("Category of personal information"), validators=[DataRequired()])
    data_subjects = CheckboxesField(_l("About whom"))
    purpose = TextAreaField(
        _l("Purpose, in English"),
        description=_l("Why the vendor receives this information."),
        validators=[
            DataRequired(message=_l("Say why the vendor receives this information.")),
            at_most(SHARING_TEXT_LIMITS["purpose"]),
        ],
    )
    purpose_fr = TextAreaField(
        _l("Purpose, in French"),
        description=_l("A French or bilingual addendum prints it, and waits for it."),
        validators=[at_most(SHARING_TEXT_LIMITS["purpose_fr"])],
        filters=[strip_or_none],
    )
    locations = LocationsField(
        _l("Where it is stored or processed"),
        description=_l("ISO 3166 codes separated by commas, for example CA-QC, US, DE."),
        validators=[location_codes],
    )
    subjects_in_quebec = BooleanField(_l("Some of these people are in Québec"))
    subjects_in_eu = BooleanField(_l("Some of these people are in the European Union"))
    subjects_in_california = BooleanField(_l("Some of these people are in California"))
    consent_basis = RadioField(
        _l("Consent"),
        choices=choices((c.value, label) for c, label in CONSENT_LABELS.items()),
        validators=[DataRequired(message=_l("Choose the kind of consent."))],
    )
    retention_months = IntegerField(_l("Kept for (months)"), validators=[Optional(), POSITIVE])
    retention_until_contract_end = BooleanField(_l("Kept until the contract ends"))
    record_count = IntegerField(
        _l("Approximate number of records"), validators=[Optional(), POSITIVE]
    )
    shared_since = DateField(_l("Shared since"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.category.choices = choices(
            # The examples help pick the right category ("financial: card numbers, ...").
            [("", "—")]
            + [(code, f"{e.label(lang)} ({e.examples(lang)})") for code, e in categories().items()]
        )
        self.data_subjects.choices = choices(
            (code, e.label(lang)) for code, e in subjects().items()
        )

    def validate_retention_months(self, field):
        if field.data and self.retention_until_contract_end.data:
            raise ValidationError(
                _l("Give a number of months or tick “until the contract ends”, not both.")
            )

    def validate(self, extra_validators=None) -> bool:
        # "Neither" cannot be an inline validator of retention_months: Optional() ends that
        # field's checks when it is empty, which is exactly the case to catch.
        valid = super().validate(extra_validators)
        months = self.retention_months
        if months.data is None and not months.errors and not self.retention_until_contract_end.data:
            months.errors.append(_l("Say how long the vendor keeps this information."))
            return False
        return valid

    def values(self) -> dict:
        data = {f.short_name: f.data for f in self if f.short_name not in NOT_VALUES}
        data["purpose"] = data["purpose"].strip()
        data["consent_basis"] = ConsentBasis(data["consent_basis"])
        data["location_codes"] = data.pop("locations") or []
        return data


class RiskOverrideForm(Form):
    tier = SelectField(
        _l("Risk tier"), choices=[SelectChoice("", _l("Use the computed tier")), *LEVEL_CHOICES]
    )
    reason = TextAreaField(
        _l("Justification"), validators=[at_most(VENDOR_TEXT_LIMITS["risk_override_reason"])]
    )


class SubProcessorForm(VersionedForm):
    name = StringField(
        _l("Legal name"),
        validators=[
            DataRequired(message=_l("Give the sub-processor’s legal name.")),
            at_most(SUB_PROCESSOR_TEXT_LIMITS["name"]),
        ],
        filters=[strip_or_none],
    )
    address = TextAreaField(
        _l("Address"),
        validators=[at_most(SUB_PROCESSOR_TEXT_LIMITS["address"])],
        filters=[strip_or_none],
    )
    processing = TextAreaField(
        _l("What it does with the information, in English"),
        description=_l("Such as: hosts the application’s database; sends the emails."),
        validators=[
            DataRequired(message=_l("Say what the sub-processor does with the information.")),
            at_most(SUB_PROCESSOR_TEXT_LIMITS["processing"]),
        ],
        filters=[strip_or_none],
    )
    processing_fr = TextAreaField(
        _l("What it does with the information, in French"),
        description=_l("A French or bilingual addendum prints it, and waits for it."),
        validators=[at_most(SUB_PROCESSOR_TEXT_LIMITS["processing_fr"])],
        filters=[strip_or_none],
    )
    location = StringField(
        _l("Where it processes the information"),
        description=_l("One ISO 3166 code, such as US-VA, IE or CA-QC."),
        validators=[
            DataRequired(message=_l("Say where the sub-processor processes the information.")),
            location_code,
        ],
        filters=[lambda v: v.strip().upper() if isinstance(v, str) else v],
    )
    categories = CheckboxesField(_l("Information it touches"))
    since = DateField(_l("Since"), validators=[Optional()])
    source = SelectField(
        _l("Where we learnt of it"),
        choices=choices(
            [
                ("", "—"),
                (SubProcessorSource.LIST.value, _l("The vendor’s list of sub-processors")),
                (SubProcessorSource.NOTICE.value, _l("A notice of change from the vendor")),
                (SubProcessorSource.CONTRACT.value, _l("The vendor’s agreement or our addendum")),
            ]
        ),
        default="",  # not said: a form sent without it
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.categories.choices = choices((c, e.label(lang)) for c, e in categories().items())
        if self.source.data is None:  # a row kept before it was asked: not said
            self.source.data = ""

    def values(self) -> dict:
        values = {f.short_name: f.data for f in self if f.short_name not in NOT_VALUES}
        return values | {"source": values["source"] or None}


class ChangeForm(Form):
    """The vendor's notice of a change to its sub-processors, as received."""

    kind = RadioField(
        _l("The vendor"),
        choices=choices(
            [
                (ChangeKind.ADDED.value, _l("adds a sub-processor")),
                (ChangeKind.REMOVED.value, _l("stops using a sub-processor")),
            ]
        ),
        validators=[DataRequired(message=_l("Say whether it adds or drops one."))],
    )
    received_on = DateField(
        _l("Notice received on"),
        validators=[DataRequired(message=_l("Give the day the notice came."))],
    )
    name = StringField(
        _l("Sub-processor’s legal name"),
        validators=[
            DataRequired(message=_l("Give the sub-processor’s legal name.")),
            at_most(CHANGE_TEXT_LIMITS["name"]),
        ],
        filters=[strip_or_none],
    )
    processing = TextAreaField(
        _l("What it would do with the information, in English"),
        validators=[at_most(CHANGE_TEXT_LIMITS["processing"])],
        filters=[strip_or_none],
    )
    location = StringField(
        _l("Where it would process the information"),
        description=_l("One ISO 3166 code, such as US-VA, IE or CA-QC."),
        validators=[Optional(), location_code],
        filters=[lambda v: v.strip().upper() if isinstance(v, str) else v],
    )
    categories = CheckboxesField(_l("Information it would touch"))
    notice = TextAreaField(
        _l("The notice (its words, or where it is filed)"),
        validators=[at_most(CHANGE_TEXT_LIMITS["notice"])],
        filters=[strip_or_none],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.categories.choices = choices((c, e.label(lang)) for c, e in categories().items())


class ChangeDecisionForm(Form):
    decision = RadioField(
        _l("Decision"),
        choices=choices(
            [
                (ChangeDecision.ACCEPTED.value, _l("Accept the change")),
                (ChangeDecision.OBJECTED.value, _l("Object to it")),
            ]
        ),
        validators=[DataRequired(message=_l("Accept the change or object to it."))],
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[at_most(CHANGE_TEXT_LIMITS["reason"])],
        filters=[strip_or_none],
    )
