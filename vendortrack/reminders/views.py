"""The administrators' Sent mail page: how mail goes out, the sweep's last run, what waits to be
tried again, every message sent or refused, and a button to send what is due now."""

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from vendortrack.accounts.access import allow
from vendortrack.accounts.models import Role
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.forms import ConfirmForm
from vendortrack.mail import MailSettings
from vendortrack.reminders.models import MailMessage, Topic
from vendortrack.reminders.outbox import carried_reminders, message_page, waiting_recipients
from vendortrack.reminders.sweep import SweepResult, last_run, send_due
from vendortrack.scheduler import missed_today, next_daily_run

bp = Blueprint("reminders", __name__)

MESSAGES_PER_PAGE = 50
WAITING_SHOWN = 50
# The stored HTML carries text users typed (vendor names, review conditions). Served from our
# origin, it must not run script or reach our cookies: the sandbox gives it an origin of its
# own, and nothing may be fetched, so opening a message tells no one it was opened.
HTML_PART_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src data:; "
    "style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


@bp.route("/mail")
@allow(Role.ADMIN)
def index():
    now = utcnow()
    waiting = waiting_recipients(WAITING_SHOWN + 1)  # one more tells whether some are not shown
    return render_template(
        "reminders/index.html",
        delivery=how_mail_goes_out(current_app.extensions["mail_settings"]),
        last=last_run(),
        next_run=next_daily_run(now, current_app),
        missed=missed_today(now, current_app),
        waiting=waiting[:WAITING_SHOWN],
        more_waiting=len(waiting) > WAITING_SHOWN,
        page=message_page(request.args.get("page", 1, type=int), MESSAGES_PER_PAGE),
        form=ConfirmForm(),
    )


@bp.route("/mail/<int:message_id>")
@allow(Role.ADMIN)
def detail(message_id):
    message = db.get_or_404(MailMessage, message_id)
    return render_template(
        "reminders/detail.html",
        message=message,
        carried=carried_reminders(message.id),
        kind_label=kind_label,
    )


@bp.route("/mail/<int:message_id>/html")
@allow(Role.ADMIN)
def html(message_id):
    message = db.get_or_404(MailMessage, message_id)
    response = make_response(message.html_body)
    response.mimetype = "text/html"
    response.headers.update(HTML_PART_HEADERS)
    return response


@bp.route("/mail/run", methods=["POST"])
@allow(Role.ADMIN)
def run():
    if ConfirmForm().validate_on_submit():
        try:
            result = send_due(utcnow())
        except Exception:
            # send_due commits as it goes: what went out is recorded, and reminders it had
            # claimed are claimed again by a later run once the claim expires.
            db.session.rollback()
            current_app.logger.exception("sending due reminders from the Sent mail page failed")
            flash(
                _(
                    "Sending the reminders stopped on an unexpected error, recorded in the "
                    "server's log. Reminders not sent are tried again by a later run."
                ),
                "danger",
            )
        else:
            flash(*run_summary(result))
    return redirect(url_for("reminders.index"))


def how_mail_goes_out(settings: MailSettings) -> str:
    # A sentence rather than the settings object: the template never holds the SMTP password.
    if settings.transport == "smtp":
        return _(
            "Mail goes out through the mail server %(server)s:%(port)s.",
            server=settings.server,
            port=settings.port,
        )
    return _(
        "No mail server is set: each message is written to files in %(folder)s.",
        folder=str(settings.outbox_dir),
    )


def kind_label(topic: Topic, kind: str) -> str:
    """The stage of a reminder in words: "in_30" is "Review due within 30 days"."""
    stage, _sep, number = kind.partition("_")
    count = int(number) if number.isdigit() else 0
    if topic == Topic.CONDITION:
        return _("Review condition due")
    if topic == Topic.DOCUMENT:
        return _document_label(count)
    if topic == Topic.CHANGE:
        return _("Sub-processor change: objections close soon")
    if stage == "notice":
        return ngettext(
            "Notice deadline within %(num)s day", "Notice deadline within %(num)s days", count
        )
    return _review_label(stage, kind, count)


def _document_label(days: int) -> str:
    if days == 0:
        return _("Vendor document expires today")
    return ngettext(
        "Vendor document expires within %(num)s day",
        "Vendor document expires within %(num)s days",
        days,
    )


def _review_label(stage: str, kind: str, count: int) -> str:
    if stage == "in":
        return ngettext("Review due within %(num)s day", "Review due within %(num)s days", count)
    if stage == "overdue":
        return ngettext("Review overdue by %(num)s week", "Review overdue by %(num)s weeks", count)
    return _("Review due") if kind == "due" else kind


def run_summary(result: SweepResult) -> tuple[str, str]:
    """The flash after "Send due reminders now": the message and its category."""
    if not (result.messages or result.skipped or result.deferred or result.failed):
        return _("Nothing was due: no message was sent."), "info"
    text = _(
        "%(messages)s carrying %(reminders)s. Deferred: %(deferred)s; skipped: %(skipped)s; "
        "refused: %(failed)s.",
        messages=ngettext("%(num)s message sent", "%(num)s messages sent", result.messages),
        reminders=ngettext("%(num)s reminder", "%(num)s reminders", result.sent),
        deferred=result.deferred,
        skipped=result.skipped,
        failed=result.failed,
    )
    return text, "warning" if result.deferred or result.failed else "success"
