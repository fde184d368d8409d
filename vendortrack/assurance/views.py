"""The vendor's documents: keeping one, downloading it, removing it; and the policy of which
ones each risk tier requires (administrators)."""

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from vendortrack.accounts.access import EVERYONE, allow
from vendortrack.accounts.models import Role
from vendortrack.assurance.forms import (
    REQUIRABLE,
    DocumentForm,
    PolicyForm,
    policy_field,
    show_document_error,
)
from vendortrack.assurance.models import VendorDocument
from vendortrack.assurance.services import (
    DocumentError,
    add_document,
    may_keep,
    remove_document,
    required_kinds,
    save_policy,
)
from vendortrack.extensions import db
from vendortrack.forms import ConfirmForm
from vendortrack.register.models import Level, Vendor
from vendortrack.trail.recorder import record_view

bp = Blueprint("assurance", __name__)


def _keepable_vendor(vendor_id: int) -> Vendor:
    vendor = db.get_or_404(Vendor, vendor_id)
    if not may_keep(current_user, vendor):
        abort(403)
    return vendor


@bp.route("/vendors/<int:vendor_id>/documents/new", methods=["GET", "POST"])
@allow(*EVERYONE)
def create(vendor_id):
    vendor = _keepable_vendor(vendor_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            add_document(vendor, form.given(), upload.filename or "", upload.read(), current_user)
        except DocumentError as error:
            db.session.rollback()
            show_document_error(form, error)
        else:
            db.session.commit()
            flash(_("The document is kept."), "success")
            return redirect(url_for("vendors.detail", vendor_id=vendor.id) + "#documents")
    return render_template("assurance/form.html", vendor=vendor, form=form), (
        422 if form.errors else 200
    )


def _document_or_404(vendor_id: int, document_id: int) -> VendorDocument:
    document = db.session.get(VendorDocument, document_id)
    if document is None or document.vendor_id != vendor_id:
        abort(404)
    return document


@bp.route("/vendors/<int:vendor_id>/documents/<int:doc_id>")
@allow(*EVERYONE)
def download(vendor_id, doc_id):
    document = _document_or_404(vendor_id, doc_id)
    record_view("vendor_document", document.id, vendor_id)
    return send_file(
        BytesIO(document.data),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.filename,
    )


@bp.route("/vendors/<int:vendor_id>/documents/<int:doc_id>/remove", methods=["POST"])
@allow(*EVERYONE)
def remove(vendor_id, doc_id):
    vendor = _keepable_vendor(vendor_id)
    document = _document_or_404(vendor.id, doc_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    remove_document(document)
    db.session.commit()
    flash(_("The document is removed."), "success")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id) + "#documents")


@bp.route("/documents/policy", methods=["GET", "POST"])
@allow(Role.ADMIN)
def policy():
    form = PolicyForm()
    if form.validate_on_submit():
        save_policy(
            {
                tier: {kind for kind in REQUIRABLE if form[policy_field(tier, kind)].data}
                for tier in Level
            }
        )
        db.session.commit()
        flash(_("The policy is saved: every vendor is judged by it from now on."), "success")
        return redirect(url_for(".policy"))
    if not form.is_submitted():
        for tier, kinds in required_kinds().items():
            for kind in kinds & set(REQUIRABLE):
                form[policy_field(tier, kind)].data = True
    return render_template(
        "assurance/policy.html", form=form, field_of=policy_field, kinds=REQUIRABLE
    )
