"""The forms that send a questionnaire to a vendor's contact, and send it again."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from vendortrack.forms import LANGUAGE_CHOICES, Form, at_most, number_at_least
from vendortrack.questionnaires.models import REQUEST_TEXT_LIMITS
from vendortrack.questionnaires.sending import Invitation


class InvitationForm(Form):
    """To whom, in which language, by when: sending again asks the same."""

    contact_name = StringField(_l("Contact’s name"), validators=[Optional(), Length(max=120)])
    contact_email = EmailField(
        _l("Contact’s email"),
        validators=[
            DataRequired(message=_l("Give the email address the link goes to.")),
            Email(message=_l("Enter a valid email address.")),
            Length(max=254),
        ],
    )
    language = SelectField(
        _l("Language of the mail and the questionnaire"),
        choices=LANGUAGE_CHOICES,
        description=_l("The vendor can switch to the other language on the questionnaire."),
    )
    due_on = DateField(_l("Due date"), validators=[DataRequired(message=_l("Give a due date."))])
    link_days = IntegerField(
        _l("The link opens for (days)"),
        validators=[
            InputRequired(message=_l("Give a number of days.")),
            number_at_least(1, _l("Give a number of days from 1.")),
        ],
    )
    message = TextAreaField(
        _l("Message to the contact (optional)"),
        validators=[at_most(REQUEST_TEXT_LIMITS["message"])],
    )

    def invitation(self) -> Invitation:
        return Invitation(
            contact_name=(self.contact_name.data or "").strip() or None,
            contact_email=self.contact_email.data.strip(),
            language=self.language.data,
            due_on=self.due_on.data,
            link_days=self.link_days.data,
            message=(self.message.data or "").strip() or None,
        )


class SendForm(InvitationForm):
    set_id = SelectField(_l("Questionnaire"), choices=[])
