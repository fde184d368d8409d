"""The organisation settings page (administrators)."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from vendortrack.accounts.access import allow
from vendortrack.accounts.models import Role
from vendortrack.addenda.letterhead import check_letterhead
from vendortrack.extensions import db
from vendortrack.organisation.forms import SettingsForm
from vendortrack.organisation.services import current_settings, remove_letterhead, save_settings
from vendortrack.uploads import UploadError, stored_name

bp = Blueprint("organisation", __name__, url_prefix="/settings")


def default_home() -> str:
    return current_app.config["HOME_COUNTRY"]


@bp.route("/", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit():
    settings = current_settings(default_home())
    form = SettingsForm(obj=settings)
    if form.validate_on_submit():
        letterhead = uploaded_letterhead(form)
        if not form.letterhead.errors:
            changed = save_settings(form.values(), letterhead, current_user, default_home())
            if form.remove_letterhead.data and letterhead is None:
                remove_letterhead(default_home())
            db.session.commit()
            flash(_("The organisation settings are saved."), "success")
            if changed:
                flash(
                    ngettext(
                        "The home country changed: %(num)s risk tier was updated.",
                        "The home country changed: %(num)s risk tiers were updated.",
                        changed,
                    )
                )
            return redirect(url_for("organisation.edit"))
    return render_template("organisation/edit.html", form=form, settings=settings)


def uploaded_letterhead(form: SettingsForm) -> tuple[str, bytes] | None:
    """The uploaded letterhead if an addendum can be built on it; otherwise an error on the
    field (checked now, so that a letterhead cannot break every addendum later)."""
    upload = form.letterhead.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    data = upload.read()
    try:
        check_letterhead(data)
    except UploadError as error:
        form.letterhead.errors.append(str(error))
        return None
    return stored_name(upload.filename), data
