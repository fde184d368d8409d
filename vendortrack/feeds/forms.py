"""The calendar page's buttons: one small form, so that each action carries its CSRF token."""

from wtforms import HiddenField
from wtforms.validators import AnyOf

from vendortrack.forms import Form

CREATE, RESET, REVOKE = "create", "reset", "revoke"


class FeedForm(Form):
    # Sent by the button pressed (name="action"), not by a field on the page.
    action = HiddenField(validators=[AnyOf([CREATE, RESET, REVOKE])])
