"""The organisation settings form."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    StopValidation,
    ValidationError,
)

from vendortrack.forms import at_most, choices
from vendortrack.geography import (
    EU_STATES_OF,
    PROVINCES_IN,
    is_location,
    location_name,
    sort_key,
)
from vendortrack.organisation.models import (
    MAX_SUB_PROCESSOR_NOTICE_DAYS,
    SETTINGS_TEXT_LIMITS,
)
from vendortrack.versioned import NOT_VALUES, VersionedForm

MAX_FORWARDING_DAYS = 20  # keeps at least ten of our thirty days to answer the request


def between(minimum: int, maximum: int, message):
    """A number from `minimum` to `maximum`; silent when the field holds no number, since text
    that is not one already has its error (the same message, from invalid_value_message)."""

    def check(form, field):
        if field.data is None:
            raise StopValidation()
        if not minimum <= field.data <= maximum:
            raise ValidationError(message)

    return check


# The settings' boxes, and what the command line may write for each answer (any case).
CHECKBOXES = (
    "ccpa_business",
    "uncapped_liability",
    "acts_as_processor",
    "swiss_transfers",
    "uk_transfers",
)
YES_WORDS = ("yes", "y", "true", "1", "on", "oui")
NO_WORDS = ("no", "n", "false", "0", "off", "non")
MAX_BREACH_NOTICE_HOURS = 720  # 30 days
HOURS_ALLOWED = _l("Enter a whole number of hours from 1 to %(max)s.", max=MAX_BREACH_NOTICE_HOURS)
DAYS_ALLOWED = _l("Enter a whole number of days from 1 to %(max)s.", max=MAX_FORWARDING_DAYS)
NOTICE_ALLOWED = _l(
    "Enter a whole number of days from 1 to %(max)s.", max=MAX_SUB_PROCESSOR_NOTICE_DAYS
)


class SettingsForm(VersionedForm):
    not_values = NOT_VALUES | {"letterhead", "remove_letterhead"}

    legal_name = StringField(
        _l("Legal name of the organisation"),
        validators=[DataRequired(), at_most(SETTINGS_TEXT_LIMITS["legal_name"])],
    )
    address = TextAreaField(_l("Address"), validators=[at_most(SETTINGS_TEXT_LIMITS["address"])])
    privacy_officer_name = StringField(
        _l("Person in charge of protecting personal information"),
        validators=[DataRequired(), at_most(SETTINGS_TEXT_LIMITS["privacy_officer_name"])],
    )
    privacy_officer_title = StringField(
        _l("Their title"), validators=[at_most(SETTINGS_TEXT_LIMITS["privacy_officer_title"])]
    )
    privacy_officer_email = EmailField(
        _l("Their email"),
        validators=[
            DataRequired(),
            Email(message=_l("Enter a valid email address.")),
            at_most(SETTINGS_TEXT_LIMITS["privacy_officer_email"]),
        ],
    )
    home_jurisdiction = StringField(
        _l("Home jurisdiction"),
        description=_l(
            "ISO 3166 code of where the organisation is, such as CA-QC. Processing outside its "
            "country counts as cross-border."
        ),
        validators=[DataRequired(), Length(max=6)],
        filters=[lambda v: v.strip().upper() if isinstance(v, str) else v],
    )
    # Every wrong number gets the same message, saying what is allowed: nothing, text that is
    # not a whole number ("twenty", "2.5") through IntegerField's invalid_value_message, and 0
    # or 721 through between(). InputRequired, not DataRequired, which would call 0 missing.
    breach_notice_hours = IntegerField(
        _l("Hours a vendor has to tell us of a breach"),
        invalid_value_message=HOURS_ALLOWED,
        validators=[
            InputRequired(HOURS_ALLOWED),
            between(1, MAX_BREACH_NOTICE_HOURS, HOURS_ALLOWED),
        ],
    )
    access_forwarding_days = IntegerField(
        _l("Days a vendor has to forward an access request to us"),
        description=_l(
            "We must answer within 30 days, so the vendor's delay must leave us time: at most "
            "%(max)s days.",
            max=MAX_FORWARDING_DAYS,
        ),
        invalid_value_message=DAYS_ALLOWED,
        validators=[InputRequired(DAYS_ALLOWED), between(1, MAX_FORWARDING_DAYS, DAYS_ALLOWED)],
    )
    signatory_name = StringField(
        _l("Who signs for the organisation"),
        validators=[at_most(SETTINGS_TEXT_LIMITS["signatory_name"])],
    )
    signatory_title = StringField(
        _l("Their title"), validators=[at_most(SETTINGS_TEXT_LIMITS["signatory_title"])]
    )
    ccpa_business = BooleanField(
        _l("The organisation is a “business” under the California Consumer Privacy Act"),
        description=_l(
            "Only then do addenda for vendors holding information about California residents "
            "carry the CCPA service-provider terms."
        ),
    )
    uncapped_liability = BooleanField(
        _l("Addenda lift the contract’s limit of liability for privacy breaches"),
        description=_l(
            "The vendor’s liability for a breach of the addendum or of privacy law is then not "
            "limited by a cap in the main contract. Untick it where the organisation accepts "
            "the cap."
        ),
    )
    governing_law = SelectField(
        _l("Addenda are governed by the laws of"),
        choices=[],  # the provinces, named in the user's language when the form is made
        filters=[lambda v: v.strip().upper() if isinstance(v, str) else v],
    )
    forum = StringField(
        _l("City whose courts hear disputes"),
        description=_l("Such as Montréal: the addenda give its courts exclusive jurisdiction."),
        validators=[at_most(SETTINGS_TEXT_LIMITS["forum"])],
    )
    sub_processor_notice_days = IntegerField(
        _l("Days’ notice a vendor gives before a new sub-processor or place of processing"),
        description=_l("Time to assess the change and object to it; 30 days is usual."),
        invalid_value_message=NOTICE_ALLOWED,
        validators=[
            InputRequired(NOTICE_ALLOWED),
            between(1, MAX_SUB_PROCESSOR_NOTICE_DAYS, NOTICE_ALLOWED),
        ],
    )
    acts_as_processor = BooleanField(
        _l("The organisation processes the information it shares on behalf of its own clients"),
        description=_l(
            "It is then a processor under the GDPR, and transfers use Module Three of the "
            "standard contractual clauses (processor to processor) instead of Module Two."
        ),
    )
    eu_member_state = SelectField(
        _l("EU Member State for the standard contractual clauses"),
        description=_l(
            "Where the organisation’s representative under Article 27 of the GDPR is established: "
            "its law governs the clauses, its courts hear disputes over them and its supervisory "
            "authority is competent. Needed for vendors that take EU people’s information "
            "outside the European Economic Area."
        ),
        choices=[],  # the Member States, named in the user's language when the form is made
    )
    eu_representative = TextAreaField(
        _l("The organisation’s representative in the EU (Article 27 of the GDPR)"),
        description=_l(
            "Name, address and contact, in that Member State: Appendix I of the clauses names it."
        ),
        validators=[at_most(SETTINGS_TEXT_LIMITS["eu_representative"])],
    )
    swiss_transfers = BooleanField(
        _l("The clauses also carry transfers under the Swiss Federal Act on Data Protection")
    )
    uk_transfers = BooleanField(
        _l("The clauses also carry transfers under the UK GDPR, with the UK Addendum")
    )
    letterhead = FileField(
        _l("Letterhead (.docx)"),
        description=_l("Its styles, header, footer and logo are used for every addendum."),
    )
    remove_letterhead = BooleanField(_l("Remove the current letterhead"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = str(get_locale() or "en")
        provinces = sorted(
            ((code, location_name(code, lang)) for code in PROVINCES_IN),
            key=lambda choice: sort_key(choice[1]),
        )
        self.governing_law.choices = choices([("", _l("The home jurisdiction’s")), *provinces])
        states = sorted(
            ((code, location_name(code, lang)) for code in EU_STATES_OF),
            key=lambda choice: sort_key(choice[1]),
        )
        self.eu_member_state.choices = choices([("", _l("None chosen")), *states])

    def validate_home_jurisdiction(self, field):
        if field.data and not is_location(field.data):
            raise ValidationError(_l("Unknown ISO 3166 code; use one such as CA-QC or FR."))

    def values(self) -> dict:
        data = {f.short_name: f.data for f in self if f.short_name not in self.not_values}
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


def form_changing(settings, name: str, value: str) -> SettingsForm:
    """The settings form as if the page had been sent with only `name` changed to `value`.

    For the command line, which sets one field at a time: its value goes through the very
    checks the page makes, the other fields keep what is saved.
    """
    # A box missing from what a page sends is an unticked box: the saved ones go along.
    data = {box: "y" for box in CHECKBOXES if box != name and getattr(settings, box)}
    if name in CHECKBOXES:
        word = value.strip().lower()
        if word not in (*YES_WORDS, *NO_WORDS):
            raise ValueError("Write yes or no.")
        value = "y" if word in YES_WORDS else ""  # "" is an unticked box's "no"
    data[name] = value
    return SettingsForm(formdata=MultiDict(data), obj=settings, meta={"csrf": False})
