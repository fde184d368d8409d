"""Loading the sample register from the web."""

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _

from vendortrack.accounts.access import allow
from vendortrack.accounts.models import Role
from vendortrack.demo.loader import DemoSummary, load_demo, today_in
from vendortrack.extensions import db
from vendortrack.forms import ConfirmForm
from vendortrack.organisation.services import SampleFill
from vendortrack.reviews.services import refresh_review_dues

bp = Blueprint("demo", __name__, url_prefix="/demo")


@bp.route("/load", methods=["POST"])
@allow(Role.ADMIN)
def load():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    config = current_app.config
    summary = load_demo(config["HOME_COUNTRY"], today_in(config["BABEL_DEFAULT_TIMEZONE"]))
    refresh_review_dues()
    db.session.commit()
    announce(summary)
    return redirect(url_for("vendors.index"))


def announce(summary: DemoSummary) -> None:
    """Flash what the load added; only the settings' message when they were all it added
    ("0 vendors and 0 users added" would read as if nothing had changed)."""
    settings_filled = summary.settings == SampleFill.FILLED
    if summary.vendors_created or summary.users_created:
        flash(
            _(
                "The sample data is loaded: %(vendors)s vendors and %(users)s users added. "
                "The sample users cannot sign in until an administrator sets their password.",
                vendors=len(summary.vendors_created),
                users=len(summary.users_created),
            ),
            "success",
        )
    elif not settings_filled:
        flash(_("The sample data was already loaded; nothing was added."), "info")
    if settings_filled:
        flash(
            _(
                "The organisation settings now hold the sample organisation's details: replace "
                "them with your own on the Settings page."
            ),
            "warning",
        )
