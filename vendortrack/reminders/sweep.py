"""The sweep: plan what is due, claim it, send one digest per person, record what happened.

Exactly once: planning inserts each reminder once (its key is unique); a sweep claims pending
rows with one UPDATE and commits before sending, so a second sweep at the same moment finds them
taken; a digest's rows are marked sent in the transaction that follows its delivery. A sweep
killed between a delivery and that commit sends that one digest again (with the same
Message-ID) once its claim has expired; nothing is lost.
"""

import hashlib
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from itertools import groupby
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import aliased

from vendortrack.accounts.models import Role, User
from vendortrack.assurance.models import VendorDocument
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.links import link_builder
from vendortrack.mail import MailError, MailSettings, build_message, open_transport
from vendortrack.register.models import SubProcessorChange, Vendor, VendorStatus
from vendortrack.reminders.delivery import Delivery, Outgoing, finish
from vendortrack.reminders.digest import Item, Recipient, compose
from vendortrack.reminders.models import (
    Reminder,
    ReminderStatus,
    SweepRun,
    Topic,
)
from vendortrack.reminders.planning import plan_reminders, superseded
from vendortrack.reminders.rules import Person
from vendortrack.reviews.models import ReviewCondition

# A claim older than this belongs to a sweep that died; its rows may be claimed again.
CLAIM_LEASE = timedelta(minutes=15)
# People whose digests one claim covers: small enough to send well within the lease.
RECIPIENTS_PER_BATCH = 100
# A live sweep renews what it still holds this often, so that a slow mail server never makes
# its claim look like a dead sweep's (another sweep would then send those digests again).
CLAIM_RENEWAL = CLAIM_LEASE / 3
log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    planned: int = 0
    messages: int = 0  # digests delivered
    sent: int = 0  # reminders they carried
    skipped: int = 0
    deferred: int = 0
    failed: int = 0
    # One line per digest: (address, reminders, outcome, error or None), for the command.
    log: list[tuple[str, int, str, str | None]] = field(default_factory=list)


def local_date(now: datetime) -> date:
    """The organisation's date at `now` (reminders are about days on the local calendar)."""
    return now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def send_due(now: datetime, settings: MailSettings | None = None) -> SweepResult:
    """Plan today's reminders and send every reminder due by `now`. Commits."""
    today = local_date(now)
    run = SweepRun(started_at=now, planned_for=today)
    db.session.add(run)
    db.session.commit()
    result = SweepResult()
    try:
        result.planned = plan_reminders(today, now)
        deliver_due(now, settings, result)
    except Exception as error:
        # Recorded for the Sent mail page, then raised for the log. What was sent stays sent;
        # what was claimed waits for its claim to expire, then goes with a later run.
        db.session.rollback()
        run.error = f"{type(error).__name__}: {error}"
        _record(run, result)
        raise
    _record(run, result)
    return result


def deliver_due(
    now: datetime, settings: MailSettings | None = None, result: SweepResult | None = None
) -> SweepResult:
    """Send the pending reminders whose time has come, without planning new ones. Commits."""
    settings = settings or current_app.extensions["mail_settings"]
    result = result or SweepResult()
    today, link = local_date(now), link_builder(current_app.config["BASE_URL"])
    with open_transport(settings) as transport:
        delivery = Delivery(transport, now, partial(_count, result))
        while token := _claim(now):
            claimed_at = utcnow()
            for rows in _claimed_digests(token):
                claimed_at = _keep_claim(token, claimed_at)
                if claimed_at is None:
                    break  # stalled past the lease: another sweep has taken the rest
                try:
                    outgoing = _prepare(rows, settings, today, now, link, result)
                except Exception as error:  # one person's digest must not hold back the rest
                    _give_up(rows, error, now, result)
                    continue
                if outgoing is not None:
                    delivery.send(outgoing)
    return result


def _give_up(rows, error: Exception, now: datetime, result: SweepResult) -> None:
    """Mark one person's reminders failed, with why, when their digest cannot be made."""
    db.session.rollback()
    log.exception("The reminders to user %s could not be prepared", rows[0].recipient_id)
    reason = f"{type(error).__name__}: {error}"
    finish(
        db.session.connection(), [row.id for row in rows], ReminderStatus.FAILED, now, None, reason
    )
    db.session.commit()
    result.failed += len(rows)
    result.log.append((rows[0].email, len(rows), "failed", reason))


def _claim(now: datetime) -> str | None:
    """Claim the due rows of the next batch of people; return the claim's token, None if
    nothing is left. A batch at a time, so that a claim is always fresh: a long run never
    outlives its lease and has its rows claimed by another.

    Which rows are due goes by the sweep's time, `now`; claims and their lease by the real
    clock, so that a run told another time (`send-due --now`) can neither take over the
    scheduler's claims nor leave it claims that look stale.

    Two sweeps at once (a second scheduler started by mistake) never claim the same row. The
    claim is one UPDATE ... RETURNING: SQLite runs it alone, as it runs every write. On
    PostgreSQL its rows are chosen with FOR UPDATE SKIP LOCKED, so that the second sweep passes
    over what the first is claiming instead of waiting for it and re-checking (SQLite's dialect
    leaves the clause out).
    """
    token, clock = uuid.uuid4().hex, utcnow()
    claimable = (
        Reminder.status == ReminderStatus.PENDING,
        Reminder.next_attempt_at <= now,
        or_(Reminder.claim_token.is_(None), Reminder.claimed_at < clock - CLAIM_LEASE),
    )
    people = (
        select(Reminder.recipient_id)
        .where(*claimable)
        .distinct()
        .order_by(Reminder.recipient_id)
        .limit(RECIPIENTS_PER_BATCH)
    )
    rows = (
        select(Reminder.id)
        .where(*claimable, Reminder.recipient_id.in_(people.scalar_subquery()))
        .with_for_update(skip_locked=True)
    )
    claimed = db.session.execute(
        update(Reminder)
        .where(Reminder.id.in_(rows.scalar_subquery()))
        .values(claim_token=token, claimed_at=clock)
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return token if claimed else None


def _keep_claim(token: str, since: datetime) -> datetime | None:
    """Renew the claim on what this sweep has not sent yet once it is CLAIM_RENEWAL old;
    return when it was last renewed, or None if the claim is lost.

    Sent rows let go of the claim, so a renewal that finds none of this sweep's rows while
    digests remain means this sweep stalled past the lease and another took them over: going
    on would send those digests twice.
    """
    clock = utcnow()
    if clock - since < CLAIM_RENEWAL:
        return since
    renewed = db.session.execute(
        update(Reminder)
        .where(Reminder.claim_token == token)
        .values(claimed_at=clock)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return clock if renewed else None


def _claimed_digests(token: str) -> Iterator[list]:
    """The claimed rows, one list per recipient."""
    rows = db.session.execute(_claimed_rows(token)).all()
    for _, group in groupby(rows, key=lambda row: row.recipient_id):
        yield list(group)


def _claimed_rows(token: str):
    # Plain rows, not ORM objects: the commit after each digest would expire objects and make
    # every later read one query per row.
    owner = aliased(User)
    subjects = _subject_columns()
    return (
        select(
            Reminder.id,
            Reminder.topic,
            Reminder.subject_id,
            Reminder.kind,
            Reminder.due_on,
            Reminder.reason,
            Reminder.attempts,
            Reminder.recipient_id,
            Vendor.id.label("vendor_id"),
            Vendor.name.label("vendor_name"),
            Vendor.status.label("vendor_status"),
            Vendor.owner_id,
            Vendor.review_due_on,
            Vendor.notice_deadline_on,
            *subjects,
            User.email,
            User.name.label("recipient_name"),
            User.language,
            User.role,
            User.active,
            owner.active.label("owner_active"),
            owner.email.label("owner_email"),
        )
        .join(Vendor, Reminder.vendor_id == Vendor.id)
        .join(User, Reminder.recipient_id == User.id)
        .outerjoin(owner, Vendor.owner_id == owner.id)
        .outerjoin(ReviewCondition, _subject(Topic.CONDITION, ReviewCondition))
        .outerjoin(VendorDocument, _subject(Topic.DOCUMENT, VendorDocument))
        .outerjoin(SubProcessorChange, _subject(Topic.CHANGE, SubProcessorChange))
        .where(Reminder.claim_token == token)
        .order_by(Reminder.recipient_id, Reminder.id)
    )


def _subject(topic: Topic, model):
    """A reminder's subject row of this topic. A vendor's rows are matched on the vendor too:
    SQLite may give a deleted row's id to a new row of another vendor."""
    same = and_(Reminder.topic == topic, model.id == Reminder.subject_id)
    vendor_id = getattr(model, "vendor_id", None)
    return same if vendor_id is None else and_(same, vendor_id == Reminder.vendor_id)


def _subject_columns() -> list:
    """What still_true and the digest read of each topic's subject."""
    return [
        ReviewCondition.review_id,
        ReviewCondition.text.label("condition_text"),
        ReviewCondition.due_on.label("condition_due_on"),
        ReviewCondition.met_on.label("condition_met_on"),
        VendorDocument.kind.label("document_kind"),
        VendorDocument.expires_on.label("document_expires_on"),
        superseded().label("document_superseded"),
        SubProcessorChange.name.label("change_name"),
        SubProcessorChange.decision.label("change_decision"),
        SubProcessorChange.objection_deadline.label("change_deadline"),
    ]


def still_true(row, today: date) -> bool:
    """Whether a reminder still says something true when its turn comes: the review is still
    due that day, the deadline unchanged, the condition still open, and this person still the
    one to tell (the vendor may have changed owner since)."""
    if row.vendor_status == VendorStatus.TERMINATED or not _still_theirs(row):
        return False
    if row.topic == Topic.REVIEW:
        return row.review_due_on == row.due_on
    if row.topic == Topic.NOTICE:
        return row.notice_deadline_on == row.due_on
    if row.topic == Topic.DOCUMENT:  # still there, still expiring that day, still the one held
        current = row.document_expires_on == row.due_on and not row.document_superseded
        return current and today <= row.due_on  # delayed past the day, it would say nonsense
    if row.topic == Topic.CHANGE:  # still undecided, objections still open
        return (
            row.change_deadline == row.due_on
            and row.change_decision is None
            and (today <= row.due_on)
        )
    return row.condition_met_on is None and row.condition_due_on == row.due_on


def _still_theirs(row) -> bool:
    owner = (
        None if row.owner_id is None else Person(row.owner_id, row.owner_email, row.owner_active)
    )
    if row.reason == "owner":
        return row.owner_id == row.recipient_id
    if row.reason in ("no_owner", "owner_unreachable"):
        return owner is None or not owner.reachable
    if row.reason == "legal":  # still one who decides (legal, or an administrator)
        return row.role in (Role.LEGAL, Role.ADMIN)
    return True  # an escalation holds whoever owns the vendor


def _prepare(rows, settings, today, now, link, result) -> Outgoing | None:
    """One person's digest, ready to send; the reminders no longer true are marked skipped."""
    person = Person(rows[0].recipient_id, rows[0].email, rows[0].active)
    live = [row for row in rows if person.reachable and still_true(row, today)]
    kept = {row.id for row in live}
    if len(kept) < len(rows):
        skipped = [row.id for row in rows if row.id not in kept]
        finish(db.session.connection(), skipped, ReminderStatus.SKIPPED, now)
        result.skipped += len(rows) - len(live)
        db.session.commit()  # never hold the database while talking to the mail server
    if not live:
        return None
    digest = compose(_items(live), _recipient(live[0]), today, link)
    message_id = _message_id(person.id, [row.id for row in live], settings)
    message = build_message(
        settings, person.email, digest.subject, digest.text, digest.html, message_id, now
    )
    return Outgoing(live, digest, message_id, message)


def _count(result: SweepResult, outgoing: Outgoing, error: MailError | None) -> None:
    rows = outgoing.rows
    if error is None:
        result.messages += 1
        result.sent += len(rows)
    elif error.permanent:
        result.failed += len(rows)
    else:
        result.deferred += len(rows)
    outcome = "sent" if error is None else "failed" if error.permanent else "deferred"
    result.log.append((rows[0].email, len(rows), outcome, str(error) if error else None))


def _items(rows) -> list[Item]:
    """The digest's lines: one per thing, at its latest stage (a reminder retried after a
    delay may meet the next stage's reminder about the same review)."""
    latest = {(row.topic, row.subject_id): row for row in rows}  # rows come in id order
    return [
        Item(
            topic=row.topic,
            kind=row.kind,
            due_on=row.due_on,
            vendor_id=row.vendor_id,
            vendor_name=row.vendor_name,
            reason=row.reason,
            review_id=row.review_id,
            condition_text=row.condition_text,
            document_kind=row.document_kind,
            subject_id=row.subject_id,
            change_name=row.change_name,
        )
        for row in latest.values()
    ]


def _recipient(row) -> Recipient:
    # As the review form's own rule: legal and administrators, and owners for their vendors.
    owns = row.role == Role.OWNER and row.owner_id == row.recipient_id
    may_review = row.role in (Role.ADMIN, Role.LEGAL) or owns
    return Recipient(row.recipient_id, row.recipient_name, row.email, row.language, may_review)


def _message_id(recipient_id: int, reminder_ids: list[int], settings: MailSettings) -> str:
    # Fixed by what the digest carries: sent again after a crash, it is recognisably the same.
    key = f"{recipient_id}:{','.join(map(str, sorted(reminder_ids)))}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<reminders.{digest}@{settings.domain}>"


def _record(run: SweepRun, result: SweepResult) -> None:
    run.finished_at = utcnow()
    for name in ("planned", "messages", "sent", "skipped", "deferred", "failed"):
        setattr(run, name, getattr(result, name))
    db.session.commit()


def last_run() -> SweepRun | None:
    return db.session.scalars(select(SweepRun).order_by(SweepRun.id.desc()).limit(1)).first()
