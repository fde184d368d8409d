"""A vendor's sub-processors: the list an addendum approves, kept by whoever edits the vendor;
and the vendor's notices of a change to it, which legal accepts or objects to."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from vendortrack.accounts.access import EVERYONE, allow
from vendortrack.accounts.models import Role
from vendortrack.addenda.services import signed_notice_days
from vendortrack.errors import CHANGED_MEANWHILE
from vendortrack.extensions import db
from vendortrack.forms import ConfirmForm
from vendortrack.geography import country_of, location_name
from vendortrack.i18n import current_language, format_day, local_today
from vendortrack.organisation.services import current_settings
from vendortrack.register.changes import ChangeInput, decide_change, record_change
from vendortrack.register.models import (
    ChangeDecision,
    ChangeKind,
    SubProcessor,
    SubProcessorChange,
    Vendor,
    place_allowed,
)
from vendortrack.register.services import (
    ALREADY_LISTED,
    VendorError,
    remove_sub_processor,
    save_sub_processor,
)
from vendortrack.reviews.models import TriggerKind
from vendortrack.reviews.services import raise_trigger
from vendortrack.vendors.forms import ChangeDecisionForm, ChangeForm, SubProcessorForm
from vendortrack.vendors.views import bp, editable_vendor_or_403, vendor_or_404

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


# --- the vendor's notices of a change -----------------------------------------------------------

CHANGE_FORM = "vendors/change_form.html"
DEFAULT_NOTICE_DAYS = 30


@bp.route("/<int:vendor_id>/sub-processors/changes/new", methods=["GET", "POST"])
@allow(*EVERYONE)
def change_create(vendor_id):
    vendor = editable_vendor_or_403(vendor_id)
    form = ChangeForm()
    if request.method == "GET":
        form.received_on.data = local_today()
    if form.validate_on_submit():
        try:
            change = record_change(
                vendor, _change_input(form), notice_days(vendor), current_user, local_today()
            )
        except VendorError as error:
            db.session.rollback()
            _show(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "The notice is recorded: legal may object until %(date)s.",
                    date=format_day(change.objection_deadline, "long"),
                ),
                "success",
            )
            return redirect(url_for("vendors.detail", vendor_id=vendor.id) + "#sub-processors")
    status = 422 if form.errors else 200
    return render_template(CHANGE_FORM, vendor=vendor, form=form, change=None), status


@bp.route("/<int:vendor_id>/sub-processors/changes/<int:change_id>", methods=["GET", "POST"])
@allow(Role.ADMIN, Role.LEGAL)
def change_decide(vendor_id, change_id):
    vendor = vendor_or_404(vendor_id)
    change = db.session.get(SubProcessorChange, change_id)
    if change is None or change.vendor_id != vendor.id:
        abort(404)
    form = ChangeDecisionForm()
    if form.validate_on_submit():
        decision = ChangeDecision(form.decision.data)
        confirmed_none = vendor.no_sub_processors
        try:
            new_country = decide_change(
                vendor, change, decision, form.reason.data, current_user, local_today()
            )
            if new_country:  # as a new place in the data sharing does: the country's code
                country = country_of(change.location)
                raise_trigger(vendor, TriggerKind.NEW_COUNTRY, country, local_today(), current_user)
            db.session.commit()
        except VendorError as error:
            db.session.rollback()
            _show(form, error)
        except (StaleDataError, IntegrityError):
            # Decided, or the vendor saved, by someone else at the same moment.
            db.session.rollback()
            flash(str(CHANGED_MEANWHILE[1]), "warning")
            return redirect(url_for("vendors.detail", vendor_id=vendor_id) + "#sub-processors")
        else:
            flash(_("The decision is recorded."), "success")
            _warn_after(vendor, change, decision, confirmed_none)
            return redirect(url_for("vendors.detail", vendor_id=vendor.id) + "#sub-processors")
    status = 422 if form.errors else 200
    return render_template(CHANGE_FORM, vendor=vendor, form=form, change=change), status


def _warn_after(vendor: Vendor, change, decision: ChangeDecision, confirmed_none: bool) -> None:
    """What an accepted addition means for the addendum, as saving a sub-processor says it."""
    if decision != ChangeDecision.ACCEPTED or change.kind != ChangeKind.ADDED:
        return
    if confirmed_none:
        flash(_("The confirmation that the vendor engages no sub-processor is withdrawn."), "info")
    sub = next((s for s in vendor.sub_processors if s.name == change.name), None)
    if sub is not None and not place_allowed(vendor, sub):
        flash(
            _(
                "No data sharing row lists %(place)s: add it where the information is stored or "
                "processed, or the vendor's addendum cannot approve this sub-processor.",
                place=location_name(sub.location, current_language()),
            ),
            "warning",
        )


def _change_input(form: ChangeForm) -> ChangeInput:
    return ChangeInput(
        kind=ChangeKind(form.kind.data),
        received_on=form.received_on.data,
        name=form.name.data,
        processing=form.processing.data,
        location=form.location.data or None,
        categories=form.categories.data or [],
        notice=form.notice.data,
    )


def _show(form, error: VendorError) -> None:
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors.append(str(error))
    else:
        flash(str(error), "danger")
        form.form_errors.append(str(error))


def notice_days(vendor: Vendor) -> int:
    """The notice period the vendor owes us of a change: its signed addendum's, as printed;
    else our settings'; else 30 days."""
    settings = current_settings(current_app.config["HOME_COUNTRY"])
    return (
        signed_notice_days(vendor.id) or settings.sub_processor_notice_days or DEFAULT_NOTICE_DAYS
    )
