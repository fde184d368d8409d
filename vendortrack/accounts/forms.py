"""Sign-in, set-up, password and user administration forms."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Optional, ValidationError

from vendortrack.accounts.models import USER_TEXT_LIMITS, Role, normalise_email
from vendortrack.accounts.services import password_problem
from vendortrack.forms import LANGUAGE_CHOICES, Form, at_most, choices
from vendortrack.versioned import NOT_VALUES, VersionedForm

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.LEGAL: _l("Legal"),
    Role.MANAGER: _l("Manager"),
    Role.OWNER: _l("Vendor owner"),
}
ROLE_CHOICES = choices((role.value, label) for role, label in ROLE_LABELS.items())


def strong_password(form, field):
    if field.data:
        # The form's email when it has one (set-up, user administration), else the signed-in
        # user's own (changing one's password).
        email = form.email.data if hasattr(form, "email") else getattr(current_user, "email", None)
        problem = password_problem(field.data, email)
        if problem:
            raise ValidationError(problem)


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class ProfileFields(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), at_most(USER_TEXT_LIMITS["name"])])
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(),
            # Reminders go to this address; not every mail server takes accented ones (SMTPUTF8).
            Email(message=_l("Enter a valid email address."), allow_smtputf8=False),
            at_most(USER_TEXT_LIMITS["email"]),
        ],
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class SetupForm(ProfileFields):
    password = PasswordField(_l("Password"), validators=[DataRequired(), strong_password])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class AccountForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(), at_most(USER_TEXT_LIMITS["name"])])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)

    def values(self) -> dict:
        return {"name": self.name.data.strip(), "language": self.language.data}


class PasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired(), strong_password])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class UserForm(ProfileFields, VersionedForm):
    not_values = NOT_VALUES | {"password"}  # never shown, so never compared

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Active (may sign in)"), default=True)
    password = PasswordField(
        _l("Password"),
        description=_l("Leave empty to keep the current password."),
        validators=[Optional(), strong_password],
    )

    def values(self) -> dict:
        """The account's details in the model's terms (not the password)."""
        return {
            "name": self.name.data.strip(),
            "email": normalise_email(self.email.data),
            "role": Role(self.role.data),
            "language": self.language.data,
            "active": self.active.data,
        }
