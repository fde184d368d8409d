"""Mail about a questionnaire once it is sent: reminders to the vendor's contact before and after
its due date, in the language the vendor reads; and word to the vendor's owner (the managers if
it has none) when the vendor submits it, or when it is late.

As the review reminders: each mail owed is a row (QuestionnaireNotice) whose key makes it go
once, however often it is planned; a delivery claims the rows due with one UPDATE and commits
before sending, and marks each sent in the transaction after its mail went. Unlike a digest,
each notice is a message of its own: the contact is no user, and hears of one questionnaire.

A reminder cannot carry the link: only its hash is kept. It names the mail that did, and whom
to ask for a new one (the sender, reached by replying).
"""

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from vendortrack.accounts.models import User
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.links import link_builder
from vendortrack.mail import MailError, MailSettings, build_message, open_transport
from vendortrack.organisation.services import current_settings
from vendortrack.questionnaires.library import from_snapshot
from vendortrack.questionnaires.models import (
    NoticeStatus,
    QuestionnaireNotice,
    QuestionnaireRequest,
)
from vendortrack.register.models import Vendor, VendorStatus
from vendortrack.reminders.delivery import send_message
from vendortrack.reminders.models import MailMessage, MailStatus
from vendortrack.reminders.planning import managers_to_tell
from vendortrack.reminders.rules import Person, next_attempt, recipients
from vendortrack.reminders.sweep import local_date

# The contact is reminded this many days before the due date, if it was given at least
# SOON_AFTER_SENDING days to answer (a questionnaire sent three days before its due date needs
# no reminder the next day); and once the due date has passed.
DUE_SOON_DAYS = 3
SOON_AFTER_SENDING = 7
# Overdue questionnaires older than this are left to the sender: no planning over all history.
LOOK_BACK_DAYS = 30
CLAIM_LEASE = timedelta(minutes=15)
SUBJECT_LIMIT = MailMessage.__table__.c.subject.type.length
CONTACT = "contact"
UNIQUE_KEY = ("request_id", "kind", "due_on", "recipient")
log = logging.getLogger(__name__)


@dataclass
class Delivered:
    """What a run did, for the log."""

    planned: int = 0
    sent: int = 0
    skipped: int = 0
    deferred: int = 0
    failed: int = 0


def contact_stage(due_on: date, sent_on: date, today: date) -> str | None:
    """The reminder the contact is owed today: due_soon, overdue, or none."""
    days_left = (due_on - today).days
    if days_left < 0:
        return "overdue"
    if days_left <= DUE_SOON_DAYS and (due_on - sent_on).days >= SOON_AFTER_SENDING:
        return "due_soon"
    return None


# --- planning --------------------------------------------------------------------------------


def send_notices(now: datetime, settings: MailSettings | None = None) -> Delivered:
    """The daily run: plan the notices owed today, then send every one due. Commits."""
    planned = plan_notices(local_date(now), now)
    db.session.commit()
    result = deliver_notices(now, settings)
    result.planned = planned
    return result


def plan_notices(today: date, now: datetime) -> int:
    """Add the notices owed today; return how many were new. Flushes; the caller commits."""
    rows = [*_contact_rows(today, now), *_late_rows(today, now)]
    return insert_new(rows)


def _open_requests(today: date):
    """The questionnaires still awaited, of vendors not terminated, whose due date is near or
    recently past."""
    return (
        select(QuestionnaireRequest)
        .join(Vendor, QuestionnaireRequest.vendor_id == Vendor.id)
        .where(
            Vendor.status != VendorStatus.TERMINATED,
            QuestionnaireRequest.submitted_at.is_(None),
            QuestionnaireRequest.revoked_at.is_(None),
            QuestionnaireRequest.due_on <= today + timedelta(days=DUE_SOON_DAYS),
            QuestionnaireRequest.due_on >= today - timedelta(days=LOOK_BACK_DAYS),
        )
        .order_by(QuestionnaireRequest.id)
    )


def _contact_rows(today: date, now: datetime) -> Iterator[dict]:
    for request in db.session.scalars(_open_requests(today)):
        kind = contact_stage(request.due_on, local_date(request.sent_at), today)
        # Once the link has expired, only the "overdue" reminder still helps: it asks the
        # contact to reply for a new link.
        if kind == "overdue" or (kind == "due_soon" and request.expires_at > now):
            yield _row(request, kind, CONTACT, now)


def _late_rows(today: date, now: datetime) -> Iterator[dict]:
    query = _open_requests(today).where(QuestionnaireRequest.due_on < today)
    query = query.options(joinedload(QuestionnaireRequest.vendor).joinedload(Vendor.owner))
    managers = managers_to_tell()
    for request in db.session.scalars(query):
        for user_id, _reason in _people(request, managers):
            yield _row(request, "late", str(user_id), now)


def note_submitted(request: QuestionnaireRequest, now: datetime) -> None:
    """Owe the owner (or the managers) word of a submission: planned with it, so it goes once
    and soon (the next delivery, within minutes). Flushes; the caller commits."""
    insert_new([_row(request, "submitted", str(user_id), now) for user_id, _ in _people(request)])


def _people(
    request: QuestionnaireRequest, managers: list[Person] | None = None
) -> list[tuple[int, str]]:
    """(user id, why) of those to tell: the vendor's owner if reachable, else the managers."""
    managers = managers_to_tell() if managers is None else managers
    owner = request.vendor.owner
    person = None if owner is None else Person(owner.id, owner.email, owner.active)
    return recipients(person, managers)


def _row(request: QuestionnaireRequest, kind: str, recipient: str, now: datetime) -> dict:
    return {
        "request_id": request.id,
        "kind": kind,
        "due_on": request.due_on,
        "recipient": recipient,
        "status": NoticeStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def insert_new(rows: list[dict]) -> int:
    """Insert the rows whose key is not there yet; return how many were inserted."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(QuestionnaireNotice).on_conflict_do_nothing(index_elements=UNIQUE_KEY)
    return len(db.session.execute(statement.returning(QuestionnaireNotice.id), rows).all())


# --- delivery --------------------------------------------------------------------------------


def deliver_notices(now: datetime, settings: MailSettings | None = None) -> Delivered:
    """Send the notices whose time has come, one message each. Commits."""
    settings = settings or current_app.extensions["mail_settings"]
    result = Delivered()
    token = _claim(now)
    ids = db.session.scalars(
        select(QuestionnaireNotice.id)
        .where(QuestionnaireNotice.claim_token == token)
        .order_by(QuestionnaireNotice.id)
    ).all()
    broken: MailError | None = None
    with open_transport(settings) as transport:
        for notice_id in ids:
            notice = db.session.get(QuestionnaireNotice, notice_id)
            if not _still_claimed(notice, token):
                continue  # this run stalled past the lease, and another took the notice over
            if broken is not None:  # the rest would fail the same way: they wait for a retry
                _defer(notice, broken, now, result)
                continue
            try:
                error = _deliver_one(notice, transport, settings, now, result)
            except Exception as error:  # one notice that cannot go must not hold the rest
                _give_up(notice_id, error, now, result)
                continue
            if error is not None and error.broken:
                broken = error
    return result


def _claim(now: datetime) -> str:
    """Claim every notice due, with one UPDATE committed before anything is sent: a second
    delivery at the same moment finds them taken. A claim older than the lease belongs to a
    delivery that died, and may be taken again."""
    token, clock = uuid.uuid4().hex, utcnow()
    notices = QuestionnaireNotice
    db.session.execute(
        update(notices)
        .where(
            notices.status == NoticeStatus.PENDING,
            notices.next_attempt_at <= now,
            or_(notices.claim_token.is_(None), notices.claimed_at < clock - CLAIM_LEASE),
        )
        .values(claim_token=token, claimed_at=clock)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return token


def _still_claimed(notice: QuestionnaireNotice, token: str) -> bool:
    """Renew this run's claim on the notice just before sending it; False if the claim is
    lost (a slow mail server held this run past the lease, and another run took it over)."""
    renewed = db.session.execute(
        update(QuestionnaireNotice)
        .where(QuestionnaireNotice.id == notice.id, QuestionnaireNotice.claim_token == token)
        .values(claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return renewed == 1


def _deliver_one(notice, transport, settings, now: datetime, result: Delivered):
    """Send one notice, or skip it; the MailError if the server did not take it."""
    request = db.session.get(QuestionnaireRequest, notice.request_id)
    user = None if notice.recipient == CONTACT else db.session.get(User, int(notice.recipient))
    if not _still_true(notice, request, now):
        _finish(notice, NoticeStatus.SKIPPED, now)
        result.skipped += 1
        return None
    if notice.recipient != CONTACT and not _still_theirs(request, user):
        insert_new([_row(request, notice.kind, str(u), now) for u, _ in _people(request)])
        _finish(notice, NoticeStatus.SKIPPED, now)  # the right people have it instead
        result.skipped += 1
        return None
    mail = compose(notice, request, user, now)
    message_id = f"<questionnaire-notice.{notice.id}@{settings.domain}>"
    message = build_message(settings, mail.to, mail.subject, mail.text, mail.html, message_id, now)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    db.session.commit()  # never hold the database while the mail server answers
    error = send_message(transport, message)
    if error is not None and not error.permanent:
        _defer(notice, error, now, result)
        return error
    notice.message_id = _record(mail, user, message_id, transport.name, now, error)
    _finish(notice, NoticeStatus.FAILED if error else NoticeStatus.SENT, now, error)
    if error:
        result.failed += 1
    else:
        result.sent += 1
    return error


def _still_true(notice, request, now: datetime) -> bool:
    """Whether what the notice says is still true when its turn comes."""
    if request is None or request.vendor.status == VendorStatus.TERMINATED:
        return False
    if notice.kind == "submitted":
        return request.submitted_at is not None
    awaited = request.submitted_at is None and request.revoked_at is None
    if not awaited or request.due_on != notice.due_on:
        return False
    if notice.recipient == CONTACT:
        # A "due soon" delayed by a busy server past the due date would now be wrong.
        sent_on = local_date(request.sent_at)
        return contact_stage(request.due_on, sent_on, local_date(now)) == notice.kind
    return True


def _still_theirs(request: QuestionnaireRequest, user: User | None) -> bool:
    """Whether this user is still one to tell: the owner while reachable, else a manager (the
    vendor may have changed owner, or the owner left, since the notice was planned)."""
    return user is not None and user.id in {u for u, _ in _people(request)}


def _defer(notice, error: MailError, now: datetime, result: Delivered) -> None:
    notice.attempts += 1
    notice.last_error = str(error)
    notice.next_attempt_at = next_attempt(now, notice.attempts)
    notice.claim_token = None
    db.session.commit()
    result.deferred += 1


def _give_up(notice_id: int, error: Exception, now: datetime, result: Delivered) -> None:
    db.session.rollback()
    log.exception("Questionnaire notice %s could not be sent", notice_id)
    _finish(db.session.get(QuestionnaireNotice, notice_id), NoticeStatus.FAILED, now, error)
    result.failed += 1


def _finish(notice, status: NoticeStatus, now: datetime, error=None) -> None:
    notice.status, notice.done_at, notice.claim_token = status, now, None
    if status != NoticeStatus.SKIPPED:
        notice.attempts += 1
    notice.last_error = None if error is None else f"{type(error).__name__}: {error}"
    db.session.commit()


def _record(mail, user, message_id: str, transport: str, now: datetime, error=None) -> int:
    """Keep the message, sent or refused for good, for the Sent mail page."""
    message = MailMessage(
        recipient_id=user.id if user else None,
        to_address=mail.to,
        subject=mail.subject,
        text_body=mail.text,
        html_body=mail.html,
        message_id=message_id,
        status=MailStatus.FAILED if error else MailStatus.SENT,
        error=str(error) if error else None,
        transport=transport,
        created_at=now,
    )
    db.session.add(message)
    db.session.flush()
    return message.id


# --- the messages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str
    reply_to: str | None = None


def compose(notice, request: QuestionnaireRequest, user: User | None, now: datetime) -> Mail:
    """The notice's message, in its reader's language: the vendor's for the contact, the
    user's own for our people."""
    settings = current_settings(current_app.config["HOME_COUNTRY"])
    reply_to = _reply_to(request, settings) if user is None else None
    context = {
        "notice": notice,
        "request": request,
        "set": from_snapshot(request.questions),
        "vendor_name": request.vendor.name,
        "organisation": settings.legal_name or "VendorTrack",
        "recipient": user,
        "reply_to": reply_to,
        "link_expired": request.expires_at <= now,
        "url": link_builder(current_app.config["BASE_URL"])(
            "questionnaires.request_detail", request_id=request.id
        ),
    }
    name = "questionnaire_reminder" if user is None else "questionnaire_notice"
    language = request.language if user is None else user.language
    with force_locale(language if language in current_app.config["LANGUAGES"] else "en"):
        context["lang"] = str(language)
        templates = current_app.jinja_env
        subject = templates.get_template(f"emails/{name}_subject.txt").render(context)
        text = templates.get_template(f"emails/{name}.txt").render(context)
        html = templates.get_template(f"emails/{name}.html").render(context)
    # Long names could make a subject longer than the Sent mail page keeps.
    subject = " ".join(subject.split())[:SUBJECT_LIMIT]
    to = request.contact_email if user is None else user.email
    return Mail(to, subject, text, html, reply_to)


def _reply_to(request: QuestionnaireRequest, settings) -> str | None:
    """Whom a contact's reply reaches, to ask for a new link: the person who sent the
    questionnaire, else the vendor's owner, else the privacy officer."""
    for person in (request.sent_by, request.vendor.owner):
        if person is not None and person.active and person.email:
            return person.email
    return settings.privacy_officer_email or None
