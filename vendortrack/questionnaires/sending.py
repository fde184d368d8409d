"""Sending a questionnaire to a vendor's contact, sending it again, and revoking its link.

The mail goes at once, while the sender waits, not through the outbox: it carries the only copy
of the link's token, which the database never holds. As every mail, it goes only once the
questionnaire is committed (a link to nothing must never reach a vendor), and the database is
not held while the mail server answers. If the server does not take the message, `withdraw`
puts back what was recorded: a new questionnaire goes, a questionnaire sent again gets its
previous link and dates back. The copy kept for the Sent mail page has the link withheld.
Functions flush; the caller commits.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.links import link_builder
from vendortrack.mail import MailError, build_message, open_transport
from vendortrack.organisation.services import current_settings
from vendortrack.questionnaires.library import QuestionSet, from_snapshot, snapshot
from vendortrack.questionnaires.links import new_token
from vendortrack.questionnaires.models import QuestionnaireRequest
from vendortrack.register.models import Vendor, VendorStatus
from vendortrack.reminders.models import MailMessage, MailStatus
from vendortrack.reminders.sweep import local_date

# The longest a link may open for: a vendor rarely needs more than a quarter, and a link that
# outlives its purpose is one more secret in someone's mailbox.
MOST_LINK_DAYS = 90
WITHHELD = "[…]"
# What sending again changes, and puts back if its mail does not go.
RESENT = (
    "contact_name",
    "contact_email",
    "language",
    "due_on",
    "message",
    "sent_at",
    "expires_at",
    "revoked_at",
    "revoked_by_id",
    "times_sent",
    "token_hash",
)
# Legal, managers and administrators send to any vendor; an owner to the vendors they own.
SENDERS = (Role.ADMIN, Role.LEGAL, Role.MANAGER, Role.OWNER)


class SendError(ValueError):
    """A questionnaire that cannot be sent as asked; the message is for the sender, `field` the
    form field it is about."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Invitation:
    """What the sender chose: to whom, in which language, by when, and for how long."""

    contact_name: str | None
    contact_email: str
    language: str
    due_on: date
    link_days: int
    message: str | None = None


def may_send(user: User, vendor: Vendor) -> bool:
    return user.role in SENDERS and (user.role != Role.OWNER or vendor.owner_id == user.id)


@dataclass(frozen=True)
class Outgoing:
    """A link recorded and not mailed yet: `deliver` mails it once the caller has committed."""

    request: QuestionnaireRequest
    token: str
    # What sending again replaced, put back if the mail does not go; None: a new questionnaire.
    replaced: dict | None = None


def send_questionnaire(
    vendor: Vendor, question_set: QuestionSet, given: Invitation, by: User, now: datetime
) -> Outgoing:
    """Record the questionnaire, with its link's hash; `deliver` then mails the link."""
    if vendor.status == VendorStatus.TERMINATED:
        raise SendError(_l("This vendor is terminated: send it no questionnaire."))
    _check_dates(given, now)
    request = QuestionnaireRequest(
        vendor=vendor,
        set_id=question_set.id,
        set_version=question_set.version,
        questions=snapshot(question_set),
        sent_by_id=by.id,
    )
    _address(request, given, now)
    token, request.token_hash = new_token()
    db.session.add(request)
    db.session.flush()
    return Outgoing(request, token)


def send_again(
    request: QuestionnaireRequest, given: Invitation, by: User, now: datetime
) -> Outgoing:
    """A new link for the same questionnaire, to the same or a corrected address: the previous
    link stops working, a revoked questionnaire opens again, the answers saved so far stay."""
    if request.submitted_at is not None:
        raise SendError(
            _l("The vendor has submitted this questionnaire. Send a new one to ask again.")
        )
    _check_dates(given, now)
    replaced = {name: getattr(request, name) for name in RESENT}
    _address(request, given, now)
    request.revoked_at = request.revoked_by_id = None
    request.times_sent += 1
    token, request.token_hash = new_token()  # the previous link stops working
    db.session.flush()
    return Outgoing(request, token, replaced)


def withdraw(outgoing: Outgoing) -> None:
    """Put back what `send_questionnaire` or `send_again` recorded, when its mail did not go."""
    if outgoing.replaced is None:
        db.session.delete(outgoing.request)
    else:
        for name, value in outgoing.replaced.items():
            setattr(outgoing.request, name, value)
    db.session.flush()


def revoke(request: QuestionnaireRequest, by: User, now: datetime) -> None:
    """Stop the link from opening the questionnaire (sent to the wrong person, no longer
    needed). Sending it again makes a new link."""
    if request.submitted_at is not None:
        raise SendError(
            _l("The vendor has submitted this questionnaire: its link shows only the receipt.")
        )
    if request.revoked_at is not None:
        raise SendError(_l("This questionnaire’s link is already revoked."))
    request.revoked_at, request.revoked_by_id = now, by.id
    db.session.flush()


def _check_dates(given: Invitation, now: datetime) -> None:
    if not 1 <= given.link_days <= MOST_LINK_DAYS:
        raise SendError(
            _l("The link may open for 1 to %(most)s days.", most=MOST_LINK_DAYS), "link_days"
        )
    today = local_date(now)
    if given.due_on <= today:
        raise SendError(_l("Give a due date after today."), "due_on")
    if given.due_on > today + timedelta(days=given.link_days):
        raise SendError(
            _l(
                "The due date falls after the link expires, in %(days)s days: give the vendor "
                "a link that opens until its due date.",
                days=given.link_days,
            ),
            "due_on",
        )


def _address(request: QuestionnaireRequest, given: Invitation, now: datetime) -> None:
    request.contact_name = given.contact_name or None
    request.contact_email = given.contact_email
    request.language = given.language
    request.due_on = given.due_on
    request.message = given.message or None
    request.sent_at = now
    request.expires_at = _end_of_day(local_date(now) + timedelta(days=given.link_days))


def _end_of_day(day: date) -> datetime:
    """The last moment of that day on the organisation's clock: a link opens all through its
    last day, whatever the hour it was sent."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.max, zone).astimezone(UTC)


def deliver(outgoing: Outgoing, by: User, now: datetime) -> None:
    """Mail the link of a questionnaire the caller has committed, and keep a copy of the mail
    without it; SendError if the mail server does not take it (the caller then withdraws)."""
    request, token = outgoing.request, outgoing.token
    settings = current_app.extensions["mail_settings"]
    subject, text, html = _compose(request, token, by)
    message_id = f"<questionnaire.{uuid.uuid4().hex}@{settings.domain}>"
    message = build_message(settings, request.contact_email, subject, text, html, message_id, now)
    if by.email:
        # Questions about the questionnaire go to the person who sent it, not a machine.
        message["Reply-To"] = by.email
    try:
        with open_transport(settings) as transport:
            transport.send(message)
    except MailError as error:
        raise SendError(
            _l(
                "The mail server did not take the message (%(error)s). Nothing was sent; "
                "try again later.",
                error=str(error),
            )
        ) from error
    db.session.add(
        MailMessage(
            to_address=request.contact_email,
            subject=subject,
            text_body=text.replace(token, WITHHELD),
            html_body=html.replace(token, WITHHELD),
            message_id=message_id,
            status=MailStatus.SENT,
            transport=settings.transport,
            created_at=now,
        )
    )
    db.session.flush()


def _compose(request: QuestionnaireRequest, token: str, by: User) -> tuple[str, str, str]:
    """The invitation's subject, text and HTML, in the language chosen for the vendor."""
    question_set = from_snapshot(request.questions)
    link = link_builder(current_app.config["BASE_URL"])
    organisation = current_settings(current_app.config["HOME_COUNTRY"]).legal_name or "VendorTrack"
    with force_locale(request.language):
        context = {
            "request": request,
            "set": question_set,
            "lang": request.language,
            "organisation": organisation,
            "vendor_name": request.vendor.name,
            "sender": by,
            "url": link("vendor_link.answer", token=token),
        }
        templates = current_app.jinja_env
        subject = templates.get_template("emails/questionnaire_subject.txt").render(context)
        return (
            " ".join(subject.split()),
            templates.get_template("emails/questionnaire.txt").render(context),
            templates.get_template("emails/questionnaire.html").render(context),
        )
