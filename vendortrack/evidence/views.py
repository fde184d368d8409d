"""The evidence pack download: one vendor's records, in one zip, for an auditor."""

from io import BytesIO

from flask import Blueprint, send_file

from vendortrack.accounts.access import allow
from vendortrack.accounts.models import Role
from vendortrack.evidence.pack import build_pack, pack_filename
from vendortrack.extensions import db
from vendortrack.i18n import local_today
from vendortrack.register.models import Vendor
from vendortrack.trail.recorder import record_export

bp = Blueprint("evidence", __name__)


@bp.route("/vendors/<int:vendor_id>/evidence.zip")
@allow(Role.ADMIN, Role.MANAGER, Role.LEGAL)
def pack(vendor_id):
    vendor = db.get_or_404(Vendor, vendor_id)
    today = local_today()
    data = build_pack(vendor.id, today)
    # The pack copies signed contracts and the vendor's trail out of the register: who took one
    # belongs in the trail.
    record_export("evidence_pack", {"vendor": vendor.id}, vendor.id)
    return send_file(
        BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=pack_filename(vendor, today),
    )
