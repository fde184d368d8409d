"""The pages a vendor's contact opens from the link in our mail, without an account: the
questionnaire to answer, save and submit, then its receipt.

The only pages open without signing in, so each request is counted against rate limits before
anything else, and a link that opens nothing (malformed, unknown, replaced, revoked, expired)
gets one plain page, whichever it is. Everything the vendor does is recorded in the audit trail
as "the vendor, by link". The token is in the address: these pages send no referrer, so it
never leaves for another site, and they link to nothing else of the app.
"""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_wtf.csrf import CSRFError

from vendortrack.accounts.access import public
from vendortrack.database import utcnow
from vendortrack.errors import CSRF_MESSAGE
from vendortrack.extensions import db
from vendortrack.organisation.services import current_settings
from vendortrack.questionnaires.answering import (
    AnswerError,
    check_open,
    read_answers,
    remove_file,
    save_draft,
    submit,
    unanswered,
    uploads_in,
)
from vendortrack.questionnaires.library import LANGUAGES, from_snapshot
from vendortrack.questionnaires.links import request_for, token_hash
from vendortrack.questionnaires.notices import note_submitted
from vendortrack.questionnaires.throttle import count, keys_for, prune, wait_minutes
from vendortrack.trail.recorder import act_as
from vendortrack.uploads import UploadError

bp = Blueprint("vendor_link", __name__, url_prefix="/v")


class Refused(Exception):
    """This request gets a page of its own instead (too many requests, a link that opens
    nothing)."""

    def __init__(self, response):
        self.response = response


@bp.errorhandler(Refused)
def _refused(error: Refused):
    return error.response


@bp.errorhandler(413)
def _too_large(error):
    return _problem(
        413,
        _(
            "The files sent together are larger than 10 MB: attach them in "
            "several saves. Nothing was saved."
        ),
    )


@bp.errorhandler(CSRFError)
def _expired(error):
    return _problem(400, str(CSRF_MESSAGE))


def _problem(status: int, message: str):
    """A refusal on the vendor's own plain page, not the app's, and in the language the
    questionnaire is read in when the link says which."""
    token = (request.view_args or {}).get("token", "")
    found = request_for(token, utcnow())
    if found is not None:
        g.page_language = found.language
        refresh()
    return render_template("vendor_link/problem.html", message=message, token=token), status


@bp.after_request
def _private(response):
    # Stricter than the rest of the app: the address holds the token.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _opened(token: str, lock: bool = False):
    """The questionnaire this link opens, with the time; Refused otherwise. The request is
    counted against the limits and committed first, so that nothing the view does after (a
    rollback of a refused save) can take it back."""
    now = utcnow()
    act_as("vendor_link")
    keys = keys_for(request.remote_addr, token_hash(token))
    prune(now)
    wait = wait_minutes(keys, now, with_token=False)
    found = request_for(token, now) if wait is None else None
    if found is not None:
        wait = wait_minutes(keys, now, with_token=True)
    if wait is not None:
        db.session.commit()
        page = render_template("vendor_link/throttled.html", minutes=wait)
        raise Refused((page, 429, {"Retry-After": str(wait * 60)}))
    count(keys, now, opened=found is not None)
    db.session.commit()
    if found is None:
        raise Refused((render_template("vendor_link/closed.html"), 404))
    if lock:
        found = request_for(token, now, lock=True)  # read again, held until the commit
    g.page_language = found.language
    refresh()
    return found, now


@bp.route("/<token>", methods=["GET"])
@public
def answer(token):
    found, now = _opened(token)
    if found.opened_at is None:
        found.opened_at = now
        db.session.commit()
    return _page(found, token)


@bp.route("/<token>", methods=["POST"])
@public
def save(token):
    found, now = _opened(token, lock=True)
    question_set = from_snapshot(found.questions)
    try:
        check_open(found)
        given = read_answers(question_set, request.form, uploads_in(request.files))
    except (AnswerError, UploadError) as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _page(found, token, status=422, form=request.form)
    if given.errors:
        db.session.rollback()
        flash(_("Nothing was saved: correct the answers marked below."), "danger")
        return _page(found, token, given.errors, request.form, 422)
    try:
        save_draft(found, given, now)
    except AnswerError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _page(found, token, status=422, form=request.form)
    if request.form.get("action") == "submit":
        return _submit(found, question_set, token, now)
    db.session.commit()
    flash(_("Your answers are saved. Come back with the same link to go on."), "success")
    return redirect(url_for(".answer", token=token), 303)


def _submit(found, question_set, token: str, now):
    try:
        submit(found, question_set, now)
    except AnswerError as error:
        db.session.commit()  # the draft stays saved
        flash(str(error), "warning")
        missing = {q: _("Answer this question.") for q in unanswered(found, question_set)}
        return _page(found, token, missing, status=422)
    note_submitted(found, now)
    db.session.commit()
    flash(_("Thank you: your answers are submitted."), "success")
    return redirect(url_for(".answer", token=token), 303)


@bp.route("/<token>/files/<int:file_id>/remove", methods=["POST"])
@public
def file_remove(token, file_id):
    found, _now = _opened(token, lock=True)
    try:
        remove_file(found, file_id)
    except AnswerError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for(".answer", token=token), 303)
    db.session.commit()
    flash(_("The file is removed."), "success")
    return redirect(url_for(".answer", token=token), 303)


@bp.route("/<token>/language/<code>", methods=["POST"])
@public
def language(token, code):
    found, _now = _opened(token, lock=True)
    if code in LANGUAGES and code != found.language:
        found.language = code  # the reminders follow the vendor's choice too
    db.session.commit()
    return redirect(url_for(".answer", token=token), 303)


def _page(found, token: str, errors=None, form=None, status: int = 200):
    question_set = from_snapshot(found.questions)
    template = "vendor_link/receipt.html" if found.submitted_at else "vendor_link/answer.html"
    page = render_template(
        template,
        found=found,
        set=question_set,
        lang=found.language,
        token=token,
        answers={answer.question_id: answer for answer in found.answers},
        answered=len(question_set.questions) - len(unanswered(found, question_set)),
        files=found.files,
        errors=errors or {},
        form=form,
        # Who asks: the vendor reads our name at the top, and its own below.
        organisation=current_settings(current_app.config["HOME_COUNTRY"]).legal_name
        or "VendorTrack",
    )
    return page, status
