"""Addenda: choose the clauses, preview, generate, download, and track to signature."""

from datetime import UTC
from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import to_utc
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from vendortrack.accounts.access import EVERYONE, allow
from vendortrack.accounts.models import Role
from vendortrack.addenda.compose import regimes_for
from vendortrack.addenda.facts import choice_facts
from vendortrack.addenda.forms import GenerateForm, LanguageChoiceForm, SignForm, yes_no
from vendortrack.addenda.models import Addendum
from vendortrack.addenda.services import (
    AddendumError,
    AddendumRequest,
    authorisation_of,
    checklist,
    document_filename,
    facts_for,
    generate_addendum,
    mark_sent,
    outdated_addenda,
    outdated_clauses,
    preview_content,
    record_language_choice,
    record_signature,
    regenerate_outdated,
    warnings,
)
from vendortrack.database import MAX_INTEGER, utcnow
from vendortrack.documents.builder import build_counsel_note, preamble
from vendortrack.documents.wording import STRINGS, document_date
from vendortrack.extensions import db
from vendortrack.forms import ConfirmForm, whole_number
from vendortrack.geography import country_of
from vendortrack.i18n import local_today
from vendortrack.organisation.services import current_settings
from vendortrack.register.models import DataSharing, Vendor
from vendortrack.trail.recorder import record_view
from vendortrack.uploads import UploadError, stored_name

bp = Blueprint("addenda", __name__)

LEGAL = (Role.ADMIN, Role.LEGAL)
REGENERATE_BATCH = 10
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def library():
    return current_app.extensions["clause_library"]


def settings():
    return current_settings(current_app.config["HOME_COUNTRY"])


def vendor_with_sharing(vendor_id: int) -> Vendor:
    options = [
        selectinload(Vendor.sharings).selectinload(DataSharing.locations),
        selectinload(Vendor.sub_processors),
    ]
    vendor = db.session.get(Vendor, vendor_id, options=options)
    if vendor is None:
        abort(404)
    return vendor


@bp.route("/vendors/<int:vendor_id>/addenda")
@allow(*EVERYONE)
def index(vendor_id):
    vendor = db.get_or_404(Vendor, vendor_id)
    addenda = db.session.scalars(
        select(Addendum).where(Addendum.vendor_id == vendor.id).order_by(Addendum.id.desc())
    ).all()
    return render_template("addenda/index.html", vendor=vendor, addenda=addenda)


@bp.route("/vendors/<int:vendor_id>/addenda/new", methods=["GET", "POST"])
@allow(*LEGAL)
def create(vendor_id):
    vendor = vendor_with_sharing(vendor_id)
    form = GenerateForm(effective_date=local_today(), contract=vendor.contract_reference)
    facts = facts_for(vendor, settings()) | choice_facts(form.authorisation.data)
    items = checklist(library(), facts)
    chosen = request.form.getlist("clauses") if request.method == "POST" else default_choice(items)
    omissions = {i.clause.id: request.form.get(f"omit_{i.clause.id}", "") for i in items}
    if form.validate_on_submit():
        wanted = form.addendum_request(chosen, omissions)
        try:
            if request.form.get("action") == "preview":
                return _preview(vendor, wanted)
            if request.form.get("action") == "counsel_note":
                return _counsel_note(vendor, wanted)
            return _generate(vendor, wanted)
        except AddendumError as error:
            db.session.rollback()
            flash(str(error), "danger")
    return render_template(
        "addenda/create.html",
        vendor=vendor,
        form=form,
        items=items,
        chosen=set(chosen),
        omissions=omissions,
        regimes=regimes_for(facts, country_of(settings().home_jurisdiction)),
        warnings=warnings(vendor, facts),
    )


def _generate(vendor: Vendor, wanted: AddendumRequest):
    addendum = generate_addendum(vendor, settings(), library(), wanted, current_user, utcnow())
    db.session.commit()
    flash(_("The addendum is generated as a draft."), "success")
    return redirect(url_for("addenda.detail", addendum_id=addendum.id))


def default_choice(items) -> list[str]:
    return [item.clause.id for item in items if item.required]


def _preview(vendor: Vendor, addendum_request: AddendumRequest):
    content, _facts = preview_content(vendor, settings(), library(), addendum_request)
    languages = (
        ["fr", "en"] if addendum_request.language == "bilingual" else [addendum_request.language]
    )
    return render_template(
        "addenda/preview.html",
        vendor=vendor,
        content=content,
        languages=languages,
        words=STRINGS,  # the document's own words, so the preview says what the file will say
        document_date=document_date,
        preamble=preamble,
    )


def _counsel_note(vendor: Vendor, wanted: AddendumRequest):
    content, _facts = preview_content(vendor, settings(), library(), wanted)
    data = build_counsel_note(content, wanted.language)
    name = document_filename(vendor, wanted.language, wanted.effective_date)
    return _send(data, name.replace("addendum-", "counsel-note-", 1), DOCX)


@bp.route("/addenda/<int:addendum_id>")
@allow(*EVERYONE)
def detail(addendum_id):
    addendum = db.get_or_404(Addendum, addendum_id)
    record_view("addendum", addendum.id, addendum.vendor_id)
    return render_template(
        "addenda/detail.html",
        addendum=addendum,
        outdated=outdated_clauses(addendum, library()),
        authorisation=authorisation_of(addendum),
        titles={cid: c.title for cid, c in library().clauses.items()},
        sign_form=SignForm(signed_on=local_today()),
        language_form=LanguageChoiceForm(
            negotiated={True: "yes", False: "no"}.get(addendum.negotiated, "")
        ),
    )


@bp.route("/addenda/<int:addendum_id>/download")
@allow(*EVERYONE)
def download(addendum_id):
    addendum = db.get_or_404(Addendum, addendum_id)
    record_view("addendum", addendum.id, addendum.vendor_id)
    return _send(addendum.document, addendum.filename, DOCX)


@bp.route("/addenda/<int:addendum_id>/signed-copy")
@allow(*EVERYONE)
def signed_copy(addendum_id):
    addendum = db.get_or_404(Addendum, addendum_id)
    if addendum.signed_copy is None:
        abort(404)
    record_view("addendum", addendum.id, addendum.vendor_id)
    pdf = addendum.signed_filename.lower().endswith(".pdf")
    return _send(addendum.signed_copy, addendum.signed_filename, "application/pdf" if pdf else DOCX)


def _send(data: bytes, filename: str, mimetype: str):
    # Only the base name goes out: a copy stored before names were cut to it may carry folders.
    name = stored_name(filename)
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.route("/addenda/<int:addendum_id>/sent", methods=["POST"])
@allow(*LEGAL)
def sent(addendum_id):
    addendum = db.get_or_404(Addendum, addendum_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _change(addendum, lambda: mark_sent(addendum, utcnow()), _("Marked as sent."))


@bp.route("/addenda/<int:addendum_id>/sign", methods=["POST"])
@allow(*LEGAL)
def sign(addendum_id):
    addendum = db.get_or_404(Addendum, addendum_id)
    form = SignForm()
    if not form.validate_on_submit():
        return _refused(addendum, form)
    upload = form.signed_copy.data
    data, name = upload.read(), stored_name(upload.filename or "signed")
    return _change(
        addendum,
        lambda: record_signature(
            addendum, data, name, form.signed_on.data, utcnow(), local_today()
        ),
        _("The signed copy is recorded."),
    )


@bp.route("/addenda/<int:addendum_id>/language", methods=["POST"])
@allow(*LEGAL)
def language(addendum_id):
    addendum = db.get_or_404(Addendum, addendum_id)
    form = LanguageChoiceForm()
    if not form.validate_on_submit():
        return _refused(addendum, form)
    delivered, chosen = (
        to_utc(d).replace(tzinfo=UTC) if d else None
        for d in (form.french_delivered_at.data, form.english_chosen_at.data)
    )
    return _change(
        addendum,
        lambda: record_language_choice(addendum, yes_no(form.negotiated.data), delivered, chosen),
        _("The language record is saved."),
    )


def _refused(addendum: Addendum, form):
    """Back to the addendum, saying what was wrong with the form (it lives on that page)."""
    for field, errors in form.errors.items():
        label = form[field].label.text if field in form else field
        flash(f"{label}: {' '.join(str(e) for e in errors)}", "danger")
    return redirect(url_for("addenda.detail", addendum_id=addendum.id))


def _change(addendum: Addendum, change, message: str):
    """Apply a change, commit it, and come back to the addendum with what happened."""
    try:
        change()
        db.session.commit()
    except (AddendumError, UploadError) as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        flash(message, "success")
    return redirect(url_for("addenda.detail", addendum_id=addendum.id))


@bp.route("/addenda/outdated")
@allow(*LEGAL)
def outdated():
    rows = db.session.scalars(
        outdated_addenda(library()).options(selectinload(Addendum.clauses))
    ).all()
    stale = {a.id: outdated_clauses(a, library()) for a in rows}
    return render_template(
        "addenda/outdated.html", addenda=rows, stale=stale, confirm=ConfirmForm()
    )


@bp.route("/addenda/outdated/regenerate", methods=["POST"])
@allow(*LEGAL)
def regenerate_batch():
    """One batch of the bulk regeneration; the page calls it until nothing is left, showing
    progress (a request per batch keeps each one short)."""
    # The page's script sends the last addendum id of the batch before: anything else, such as
    # a number no id can reach (which PostgreSQL would refuse to compare), is not from our page.
    after = whole_number(request.form.get("after") or "0")
    if not ConfirmForm().validate_on_submit() or after is None or after > MAX_INTEGER:
        abort(400)
    summary = regenerate_outdated(
        settings(), library(), current_user, utcnow(), after, REGENERATE_BATCH
    )
    db.session.commit()
    return jsonify(
        regenerated=summary.regenerated,
        failed=summary.failed,
        last_id=summary.last_id,
        finished=summary.regenerated + len(summary.failed) < REGENERATE_BATCH,
    )
