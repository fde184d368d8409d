"""Handing digests to the mail server and recording what became of each.

A courier thread hands one message at a time to the transport while the sweep writes the next
digest and records the last one, so that the sweep's work overlaps the mail server's instead of
adding to it. Each outcome is committed before the next message's content goes, so a sweep
killed at any moment leaves at most one message sent and not recorded (sent again, with the
same Message-ID, by a later run), and none lost.
"""

import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import Connection, bindparam

from vendortrack.extensions import db
from vendortrack.mail import MailError, Sealed
from vendortrack.reminders.digest import Digest
from vendortrack.reminders.models import MailMessage, MailStatus, Reminder, ReminderStatus
from vendortrack.reminders.rules import next_attempt

# While a courier runs: how soon a thread waiting on the mail server gets the interpreter back
# when the answer comes (Python's default, 5 ms, is longer than a whole delivery).
SWITCH_INTERVAL = 0.0002

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
    message: Sealed


class Courier:
    """Sends on a thread of its own and records each outcome in the caller's thread, where
    `on_outcome(outgoing, error)` is then called (error None: the server took the message).

    While the caller records one message, the thread already gives the server the next one's
    envelope; its content goes only once that record is committed.
    """

    def __init__(self, transport, now: datetime, on_outcome):
        self.transport, self.now, self.on_outcome = transport, now, on_outcome
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vendortrack-mail")
        self.in_flight: tuple[Outgoing, Future] | None = None
        self.broken: MailError | None = None  # seen by the caller: the rest wait for a retry
        self.gone: MailError | None = None  # seen by the thread: send nothing more
        self.stopping = False

    def dispatch(self, outgoing: Outgoing) -> None:
        """Send `outgoing` once the message before it is recorded."""
        if self.broken is not None:
            self._record(outgoing, self.broken)
            return
        turn = threading.Event()
        sending = self.thread.submit(self._send, outgoing.message, turn)
        try:
            self.settle()
        except BaseException:
            self.stopping = True  # the last outcome is not recorded: hold this message back
            raise
        finally:
            turn.set()
        self.in_flight = (outgoing, sending)

    def settle(self) -> None:
        """Wait for the message in flight and record how it went."""
        if self.in_flight is None:
            return
        outgoing, sending = self.in_flight
        self.in_flight = None
        error = sending.result()
        if error is not None and error.broken:
            self.broken = error
        self._record(outgoing, error)

    def _send(self, message: Sealed, turn: threading.Event) -> MailError | None:
        if self.gone is not None:  # the server went away during an earlier message
            return self.gone
        try:
            self.transport.send(message, ready=partial(self._wait_for, turn))
        except MailError as error:
            if error.broken:
                self.gone = error
            return error
        except Exception as error:  # a message the transport cannot send at all
            return MailError(f"{type(error).__name__}: {error}", permanent=True)
        return None

    def _wait_for(self, turn: threading.Event) -> None:
        turn.wait()
        if self.stopping:
            raise MailError("the sweep stopped before this message went", broken=True)

    def _record(self, outgoing: Outgoing, error: MailError | None) -> None:
        # On the session's connection: the ORM has nothing to add to these statements.
        connection = db.session.connection()
        if error is None or error.permanent:
            record_message(connection, outgoing, self.transport.name, self.now, error)
        else:
            defer(connection, outgoing.rows, error, self.now)
        db.session.commit()
        self.on_outcome(outgoing, error)

    def __enter__(self) -> "Courier":
        _quick_switching(True)
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is not None:
                self.stopping = True  # a message waiting for its turn is held back
                db.session.rollback()  # whatever failed, the record below starts clean
            self.settle()  # and the one already sent is recorded, whatever stopped the run
        finally:
            self.thread.shutdown(wait=True)
            _quick_switching(False)


_couriers = 0
_couriers_lock = threading.Lock()
_usual_interval = sys.getswitchinterval()


def _quick_switching(on: bool) -> None:
    """Shorten the interpreter's switch interval while any courier runs (several may, in one
    process: the daily run, retries, the Sent mail page's button) and restore it after the
    last one: with Python's 5 ms the sending thread waits longer for the interpreter than for
    the mail server."""
    global _couriers
    with _couriers_lock:
        _couriers += 1 if on else -1
        sys.setswitchinterval(SWITCH_INTERVAL if _couriers else _usual_interval)


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
