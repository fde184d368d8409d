"""The review form: outcome, checklist, notes, conditions and evidence; the policy and incident
forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from vendortrack.forms import Form, at_most, choices, whole_number
from vendortrack.i18n import local_today
from vendortrack.reviews.checklist import CHECKLIST, DECISIONS
from vendortrack.reviews.models import (
    CONDITION_TEXT_LIMITS,
    REVIEW_TEXT_LIMITS,
    TRIGGER_TEXT_LIMITS,
    Outcome,
)
from vendortrack.uploads import UploadError, check_file_count

OUTCOME_LABELS = {
    Outcome.APPROVED: _l("Approved"),
    Outcome.APPROVED_WITH_CONDITIONS: _l("Approved with conditions"),
    Outcome.REJECTED: _l("Rejected"),
}
ANSWER_CHOICES = [("yes", _l("Yes")), ("no", _l("No")), ("na", _l("Not applicable"))]
DECISION_CHOICES = [("accepted", _l("Accept")), ("queried", _l("Query"))]
MAX_MONTHS = 120  # ten years: past that a "review" would never come


def months_between(form, field):
    if field.data is not None and not 1 <= field.data <= MAX_MONTHS:
        raise ValidationError(_l("Enter a number of months from 1 to %(max)s.", max=MAX_MONTHS))


def not_in_future(form, field):
    if field.data and field.data > local_today():
        raise ValidationError(_l("The date cannot be in the future."))


class ConditionForm(Form):
    class Meta:
        csrf = False  # a part of the review form, which carries the token

    text = TextAreaField(
        _l("Condition"), validators=[Optional(), at_most(CONDITION_TEXT_LIMITS["text"])]
    )
    due_on = DateField(_l("Due on"), validators=[Optional()])


def readable_rows(formdata, list_name: str):
    """The submitted data without the names that name no row of the list `list_name`.

    WTForms reads the row numbers of conditions-0-text, conditions-1-text ... as it finds them
    in every name that starts with the list's name (one separator character after it), and
    fails on a number it cannot read ("conditions-²-text", thousands of digits) or on a part
    with no name at all (a multipart header garbled by a raw line break). Dropping such names
    here keeps to WTForms' public Meta hook.
    """
    if formdata is None or not hasattr(formdata, "items"):
        return formdata
    kept = MultiDict()
    for name, value in formdata.items(multi=True):
        if isinstance(name, str) and not _unreadable_row(name, list_name):
            kept.add(name, value)
    return kept


def _unreadable_row(name: str, list_name: str) -> bool:
    if not name.startswith(list_name):
        return False
    number = name[len(list_name) + 1 :].split("-", 1)[0]  # as WTForms slices it
    readable = number.isascii() and number.isdecimal() and len(number) <= 9
    return number.isdigit() and not readable  # WTForms passes over what is not isdigit()


class ReviewForm(Form):
    class Meta:
        def wrap_formdata(self, form, formdata):
            return readable_rows(super().wrap_formdata(form, formdata), form.conditions.name)

    outcome = RadioField(
        _l("Outcome"),
        choices=choices((o.value, label) for o, label in OUTCOME_LABELS.items()),
        validators=[DataRequired(message=_l("Choose the outcome."))],
    )
    completed_on = DateField(_l("Review date"), validators=[DataRequired()])
    notes = TextAreaField(_l("Notes"), validators=[at_most(REVIEW_TEXT_LIMITS["notes"])])
    conditions = FieldList(FormField(ConditionForm), min_entries=3, max_entries=10)
    evidence = MultipleFileField(_l("Evidence files (.pdf, .docx, .png, .jpg)"))
    # The questionnaire whose answers the form showed (decided_answers checks it is current).
    answers_from = HiddenField()

    def shown_questionnaire(self) -> int | None:
        return whole_number(self.answers_from.data or "")

    def validate_evidence(self, field):
        # Counted before any file is read: each takes a moment to check, and together they
        # could hold the worker past its timeout.
        try:
            check_file_count(sum(1 for upload in field.data or [] if upload and upload.filename))
        except UploadError as error:
            raise ValidationError(str(error)) from None

    def checklist(self) -> dict[str, str]:
        return {code: self[f"check_{code}"].data for code in CHECKLIST}

    def decisions(self) -> dict[str, str]:
        """What the reviewer made of the vendor's answer on each point it decided on."""
        return {
            code: self[f"decide_{code}"].data
            for code in CHECKLIST
            if self[f"decide_{code}"].data in DECISIONS
        }

    def condition_rows(self) -> list[tuple[str, object]]:
        rows = []
        for entry in self.conditions:
            text, due = (entry.form.text.data or "").strip(), entry.form.due_on.data
            if text and due is None:
                entry.form.due_on.errors.append(_l("Give the condition a due date."))
            elif text:
                rows.append((text, due))
        return rows


for _code, _label in CHECKLIST.items():
    setattr(
        ReviewForm,
        f"check_{_code}",
        RadioField(
            _label,
            choices=choices(ANSWER_CHOICES),
            validators=[DataRequired(message=_l("Answer this point."))],
        ),
    )
    # Asked only where the vendor answered on the point (the view checks it was given).
    setattr(
        ReviewForm,
        f"decide_{_code}",
        RadioField(_label, choices=choices(DECISION_CHOICES), validators=[Optional()]),
    )


class PolicyForm(Form):
    months_low = IntegerField(_l("Low"), validators=[InputRequired(), months_between])
    months_medium = IntegerField(_l("Medium"), validators=[InputRequired(), months_between])
    months_high = IntegerField(_l("High"), validators=[InputRequired(), months_between])
    months_critical = IntegerField(_l("Critical"), validators=[InputRequired(), months_between])


class IncidentForm(Form):
    raised_on = DateField(_l("Date of the incident"), validators=[DataRequired(), not_in_future])
    detail = TextAreaField(
        _l("What happened"),
        validators=[
            DataRequired(message=_l("Describe the incident.")),
            at_most(TRIGGER_TEXT_LIMITS["detail"]),
        ],
    )
