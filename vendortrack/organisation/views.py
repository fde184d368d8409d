"""The organisation settings page (administrators)."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from vendortrack.accounts.access import allow
from vendortrack.accounts.models import Role
from vendortrack.documents.letterhead import check_letterhead
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
    if request.method == "GET":
        form.load_version(settings)
    if form.validate_on_submit():
        if changes := form.changed_meanwhile(settings, form.values()):
            return changed_meanwhile(form, settings, changes)
        letterhead = uploaded_letterhead(form)
        if not form.letterhead.errors:
            return save(form, letterhead)
    return render_template("organisation/edit.html", form=form, settings=settings)


def save(form: SettingsForm, letterhead: tuple[str, bytes] | None):
    try:
        changed = save_settings(form.values(), letterhead, current_user, default_home())
        if form.remove_letterhead.data and letterhead is None:
            remove_letterhead(default_home())
        db.session.commit()
    except StaleDataError:
        # Another administrator's save came between the check and this one: as if before it.
        db.session.rollback()
        settings = current_settings(default_home())
        return changed_meanwhile(form, settings, form.changed_meanwhile(settings, form.values()))
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


def changed_meanwhile(form: SettingsForm, settings, changes):
    """Another administrator saved the settings since the form was loaded: nothing is written,
    the page shows what they changed and keeps the form as filled; saving again overwrites. An
    uploaded letterhead is not kept: a browser cannot be given a file back."""
    form.load_version(settings)
    page = render_template("organisation/edit.html", form=form, settings=settings, changes=changes)
    return page, 409


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
