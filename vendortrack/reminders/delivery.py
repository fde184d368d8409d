"""Handing digests to the mail server one at a time, and recording what became of each.

Each outcome is committed before the next message goes, so a sweep killed at any moment leaves
at most one message sent and not recorded (sent again, with the same Message-ID, by a later
run once the claim has expired), and none lost. Once the connection is broken, the rest of the
run is deferred without trying: they would fail the same way.
"""

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy import Connection, bindparam

from vendortrack.extensions import db
from vendortrack.mail import MailError
from vendortrack.reminders.digest import Digest
from vendortrack.reminders.models import MailMessage, MailStatus, Reminder, ReminderStatus
from vendortrack.reminders.rules import next_attempt

# Built once: thousands of digests then cost their parameters only, not the building and
# compiling of statements (Core on the tables: no ORM objects to flush or expire).
REMINDERS = Reminder.__table__
INSERT_MESSAGE = MailMessage.__table__.insert().returning(MailMessage.__table__.c.id)
FINISH = (
    REMINDERS.update()
    .where(REMINDERS.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        status=bindparam("status"),
        message_id=bindparam("mail_id"),
        done_at=bindparam("now"),
        claim_token=None,
        attempts=REMINDERS.c.attempts + bindparam("tried"),
        last_error=bindparam("error"),
    )
)
DEFER = (
    REMINDERS.update()
    .where(REMINDERS.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        attempts=REMINDERS.c.attempts + 1,
        last_error=bindparam("error"),
        next_attempt_at=bindparam("retry_at"),
        claim_token=None,
    )
)


@dataclass(frozen=True)
class Outgoing:
    """One person's digest, ready to go: the reminder rows it carries and the message."""

    rows: list
    digest: Digest
    message_id: str
    message: EmailMessage


class Delivery:
    """Sends one run's digests over one transport; `on_outcome(outgoing, error)` is called once
    each outcome is committed (error None: the server took the message)."""

    def __init__(self, transport, now: datetime, on_outcome):
        self.transport, self.now, self.on_outcome = transport, now, on_outcome
        self.broken: MailError | None = None

    def send(self, outgoing: Outgoing) -> None:
        """Send `outgoing` and commit what became of it before returning."""
        error = self.broken or send_message(self.transport, outgoing.message)
        if error is not None and error.broken:
            self.broken = error
        # On the session's connection: the ORM has nothing to add to these statements.
        connection = db.session.connection()
        if error is None or error.permanent:
            record_message(connection, outgoing, self.transport.name, self.now, error)
        else:
            defer(connection, outgoing.rows, error, self.now)
        db.session.commit()
        self.on_outcome(outgoing, error)


def send_message(transport, message: EmailMessage) -> MailError | None:
    """Hand one message to the transport: None if it took it, else the MailError (a message the
    transport cannot send at all counts as refused for good)."""
    try:
        transport.send(message)
    except MailError as error:
        return error
    except Exception as error:  # a message the transport cannot send at all
        return MailError(f"{type(error).__name__}: {error}", permanent=True)
    return None


def record_message(connection: Connection, outgoing: Outgoing, transport, now, error=None):
    """Keep the message for the Sent mail page and mark its reminders sent (or failed)."""
    rows, digest = outgoing.rows, outgoing.digest
    mail_id = connection.execute(
        INSERT_MESSAGE,
        {
            "recipient_id": rows[0].recipient_id,
            "to_address": rows[0].email,
            "subject": digest.subject,
            "text_body": digest.text,
            "html_body": digest.html,
            "message_id": outgoing.message_id,
            "status": MailStatus.FAILED if error else MailStatus.SENT,
            "error": str(error) if error else None,
            "transport": transport,
            "created_at": now,
        },
    ).scalar_one()
    status = ReminderStatus.FAILED if error else ReminderStatus.SENT
    finish(connection, [row.id for row in rows], status, now, mail_id, error)


def finish(connection: Connection, ids, status, now, mail_id=None, error=None) -> None:
    """Close these reminders: sent, failed, or skipped (not counted as an attempt)."""
    if ids:
        connection.execute(
            FINISH,
            {
                "ids": ids,
                "status": status,
                "mail_id": mail_id,
                "now": now,
                "tried": 0 if status == ReminderStatus.SKIPPED else 1,
                "error": str(error) if error else None,
            },
        )


def defer(connection: Connection, rows, error: MailError, now: datetime) -> None:
    """Leave these reminders pending, to be tried again after a back-off."""
    attempts = max(row.attempts for row in rows) + 1
    connection.execute(
        DEFER,
        {
            "ids": [row.id for row in rows],
            "error": str(error),
            "retry_at": next_attempt(now, attempts),
        },
    )
