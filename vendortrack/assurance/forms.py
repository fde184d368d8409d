"""The forms that keep a vendor's document and set which ones each risk tier requires."""

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Optional

from vendortrack.assurance.labels import KIND_LABELS
from vendortrack.assurance.models import DOCUMENT_TEXT_LIMITS, DocumentKind
from vendortrack.assurance.services import DocumentError, DocumentInput
from vendortrack.forms import Form, at_most, choices, strip_or_none
from vendortrack.register.models import Level


class DocumentFields(Form):
    """What a document is and when it holds: the same whether uploaded here or taken from a
    questionnaire's attachments."""

    kind = SelectField(_l("Kind of document"), choices=[])
    issuer = StringField(
        _l("Issued by (auditor, insurer, tester)"),
        filters=[strip_or_none],
        validators=[Optional(), at_most(DOCUMENT_TEXT_LIMITS["issuer"])],
    )
    covers_from = DateField(_l("Period covered: from"), validators=[Optional()])
    covers_to = DateField(_l("Period covered: to"), validators=[Optional()])
    expires_on = DateField(
        _l("Expires on"),
        validators=[Optional()],
        description=_l("The last day it is good for. Leave empty if it does not expire."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices((kind.value, label) for kind, label in KIND_LABELS.items())

    def given(self) -> DocumentInput:
        return DocumentInput(
            kind=DocumentKind(self.kind.data),
            issuer=self.issuer.data,
            covers_from=self.covers_from.data,
            covers_to=self.covers_to.data,
            expires_on=self.expires_on.data,
        )


def show_document_error(form: DocumentFields, error: DocumentError) -> None:
    """Beside its field where the form has one, else at the top of the page."""
    if error.field and error.field in form:
        form[error.field].errors.append(str(error))
    else:
        flash(str(error), "danger")


class DocumentForm(DocumentFields):
    file = FileField(
        _l("File (.pdf, .docx, .png, .jpg)"),
        validators=[DataRequired(message=_l("Choose the file to upload."))],
    )


class PolicyForm(Form):
    """A box per risk tier and kind of document: ticked, the tier requires it."""


def policy_field(tier: Level, kind: DocumentKind) -> str:
    return f"require_{tier.code}_{kind.value}"


# "Other" is no kind a policy can require: it names nothing in particular.
REQUIRABLE = tuple(kind for kind in DocumentKind if kind != DocumentKind.OTHER)
for _tier in Level:
    for _kind in REQUIRABLE:
        setattr(PolicyForm, policy_field(_tier, _kind), BooleanField(KIND_LABELS[_kind]))
