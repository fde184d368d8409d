"""The reminder sweep killed in the middle of sending (SIGKILL: no handler, no clean-up).

The guarantee: a sweep that dies leaves at most one digest delivered and not recorded, the one
whose content the mail server had taken. Once the dead sweep's claim has expired (CLAIM_LEASE,
on the real clock), the next sweep sends that digest again, with the same Message-ID, and every
other reminder the dead one had not sent, once each. Nothing is lost. Each test runs real
`reminders send-due` processes against a real SMTP server on loopback.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from tests.fixtures.smtp import Mailbox, start_smtp_server
from tests.helpers import app_context, count, hold_write_lock
from vendortrack.accounts.models import Role
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.reminders.models import MailMessage, Reminder, ReminderStatus
from vendortrack.reminders.sweep import CLAIM_LEASE

pytestmark = pytest.mark.slow  # each test runs, and kills, `flask reminders send-due` processes
PEOPLE = 60
NOW = "2026-12-01T08:00"
# Generous: two cores shared with other work can make a process start slowly.
PATIENCE = 180


class KillingMailbox(Mailbox):
    """The tests' mail server, which can kill the sweep sending to it at the worst moment: once
    it has taken the content of message number `kill_at`, before answering, so that message is
    delivered and the sweep never learns it.

    Meanwhile the message before it is kept unrecorded as long as the sweep allows: the server
    holds the database's write lock (hold_write_lock) when it takes that message, for HOLD
    seconds. A sweep that let the next message go before recording the last one would die with
    two delivered and unrecorded.

    Or, with `kill_before`, when the sweep starts that message (its MAIL FROM), before any of its
    content has gone.
    """

    # Well within the 5 s the sweep's SQLite connection waits for a lock (on PostgreSQL it
    # waits as long as it takes).
    HOLD = 1.0

    def __init__(self, database_url):
        super().__init__()
        self.database_url = database_url
        self.sweep: subprocess.Popen | None = None
        self.kill_at = 0
        self.kill_before = 0
        self.lock = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.sweep is not None and len(self.messages) == self.kill_before - 1:
            self.sweep.kill()
        return await super().handle_MAIL(server, session, envelope, address, mail_options)

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if self.sweep is not None and len(self.messages) == self.kill_at - 1:
            self.lock = hold_write_lock(self.database_url)
            asyncio.get_running_loop().call_later(self.HOLD, self.unlock)
        if self.sweep is not None and len(self.messages) == self.kill_at:
            # SIGKILL: the sweep, waiting for this answer, runs no further instruction.
            self.sweep.kill()
            self.unlock()
        return answer

    def unlock(self) -> None:
        if self.lock is not None:
            self.lock.close()  # rolls back: the lock held nothing
            self.lock = None


@pytest.fixture
def mailbox(database_url):
    """A mail server of this test's own, that the sweep processes send to."""
    box = KillingMailbox(database_url)
    controller = start_smtp_server(box)
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def people(app, create_user, create_vendor):
    """PEOPLE owners, each owed a digest of two reminders on 1 December 2026."""
    with app_context(app):  # closed on return: the sweep processes own the database then
        owners = [create_user(Role.OWNER, email=f"owner{n}@example.org") for n in range(PEOPLE)]
        for person in owners:
            vendor = create_vendor(owner_id=person.id)
            vendor.review_due_on = date(2026, 12, 1)
            vendor.notice_deadline_on = date(2026, 12, 20)
        db.session.commit()
        return sorted(person.email for person in owners)


def sweep_command(app, mailbox) -> tuple[list[str], dict]:
    env = {
        **os.environ,
        "VENDORTRACK_ENV": "development",
        "VENDORTRACK_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "VENDORTRACK_SECRET_KEY": "killed-sweep",
        "VENDORTRACK_BASE_URL": "http://vendortrack.test",
        "VENDORTRACK_MAIL_SERVER": "127.0.0.1",
        "VENDORTRACK_MAIL_PORT": str(mailbox.port),
    }
    command = [sys.executable, "-m", "flask", "--app", "vendortrack", "reminders", "send-due"]
    return [*command, "--now", NOW], env


def start_sweep(app, mailbox) -> subprocess.Popen:
    command, env = sweep_command(app, mailbox)
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def run_sweep(app, mailbox) -> str:
    command, env = sweep_command(app, mailbox)
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=PATIENCE, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def finish_killed(sweep: subprocess.Popen) -> None:
    try:
        output, _ = sweep.communicate(timeout=PATIENCE)
    finally:
        if sweep.poll() is None:  # never reached the kill: stop it, then fail below
            sweep.kill()
            output, _ = sweep.communicate()
    assert sweep.returncode == -signal.SIGKILL, output


def expire_claims() -> None:
    """Move the dead sweep's claims back past the lease, as if CLAIM_LEASE had gone by (the
    lease runs on the real clock, which --now does not move)."""
    stale = utcnow() - CLAIM_LEASE - timedelta(minutes=1)
    db.session.execute(
        update(Reminder).where(Reminder.claim_token.is_not(None)).values(claimed_at=stale)
    )
    db.session.commit()


def assert_all_delivered_at_most_one_twice(mailbox, addresses) -> list[str]:
    """Every digest reached the server; return the addresses that received theirs twice."""
    received = Counter(message["To"] for message in mailbox.messages)
    assert sorted(received) == addresses  # nobody lost, nobody unknown
    twice = [address for address, times in received.items() if times > 1]
    assert len(twice) <= 1, received.most_common(3)
    assert max(received.values()) <= 2, received.most_common(3)
    for address in twice:  # the same digest again, recognisable as such
        first, again = mailbox.to(address)
        assert first["Message-ID"] == again["Message-ID"]
    # Recorded once each: one Sent mail entry per person, every reminder sent.
    assert count(MailMessage) == len(addresses)
    statuses = db.session.scalars(select(Reminder.status)).all()
    assert statuses == [ReminderStatus.SENT] * 2 * len(addresses)
    return twice


def test_a_sweep_killed_after_the_server_took_a_message_sends_that_one_again_only(
    app, people, mailbox
):
    kill_at = 25
    mailbox.kill_at = kill_at
    mailbox.sweep = start_sweep(app, mailbox)
    finish_killed(mailbox.sweep)
    mailbox.sweep = None
    assert len(mailbox.messages) == kill_at
    in_flight = mailbox.messages[-1]["To"]

    # While the dead sweep's claim is fresh, another sweep leaves its people alone.
    assert "Sent 0 messages" in run_sweep(app, mailbox)
    assert len(mailbox.messages) == kill_at

    with app.app_context():
        expire_claims()
    run_sweep(app, mailbox)
    with app.app_context():
        assert assert_all_delivered_at_most_one_twice(mailbox, people) == [in_flight]
    assert len(mailbox.messages) == PEOPLE + 1


def test_a_sweep_killed_before_a_message_went_sends_it_once_later(app, people, mailbox):
    mailbox.kill_before = 25
    mailbox.sweep = start_sweep(app, mailbox)
    finish_killed(mailbox.sweep)
    mailbox.sweep = None
    assert len(mailbox.messages) == 24  # the 25th never went

    with app.app_context():
        expire_claims()
    run_sweep(app, mailbox)
    # Every message before it was recorded before the next one started: none goes twice.
    with app.app_context():
        assert assert_all_delivered_at_most_one_twice(mailbox, people) == []
    assert len(mailbox.messages) == PEOPLE


def test_a_sweep_killed_at_any_moment_repeats_at_most_one_digest(app, people, mailbox):
    # A slow server: the kill lands wherever the sweep happens to be, between two messages,
    # while one is recorded, or while the next one's envelope goes.
    mailbox.delay = 0.05
    sweep = start_sweep(app, mailbox)
    deadline = time.monotonic() + PATIENCE
    while len(mailbox.messages) < 10 and sweep.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    sweep.kill()
    finish_killed(sweep)
    assert 10 <= len(mailbox.messages) < PEOPLE  # killed in the middle

    mailbox.delay = 0.0
    with app.app_context():
        expire_claims()
    run_sweep(app, mailbox)
    with app.app_context():
        assert_all_delivered_at_most_one_twice(mailbox, people)
