"""Sign-in, set-up, password and user administration forms."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from vendortrack.accounts.models import Role
from vendortrack.accounts.services import password_problem
from vendortrack.forms import LANGUAGE_CHOICES, Form, choices

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
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(),
            # Reminders go to this address; not every mail server takes accented ones (SMTPUTF8).
            Email(message=_l("Enter a valid email address."), allow_smtputf8=False),
            Length(max=254),
        ],
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class SetupForm(ProfileFields):
    password = PasswordField(_l("Password"), validators=[DataRequired(), strong_password])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class AccountForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class PasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired(), strong_password])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class UserForm(ProfileFields):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Active (may sign in)"), default=True)
    password = PasswordField(
        _l("Password"),
        description=_l("Leave empty to keep the current password."),
        validators=[Optional(), strong_password],
    )
