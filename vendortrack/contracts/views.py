"""The vendor's own agreement on its page: documents added and removed by legal, the findings
of their check with the quotes in context, and legal's decision on each."""

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from vendortrack.accounts.access import EVERYONE, allow
from vendortrack.accounts.models import Role
from vendortrack.addenda.services import AddendumError
from vendortrack.contracts.check import CHECKER_VERSION, Standard
from vendortrack.contracts.forms import AgreementUploadForm, DecisionForm, GapAddendumForm
from vendortrack.contracts.models import AgreementDocument, AgreementFinding, Decision
from vendortrack.contracts.services import (
    ALREADY_THERE,
    AgreementError,
    GapRequest,
    add_document,
    check_again,
    current_check,
    decide,
    documents_of,
    gap_addendum,
    gap_clauses,
    remove_document,
    required_clauses,
)
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.forms import ConfirmForm
from vendortrack.i18n import local_today
from vendortrack.organisation.services import current_settings
from vendortrack.register.models import Vendor
from vendortrack.trail.recorder import record_view
from vendortrack.uploads import UploadError

bp = Blueprint("contracts", __name__, url_prefix="/vendors")
SAME_MOMENT = _l(
    "Someone else changed the vendor’s agreement at the same moment: the page shows their change."
)
LEGAL = (Role.ADMIN, Role.LEGAL)


def settings():
    return current_settings(current_app.config["HOME_COUNTRY"])


def standard() -> Standard:
    found = settings()
    return Standard(found.breach_notice_hours, found.sub_processor_notice_days)


def library():
    return current_app.extensions["clause_library"]


@bp.route("/<int:vendor_id>/agreement")
@allow(*EVERYONE)
def review(vendor_id):
    vendor = db.get_or_404(Vendor, vendor_id)
    documents = documents_of(vendor)
    run = current_check(vendor)
    record_view("agreement_check", run.id if run else None, vendor.id)
    return render_template(
        "contracts/review.html",
        vendor=vendor,
        documents=documents,
        check=run,
        in_context={f.id: in_context(f.context, f.quote) for f in run.findings} if run else {},
        upload_form=AgreementUploadForm(),
        decision_form=DecisionForm(),
        gap_form=GapAddendumForm(),
        gaps=gap_clauses(run, required_clauses(vendor, settings(), library())) if run else [],
        titles={cid: clause.title for cid, clause in library().clauses.items()},
        confirm_form=ConfirmForm(),
        can_review=current_user.role in LEGAL,
        outdated=run is not None and _outdated(run),
    )


@bp.route("/<int:vendor_id>/agreement/documents", methods=["POST"])
@allow(*LEGAL)
def upload(vendor_id):
    vendor = db.get_or_404(Vendor, vendor_id)
    form = AgreementUploadForm()
    if not form.validate_on_submit():
        return _refused(vendor, form)
    file = form.document.data
    data, name = file.read(), file.filename or "agreement"
    return _change(
        vendor,
        lambda: add_document(vendor, data, name, standard(), library(), current_user, utcnow()),
        _("The document is added and the agreement checked again: review the findings."),
    )


@bp.route("/<int:vendor_id>/agreement/documents/<int:document_id>")
@allow(*EVERYONE)
def download(vendor_id, document_id):
    document = _document_of(vendor_id, document_id)
    record_view("agreement_document", document.id, vendor_id)
    return send_file(
        BytesIO(document.content),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=document.filename,
    )


@bp.route("/<int:vendor_id>/agreement/documents/<int:document_id>/delete", methods=["POST"])
@allow(*LEGAL)
def remove(vendor_id, document_id):
    vendor = db.get_or_404(Vendor, vendor_id)
    document = _document_of(vendor_id, document_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _change(
        vendor,
        lambda: remove_document(vendor, document, standard(), library(), current_user, utcnow()),
        _("The document is removed; what is left is checked again."),
    )


@bp.route("/<int:vendor_id>/agreement/check-again", methods=["POST"])
@allow(*LEGAL)
def recheck(vendor_id):
    vendor = db.get_or_404(Vendor, vendor_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _change(
        vendor,
        lambda: check_again(vendor, standard(), library(), current_user, utcnow()),
        _(
            "The agreement is checked again. Decisions on findings that read the same are kept; "
            "review the others."
        ),
    )


@bp.route("/<int:vendor_id>/agreement/findings/<int:finding_id>", methods=["POST"])
@allow(*LEGAL)
def decision(vendor_id, finding_id):
    vendor = db.get_or_404(Vendor, vendor_id)
    finding = db.session.get(AgreementFinding, finding_id)
    current = current_check(vendor)
    if finding is None or current is None or finding.check_id != current.id:
        abort(404)  # a finding of an older check, or of another vendor, is not decided here
    form = DecisionForm()
    if not form.validate_on_submit():
        return _refused(vendor, form)
    return _change(
        vendor,
        lambda: decide(
            finding, Decision(form.decision.data), form.reason.data, current_user, utcnow()
        ),
        _("The decision is recorded."),
    )


@bp.route("/<int:vendor_id>/agreement/gap-addendum", methods=["POST"])
@allow(*LEGAL)
def gap(vendor_id):
    vendor = db.get_or_404(Vendor, vendor_id)
    form = GapAddendumForm()
    if not form.validate_on_submit():
        return _refused(vendor, form)
    asked = GapRequest(form.language.data, form.authorisation.data)
    try:
        addendum = gap_addendum(
            vendor, settings(), library(), asked, current_user, utcnow(), local_today()
        )
        db.session.commit()
    except (AgreementError, AddendumError) as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("contracts.review", vendor_id=vendor.id, _anchor="gap"))
    flash(_("The gap addendum is generated, as a draft: check it, then send it."), "success")
    return redirect(url_for("addenda.detail", addendum_id=addendum.id))


def _outdated(run) -> bool:
    """Made by earlier rules, or held to figures Settings no longer give (when it recorded
    them: a check from before they were recorded is judged by its rules' version alone)."""
    if run.checker_version < CHECKER_VERSION:
        return True
    recorded = run.breach_hours is not None and run.notice_days is not None
    return recorded and Standard(run.breach_hours, run.notice_days) != standard()


def in_context(context: str, quote: str) -> tuple[str, str, str]:
    """The paragraph cut around the quote (before, quote, after), for the page to mark it."""
    start = context.find(quote) if quote else -1
    if start < 0:
        return "", quote, ""
    return context[:start], quote, context[start + len(quote) :]


def _document_of(vendor_id: int, document_id: int) -> AgreementDocument:
    document = db.session.get(AgreementDocument, document_id)
    if document is None or document.vendor_id != vendor_id:
        abort(404)
    return document


def _refused(vendor: Vendor, form):
    for field, errors in form.errors.items():
        label = form[field].label.text if field in form else field
        flash(f"{label}: {' '.join(str(e) for e in errors)}", "danger")
    return redirect(url_for("contracts.review", vendor_id=vendor.id))


def _change(vendor: Vendor, change, message: str):
    """Apply a change and commit it, or roll it all back and say why."""
    try:
        change()
        db.session.commit()
    except (AgreementError, UploadError) as error:
        db.session.rollback()
        flash(str(error), "danger")
    except IntegrityError as error:
        db.session.rollback()
        # Two requests at once: two new checks (one current check per vendor), or the same
        # file sent twice (the documents' unique key), as a double click does.
        one_check = "agreement_checks" in str(error.orig)  # its index (PostgreSQL), its table
        flash(str(SAME_MOMENT if one_check else ALREADY_THERE), "danger")
    else:
        flash(message, "success")
    return redirect(url_for("contracts.review", vendor_id=vendor.id))
