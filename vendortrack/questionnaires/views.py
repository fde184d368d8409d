"""The questionnaire pages of our own people: the library (each set, as the vendor will read it),
sending a set to a vendor's contact, and following what was sent: its status, the vendor's
answers and files, revoking and sending again."""

from datetime import timedelta
from functools import partial
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
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from vendortrack.accounts.access import EVERYONE, allow
from vendortrack.assurance.forms import DocumentFields, show_document_error
from vendortrack.assurance.services import DocumentError, add_document, may_keep
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.forms import ConfirmForm
from vendortrack.i18n import current_language, local_today
from vendortrack.questionnaires.forms import InvitationForm, SendForm
from vendortrack.questionnaires.library import LANGUAGES, from_snapshot
from vendortrack.questionnaires.models import QuestionnaireFile, QuestionnaireRequest
from vendortrack.questionnaires.queries import kept_files, proposed_document
from vendortrack.questionnaires.sending import (
    SENDERS,
    SendError,
    deliver,
    may_send,
    revoke,
    send_again,
    send_questionnaire,
    withdraw,
)
from vendortrack.register.contacts import load_contacts
from vendortrack.register.models import Vendor
from vendortrack.trail.recorder import record_view

bp = Blueprint("questionnaires", __name__, url_prefix="/questionnaires")

DEFAULT_DUE_DAYS = 21


def library():
    return current_app.extensions["questionnaires"]


@bp.route("/")
@allow(*EVERYONE)
def index():
    return render_template("questionnaires/index.html", sets=library().ordered())


@bp.route("/<set_id>")
@allow(*EVERYONE)
def preview(set_id):
    question_set = library().sets.get(set_id)
    if question_set is None:
        abort(404)
    # The vendor may read it in the other language: so may whoever sends it.
    lang = request.args.get("lang")
    lang = lang if lang in LANGUAGES else current_language()
    return render_template("questionnaires/preview.html", set=question_set, lang=lang)


@bp.route("/send/<int:vendor_id>", methods=["GET", "POST"])
@allow(*SENDERS)
def send(vendor_id):
    vendor = _sendable_vendor(vendor_id)
    form = SendForm()
    sets = library().ordered()
    form.set_id.choices = [(s.id, s.title[current_language()]) for s in sets]
    if request.method == "GET":
        _prefill(form, vendor)
    if form.validate_on_submit():
        question_set = library().sets[form.set_id.data]
        sent = _sent(form, partial(send_questionnaire, vendor, question_set))
        if sent is not None:
            flash(_("The questionnaire is sent to %(email)s.", email=sent.contact_email), "success")
            return redirect(url_for(".request_detail", request_id=sent.id))
    return render_template("questionnaires/send.html", form=form, vendor=vendor), (
        422 if form.errors else 200
    )


def _sendable_vendor(vendor_id: int) -> Vendor:
    vendor = db.session.get(Vendor, vendor_id)
    if vendor is None:
        abort(404)
    if not may_send(current_user, vendor):
        abort(403)
    return vendor


def _prefill(form: InvitationForm, vendor: Vendor) -> None:
    """The vendor's contact, the set for its risk tier, three weeks to answer."""
    load_contacts(vendor)
    form.contact_name.data = vendor.contact_name
    form.contact_email.data = vendor.contact_email
    form.language.data = current_language()
    form.due_on.data = local_today() + timedelta(days=DEFAULT_DUE_DAYS)
    form.link_days.data = current_app.config["QUESTIONNAIRE_LINK_DAYS"]
    if isinstance(form, SendForm):
        proposed = library().proposed_for(vendor.risk_tier)
        form.set_id.data = proposed.id if proposed else None


def _sent(form: InvitationForm, record) -> QuestionnaireRequest | None:
    """Record what the form asks (`record(invitation, sender, now)`), commit, then mail the
    link; the questionnaire sent, or None with the form showing why not."""
    now = utcnow()
    try:
        outgoing = record(form.invitation(), current_user, now)
    except SendError as error:
        db.session.rollback()
        _show(form, error)
        return None
    db.session.commit()  # the mail goes only once the link opens something
    try:
        deliver(outgoing, current_user, now)
    except SendError as error:
        withdraw(outgoing)
        db.session.commit()
        _show(form, error)
        return None
    db.session.commit()
    return outgoing.request


def _show(form: InvitationForm, error: SendError) -> None:
    if error.field:
        form[error.field].errors.append(str(error))
    else:
        flash(str(error), "danger")
        form.form_errors.append(str(error))


def _request_or_404(request_id: int) -> QuestionnaireRequest:
    query = (
        select(QuestionnaireRequest)
        .where(QuestionnaireRequest.id == request_id)
        .options(joinedload(QuestionnaireRequest.vendor), joinedload(QuestionnaireRequest.sent_by))
    )
    found = db.session.scalars(query).unique().one_or_none()
    if found is None:
        abort(404)
    return found


@bp.route("/requests/<int:request_id>")
@allow(*EVERYONE)
def request_detail(request_id):
    found = _request_or_404(request_id)
    record_view("questionnaire", found.id, found.vendor_id)
    question_set = from_snapshot(found.questions)
    files = {}
    for file in found.files:
        files.setdefault(file.question_id, []).append(file)
    return render_template(
        "questionnaires/request.html",
        found=found,
        set=question_set,
        lang=current_language(),
        status=found.status(local_today()),
        answers={answer.question_id: answer for answer in found.answers},
        files=files,
        may_send=may_send(current_user, found.vendor),
        may_keep=may_keep(current_user, found.vendor),
        kept=kept_files(found.id),
        confirm=ConfirmForm(),
    )


@bp.route("/requests/<int:request_id>/revoke", methods=["POST"])
@allow(*SENDERS)
def revoke_link(request_id):
    found = _request_or_404(request_id)
    if not may_send(current_user, found.vendor):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        revoke(found, current_user, utcnow())
    except SendError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("The link is revoked: it no longer opens the questionnaire."), "success")
    return redirect(url_for(".request_detail", request_id=found.id))


@bp.route("/requests/<int:request_id>/resend", methods=["GET", "POST"])
@allow(*SENDERS)
def resend(request_id):
    found = _request_or_404(request_id)
    if not may_send(current_user, found.vendor):
        abort(403)
    form = InvitationForm()
    if request.method == "GET":
        _prefill_again(form, found)
    if form.validate_on_submit() and _sent(form, partial(send_again, found)):
        flash(
            _(
                "A new link is sent to %(email)s; the previous one no longer works.",
                email=found.contact_email,
            ),
            "success",
        )
        return redirect(url_for(".request_detail", request_id=found.id))
    return render_template("questionnaires/resend.html", form=form, found=found), (
        422 if form.errors else 200
    )


def _prefill_again(form: InvitationForm, found: QuestionnaireRequest) -> None:
    form.contact_name.data = found.contact_name
    form.contact_email.data = found.contact_email
    form.language.data = found.language
    form.message.data = found.message
    form.due_on.data = max(found.due_on, local_today() + timedelta(days=7))
    form.link_days.data = current_app.config["QUESTIONNAIRE_LINK_DAYS"]


@bp.route("/requests/<int:request_id>/files/<int:file_id>")
@allow(*EVERYONE)
def file_download(request_id, file_id):
    file = db.session.get(QuestionnaireFile, file_id)
    if file is None or file.request_id != request_id:
        abort(404)
    found = _request_or_404(request_id)
    record_view("questionnaire_file", file.id, found.vendor_id)
    return send_file(
        BytesIO(file.data),
        mimetype=file.content_type,
        as_attachment=True,
        download_name=file.filename,
    )


@bp.route("/requests/<int:request_id>/files/<int:file_id>/keep", methods=["GET", "POST"])
@allow(*EVERYONE)
def keep_file(request_id, file_id):
    """Keep a file the vendor attached as one of its documents (a certificate, a report)."""
    found = _request_or_404(request_id)
    file = db.session.get(QuestionnaireFile, file_id)
    # Only once submitted: until then the vendor may still remove or replace the file.
    if file is None or file.request_id != found.id or found.submitted_at is None:
        abort(404)
    if not may_keep(current_user, found.vendor):
        abort(403)
    form = DocumentFields(data=proposed_document(found, file.question_id))
    if form.validate_on_submit():
        try:
            given = form.given()
            add_document(found.vendor, given, file.filename, file.data, current_user, file.id)
        except DocumentError as error:
            db.session.rollback()
            show_document_error(form, error)
        else:
            db.session.commit()
            flash(_("The file is kept among the vendor’s documents."), "success")
            return redirect(url_for(".request_detail", request_id=found.id))
    return render_template(
        "assurance/form.html", vendor=found.vendor, form=form, source=file.filename
    ), (422 if form.errors else 200)
