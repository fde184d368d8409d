"""The vendor's agreement: a document to add, and legal's decision on a finding."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from vendortrack.addenda.forms import AUTHORISATION_CHOICES, LANGUAGE_CHOICES
from vendortrack.contracts.models import FINDING_TEXT_LIMITS, Decision
from vendortrack.forms import Form, at_most, choices

DECISION_CHOICES = choices(
    [
        (Decision.ACCEPTED.value, _l("Confirm: the finding is right")),
        (Decision.REJECTED.value, _l("Reject: the finding is wrong")),
        (Decision.WAIVED.value, _l("Waive: the gap is accepted, for a reason")),
    ]
)


class AgreementUploadForm(Form):
    document = FileField(
        _l("A document of the vendor’s agreement (.docx, .pdf, .txt, .md or .html)"),
        validators=[FileRequired(message=_l("Choose the document to upload."))],
    )


class GapAddendumForm(Form):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    authorisation = RadioField(
        _l("Sub-processors beyond those listed"),
        choices=AUTHORISATION_CHOICES,
        default="general",
        validators=[DataRequired(message=_l("Choose how further sub-processors are authorised."))],
    )


class DecisionForm(Form):
    decision = RadioField(
        _l("Decision"),
        choices=DECISION_CHOICES,
        validators=[DataRequired(message=_l("Choose confirm, reject or waive."))],
    )
    reason = TextAreaField(_l("Reason"), validators=[at_most(FINDING_TEXT_LIMITS["reason"])])

    def validate_reason(self, field):
        if (
            self.decision.data in (Decision.REJECTED, Decision.WAIVED)
            and not (field.data or "").strip()
        ):
            raise ValidationError(_l("Say why: a waiver or a rejection needs its reason."))
