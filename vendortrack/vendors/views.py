"""The vendor register: list, vendor page, create, edit, terminate, data sharing, risk override."""

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from vendortrack.accounts.access import EVERYONE, allow
from vendortrack.accounts.models import Role, User
from vendortrack.assurance.services import documents_of, may_keep
from vendortrack.assurance.services import standing as document_standing
from vendortrack.compliance.register import (
    export_rows_with_compliance,
    vendor_compliance,
    vendor_page,
)
from vendortrack.compliance.register import labels as compliance_labels
from vendortrack.contracts.services import agreement_gaps
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.forms import ConfirmForm
from vendortrack.i18n import local_today
from vendortrack.organisation.services import current_settings, home_country
from vendortrack.questionnaires.queries import sent_to
from vendortrack.questionnaires.sending import may_send
from vendortrack.register.bulk import (
    ImportBusy,
    ImportRejected,
    collector_paused,
    import_vendors,
    lock_imports,
)
from vendortrack.register.catalogue import categories, subjects
from vendortrack.register.changes import changes_of
from vendortrack.register.contacts import contact_tokens, set_contacts, warn_unreadable
from vendortrack.register.csvcolumns import COLUMNS, EXPORT_COLUMN_NAMES
from vendortrack.register.labels import (
    CRITICALITY_LABELS,
    FILTER_LABELS,
    LEVEL_LABELS,
    STATUS_LABELS,
    translated,
)
from vendortrack.register.listing import SORTS, parse_filter
from vendortrack.register.models import DataSharing, Level, Vendor
from vendortrack.register.services import (
    VendorError,
    assess,
    override_risk,
    remove_sharing,
    save_sharing,
    save_vendor,
    terminate_vendor,
)
from vendortrack.reviews.services import (
    new_vendor_schedule,
    note_sharing_change,
    refresh_review_due,
    refresh_review_dues,
    sharing_snapshot,
)
from vendortrack.spreadsheet import csv_chunks
from vendortrack.trail.recorder import record_export, record_view
from vendortrack.vendors.forms import RiskOverrideForm, SharingForm, VendorForm
from vendortrack.vendors.import_form import ImportForm
from vendortrack.vendors.xlsxfile import XLSX_MIMETYPE, xlsx_bytes

bp = Blueprint("vendors", __name__, url_prefix="/vendors")

REGISTER_EDITORS = (Role.ADMIN, Role.LEGAL, Role.MANAGER)


def can_edit(user, vendor: Vendor) -> bool:
    """Admins, legal and managers edit every vendor; an owner only the vendors they own."""
    return user.role in REGISTER_EDITORS or vendor.owner_id == user.id


VENDOR_PAGE_OPTIONS = (
    joinedload(Vendor.owner),
    selectinload(Vendor.sharings).selectinload(DataSharing.locations),
    selectinload(Vendor.sub_processors),
)


def vendor_or_404(vendor_id: int) -> Vendor:
    """The vendor with its owner, data sharing, locations and sub-processors, in four queries
    for any size.

    Not its contact, which only the pages showing it decrypt (vendor_with_contact_or_404).
    """
    vendor = db.session.get(Vendor, vendor_id, options=VENDOR_PAGE_OPTIONS)
    if vendor is None:
        abort(404)
    return vendor


def vendor_with_contact_or_404(vendor_id: int) -> tuple[Vendor, frozenset[str]]:
    """The vendor as vendor_or_404 loads it, with its contact in the same four queries; and the
    names of the contact fields that no configured key decrypts, loaded as empty."""
    query = select(Vendor, *contact_tokens()).where(Vendor.id == vendor_id)
    row = db.session.execute(query.options(*VENDOR_PAGE_OPTIONS)).one_or_none()
    if row is None:
        abort(404)
    vendor, *tokens = row
    unreadable = set_contacts(vendor, tokens)
    if unreadable:
        warn_unreadable([vendor.id])
    return vendor, unreadable


def editable_vendor_or_403(vendor_id: int) -> Vendor:
    return _editable_or_403(vendor_or_404(vendor_id))


def _editable_or_403(vendor: Vendor) -> Vendor:
    if not can_edit(current_user, vendor):
        abort(403)
    return vendor


def active_owners() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active).order_by(User.name)))


def owner_candidates(vendor: Vendor) -> list[User]:
    owners = active_owners()
    if vendor.owner is not None and vendor.owner not in owners:
        owners.append(vendor.owner)  # a deactivated owner stays selectable until reassigned
    return owners


@bp.route("/")
@allow(*EVERYONE)
def index():
    f = parse_filter(request.args)
    if f.ignored:
        flash(
            _(
                "Some filters in the address were not understood and are ignored: %(names)s.",
                names=", ".join(str(FILTER_LABELS[n]) for n in f.ignored),
            ),
            "warning",
        )
    page, compliance = vendor_page(f, current_app.config["VENDORS_PER_PAGE"], local_today())
    compliance_names, reason_names = compliance_labels()
    f.page = page.page
    return render_template(
        "vendors/index.html",
        page=page,
        compliance=compliance,
        compliance_names=compliance_names,
        reason_names=reason_names,
        f=f,
        sorts=SORTS,
        owners=active_owners(),
        categories=categories(),
        levels=list(Level),
        status_names=translated(STATUS_LABELS),
        level_names=translated(LEVEL_LABELS),
        criticality_names=translated(CRITICALITY_LABELS),
    )


@bp.route("/<int:vendor_id>")
@allow(*EVERYONE)
def detail(vendor_id):
    vendor, unreadable = vendor_with_contact_or_404(vendor_id)
    record_view("vendor", vendor.id, vendor.id)
    assessment = assess(vendor, home_country())
    compliance = vendor_compliance(vendor.id, local_today())
    short = compliance and any(rule.code == "agreement_gap" for rule in compliance.rules)
    documents = documents_of(vendor.id)
    return render_template(
        "vendors/detail.html",
        vendor=vendor,
        unreadable=unreadable,
        compliance=compliance,
        agreement_gaps=agreement_gaps(
            vendor,
            current_settings(current_app.config["HOME_COUNTRY"]),
            current_app.extensions["clause_library"],
        )
        if short
        else [],
        clause_titles={c.id: c.title for c in current_app.extensions["clause_library"].ordered()},
        assessment=assessment,
        can_edit=can_edit(current_user, vendor),
        confirm=ConfirmForm(),
        questionnaires=sent_to(vendor.id),
        changes=changes_of(vendor.id),
        documents=documents,
        document_standing=document_standing(vendor, documents, local_today()),
        may_keep_documents=may_keep(current_user, vendor),
        may_send_questionnaire=may_send(current_user, vendor),
        today=local_today(),
    )


@bp.route("/new", methods=["GET", "POST"])
@allow(*REGISTER_EDITORS)
def create():
    form = VendorForm(owners=active_owners())
    if form.validate_on_submit():
        return _save_vendor_form(Vendor(), form, _("Vendor %(name)s is added."))
    return render_template("vendors/form.html", form=form, vendor=None, unreadable=())


@bp.route("/<int:vendor_id>/edit", methods=["GET", "POST"])
@allow(*EVERYONE)
def edit(vendor_id):
    # A contact no key decrypts opens empty, with a warning: typing it again repairs it.
    vendor, unreadable = vendor_with_contact_or_404(vendor_id)
    _editable_or_403(vendor)
    manages = current_user.role in REGISTER_EDITORS
    form = VendorForm(obj=vendor, owners=owner_candidates(vendor), manages_register=manages)
    if request.method == "GET":
        form.criticality.data = vendor.criticality.code
        if manages:
            form.owner_id.data = vendor.owner_id or 0
        form.load_version(vendor)
    if form.validate_on_submit():
        if changes := form.changed_meanwhile(vendor, form.values()):
            return _vendor_changed_meanwhile(vendor, form, changes, unreadable)
        return _save_vendor_form(vendor, form, _("Vendor %(name)s is updated."), unreadable)
    return render_template("vendors/form.html", form=form, vendor=vendor, unreadable=unreadable)


def _vendor_changed_meanwhile(vendor: Vendor, form: VendorForm, changes, unreadable=()):
    """Someone else saved the vendor since the form was loaded: nothing is written, and the page
    shows what they changed, with the form as the user filled it; saving it again overwrites."""
    form.load_version(vendor)
    page = render_template(
        "vendors/form.html", form=form, vendor=vendor, unreadable=unreadable, changes=changes
    )
    return page, 409


def _save_vendor_form(vendor: Vendor, form: VendorForm, message: str, unreadable=()):
    try:
        save_vendor(vendor, form.values(), home_country())
        refresh_review_due(vendor)  # its tier, status or contract may move the next review
        db.session.commit()
    except StaleDataError:
        # Someone else's save came between the check and this one's: as if it had come before.
        db.session.rollback()
        vendor, unreadable = vendor_with_contact_or_404(vendor.id)
        changes = form.changed_meanwhile(vendor, form.values())
        return _vendor_changed_meanwhile(vendor, form, changes, unreadable)
    except VendorError as error:
        db.session.rollback()
        form[error.field or "name"].errors.append(str(error))
        return render_template(
            "vendors/form.html",
            form=form,
            vendor=vendor if vendor.id else None,
            unreadable=unreadable,
        )
    flash(message % {"name": vendor.name}, "success")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id))


@bp.route("/<int:vendor_id>/terminate", methods=["GET", "POST"])
@allow(*REGISTER_EDITORS)
def terminate(vendor_id):
    vendor = db.get_or_404(Vendor, vendor_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        terminate_vendor(vendor)
        refresh_review_due(vendor)
        db.session.commit()
        flash(
            _("The relationship with %(name)s is marked terminated.", name=vendor.name), "success"
        )
        return redirect(url_for("vendors.detail", vendor_id=vendor.id))
    return render_template("vendors/terminate.html", vendor=vendor, form=form)


@bp.route("/<int:vendor_id>/risk", methods=["GET", "POST"])
@allow(Role.ADMIN)
def risk(vendor_id):
    vendor = vendor_or_404(vendor_id)
    form = RiskOverrideForm()
    if request.method == "GET":
        form.tier.data = vendor.risk_override.code if vendor.risk_override else ""
        form.reason.data = vendor.risk_override_reason or ""
    if form.validate_on_submit():
        tier = Level.from_code(form.tier.data) if form.tier.data else None
        try:
            override_risk(
                vendor, tier, form.reason.data or "", current_user, utcnow(), home_country()
            )
            refresh_review_due(vendor)  # the interval follows the tier
            db.session.commit()
        except VendorError as error:
            db.session.rollback()
            form.reason.errors.append(str(error))
        else:
            flash(_("The risk tier is saved."), "success")
            return redirect(url_for("vendors.detail", vendor_id=vendor.id))
    assessment = assess(vendor, home_country())
    return render_template("vendors/risk.html", vendor=vendor, form=form, assessment=assessment)


@bp.route("/<int:vendor_id>/sharing/new", methods=["GET", "POST"])
@allow(*EVERYONE)
def sharing_create(vendor_id):
    vendor = editable_vendor_or_403(vendor_id)
    form = SharingForm()
    if form.validate_on_submit():
        return _save_sharing_form(vendor, DataSharing(), form)
    return render_template("vendors/sharing_form.html", vendor=vendor, form=form, sharing=None)


@bp.route("/<int:vendor_id>/sharing/<int:sharing_id>/edit", methods=["GET", "POST"])
@allow(*EVERYONE)
def sharing_edit(vendor_id, sharing_id):
    vendor = editable_vendor_or_403(vendor_id)
    sharing = _sharing_of(vendor, sharing_id)
    form = SharingForm(obj=sharing)
    if request.method == "GET":
        form.load_version(sharing)
    if form.validate_on_submit():
        if changes := form.changed_meanwhile(sharing, form.values()):
            return _sharing_changed_meanwhile(vendor, sharing, form, changes)
        return _save_sharing_form(vendor, sharing, form)
    return render_template("vendors/sharing_form.html", vendor=vendor, form=form, sharing=sharing)


def _sharing_changed_meanwhile(vendor: Vendor, sharing: DataSharing, form: SharingForm, changes):
    """As _vendor_changed_meanwhile, for a data sharing row."""
    form.load_version(sharing)
    page = render_template(
        "vendors/sharing_form.html", vendor=vendor, form=form, sharing=sharing, changes=changes
    )
    return page, 409


@bp.route("/<int:vendor_id>/sharing/<int:sharing_id>/delete", methods=["POST"])
@allow(*EVERYONE)
def sharing_delete(vendor_id, sharing_id):
    vendor = editable_vendor_or_403(vendor_id)
    sharing = _sharing_of(vendor, sharing_id)
    if ConfirmForm().validate_on_submit():
        remove_sharing(vendor, sharing, home_country())
        refresh_review_due(vendor)
        db.session.commit()
        flash(_("The data sharing row is removed."), "success")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id))


def _sharing_of(vendor: Vendor, sharing_id: int) -> DataSharing:
    sharing = db.session.get(DataSharing, sharing_id)
    if sharing is None or sharing.vendor_id != vendor.id:
        abort(404)
    return sharing


def _save_sharing_form(vendor: Vendor, sharing: DataSharing, form: SharingForm):
    is_new = sharing.id is None
    try:
        before = sharing_snapshot(vendor)
        save_sharing(vendor, sharing, form.values(), home_country())
        # New kinds of information or a new country ask for an earlier review.
        note_sharing_change(vendor, before, current_user, local_today())
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        vendor = editable_vendor_or_403(vendor.id)
        if is_new:
            # A new row moves its vendor's risk tier, and the vendor was saved at that moment.
            flash(
                _(
                    "The vendor was saved by someone else at the same moment; nothing was "
                    "saved. Check the vendor, then save this row again."
                ),
                "warning",
            )
            page = render_template(
                "vendors/sharing_form.html", vendor=vendor, form=form, sharing=None
            )
            return page, 409
        # As in _save_vendor_form.
        sharing = _sharing_of(vendor, sharing.id)
        changes = form.changed_meanwhile(sharing, form.values())
        return _sharing_changed_meanwhile(vendor, sharing, form, changes)
    except VendorError as error:
        db.session.rollback()
        form[error.field or "category"].errors.append(str(error))
        return render_template(
            "vendors/sharing_form.html", vendor=vendor, form=form, sharing=sharing.id and sharing
        )
    flash(_("The data sharing is saved."), "success")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id))


@bp.route("/import", methods=["GET", "POST"])
@allow(Role.ADMIN, Role.MANAGER)
def import_csv():
    form = ImportForm()
    errors = []
    if form.validate_on_submit():
        try:
            with collector_paused():
                lock_imports()  # before reading the review policy the new vendors are dated by
                data = form.file.data.read()
                summary = import_vendors(data, home_country(), new_vendor_schedule())
                refresh_review_dues(summary.updated_ids)  # the new ones are dated already
                db.session.commit()
        except ImportRejected as rejected:
            db.session.rollback()
            errors = rejected.errors
        except ImportBusy as busy:
            db.session.rollback()
            flash(str(busy), "danger")
        else:
            flash(str(summary), "success")
            return redirect(url_for("vendors.index"))
    return render_template(
        "vendors/import.html",
        form=form,
        errors=errors,
        columns=COLUMNS,
        categories=categories(),
        subjects=subjects(),
    )


@bp.route("/export.csv")
@allow(Role.ADMIN, Role.MANAGER)
def export():
    # Streamed: the rows are written as the database yields them, whatever the register's size.
    today = local_today()
    f = parse_filter(request.args)
    rows = export_rows_with_compliance(f, today)
    record_export("vendor", f.audited_args())
    # The BOM tells spreadsheets it is UTF-8.
    chunks = csv_chunks(rows, bom=True, header=EXPORT_COLUMN_NAMES)
    return current_app.response_class(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="vendors-{today.isoformat()}.csv"'},
    )


@bp.route("/export.xlsx")
@allow(Role.ADMIN, Role.MANAGER)
def export_xlsx():
    today = local_today()
    f = parse_filter(request.args)
    data = xlsx_bytes(export_rows_with_compliance(f, today))
    # The filters as understood, which are what was exported: not whatever the address held.
    record_export("vendor", f.audited_args())
    return send_file(
        BytesIO(data),
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=f"vendors-{today.isoformat()}.xlsx",
    )
