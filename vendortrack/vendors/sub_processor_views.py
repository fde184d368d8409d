"""A vendor's sub-processors: the list an addendum approves, kept by whoever edits the vendor."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from vendortrack.accounts.access import EVERYONE, allow
from vendortrack.extensions import db
from vendortrack.forms import ConfirmForm
from vendortrack.geography import location_name
from vendortrack.i18n import current_language
from vendortrack.register.models import SubProcessor, Vendor, place_allowed
from vendortrack.register.services import (
    ALREADY_LISTED,
    VendorError,
    remove_sub_processor,
    save_sub_processor,
)
from vendortrack.vendors.forms import SubProcessorForm
from vendortrack.vendors.views import bp, editable_vendor_or_403

FORM = "vendors/sub_processor_form.html"


@bp.route("/<int:vendor_id>/sub-processors/new", methods=["GET", "POST"])
@allow(*EVERYONE)
def sub_processor_create(vendor_id):
    vendor = editable_vendor_or_403(vendor_id)
    form = SubProcessorForm()
    if form.validate_on_submit():
        return _save(vendor, SubProcessor(), form)
    return render_template(FORM, vendor=vendor, form=form, sub=None)


@bp.route("/<int:vendor_id>/sub-processors/<int:sub_id>/edit", methods=["GET", "POST"])
@allow(*EVERYONE)
def sub_processor_edit(vendor_id, sub_id):
    vendor = editable_vendor_or_403(vendor_id)
    sub = _sub_processor_of(vendor, sub_id)
    form = SubProcessorForm(obj=sub)
    if request.method == "GET":
        form.load_version(sub)
    if form.validate_on_submit():
        if changes := form.changed_meanwhile(sub, form.values()):
            return _changed_meanwhile(vendor, sub, form, changes)
        return _save(vendor, sub, form)
    return render_template(FORM, vendor=vendor, form=form, sub=sub)


@bp.route("/<int:vendor_id>/sub-processors/<int:sub_id>/delete", methods=["POST"])
@allow(*EVERYONE)
def sub_processor_delete(vendor_id, sub_id):
    vendor = editable_vendor_or_403(vendor_id)
    sub = _sub_processor_of(vendor, sub_id)
    if ConfirmForm().validate_on_submit():
        remove_sub_processor(vendor, sub)
        db.session.commit()
        flash(_("The sub-processor is removed from the list."), "success")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id))


def _sub_processor_of(vendor: Vendor, sub_id: int) -> SubProcessor:
    sub = db.session.get(SubProcessor, sub_id)
    if sub is None or sub.vendor_id != vendor.id:
        abort(404)
    return sub


def _changed_meanwhile(vendor: Vendor, sub: SubProcessor, form: SubProcessorForm, changes):
    form.load_version(sub)
    return render_template(FORM, vendor=vendor, form=form, sub=sub, changes=changes), 409


def _save(vendor: Vendor, sub: SubProcessor, form: SubProcessorForm):
    confirmed_none = vendor.no_sub_processors
    try:
        save_sub_processor(vendor, sub, form.values())
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        vendor = editable_vendor_or_403(vendor.id)
        if sub.id is None:
            # A new one withdraws the vendor's "none", and the vendor was saved meanwhile.
            flash(
                _(
                    "The vendor was saved by someone else at the same moment; nothing was "
                    "saved. Check the vendor, then save this row again."
                ),
                "warning",
            )
            return render_template(FORM, vendor=vendor, form=form, sub=None), 409
        sub = _sub_processor_of(vendor, sub.id)
        return _changed_meanwhile(vendor, sub, form, form.changed_meanwhile(sub, form.values()))
    except (VendorError, IntegrityError) as error:
        # The database's unique name: someone listed the same one at the same moment.
        db.session.rollback()
        message = ALREADY_LISTED if isinstance(error, IntegrityError) else error
        form[getattr(error, "field", None) or "name"].errors.append(str(message))
        return render_template(FORM, vendor=vendor, form=form, sub=sub.id and sub)
    flash(_("The sub-processor is saved."), "success")
    if confirmed_none:
        flash(_("The confirmation that the vendor engages no sub-processor is withdrawn."), "info")
    if not place_allowed(vendor, sub):
        flash(
            _(
                "No data sharing row lists %(place)s: add it where the information is stored or "
                "processed, or the vendor's addendum cannot approve this sub-processor.",
                place=location_name(sub.location, current_language()),
            ),
            "warning",
        )
    return redirect(url_for("vendors.detail", vendor_id=vendor.id))
