"""`reminders send-due` from the command line, and two sweeps in two processes at once."""

import os
import subprocess
import sys
from datetime import date

import pytest

from tests.helpers import count
from vendortrack.accounts.models import Role
from vendortrack.reminders.models import MailMessage, Reminder


def test_send_due_prints_what_it_sent(runner, smtp, owner, due_vendor):
    due_vendor(owner, review=date(2026, 12, 1))
    result = runner.invoke(args=["reminders", "send-due", "--now", "2026-12-01T08:00"])
    assert result.exit_code == 0, result.output
    assert "sent     olivia@example.org (1 reminder)" in result.output
    assert "Sent 1 messages carrying 1 reminders; skipped 0; deferred 0; failed 0." in (
        result.output
    )
    again = runner.invoke(args=["reminders", "send-due", "--now", "2026-12-01T08:00"])
    assert "0 new reminders planned. Sent 0 messages" in again.output


def test_a_time_without_offset_is_local_time(runner, smtp, owner, due_vendor):
    due_vendor(owner, review=date(2026, 12, 1))
    # 23:30 on 30 November in Toronto is already 1 December in UTC: not yet the due day.
    runner.invoke(args=["reminders", "send-due", "--now", "2026-11-30T23:30"])
    assert "in 1 day" in smtp.messages[0].get_body(("plain",)).get_content()


def test_send_due_says_when_mail_was_deferred(app, runner, smtp, owner, due_vendor):
    due_vendor(owner, review=date(2026, 12, 1))
    smtp.busy = True
    result = runner.invoke(args=["reminders", "send-due", "--now", "2026-12-01T08:00+00:00"])
    assert result.exit_code == 1
    assert "deferred olivia@example.org (1 reminder): 451 4.3.0 Busy" in result.output


def test_a_malformed_time_is_refused_with_an_example(app, runner):
    result = runner.invoke(args=["reminders", "send-due", "--now", "tomorrow morning"])
    assert result.exit_code == 2
    assert "'tomorrow morning' is not a date and time: write it as 2026-12-01T08:00" in (
        result.output
    )
    with app.app_context():
        assert count(Reminder) == 0


@pytest.mark.slow  # two `flask reminders send-due` processes
def test_two_processes_sweeping_at_once_send_each_reminder_once(
    app, smtp, smtp_server, create_user, due_vendor
):
    # More people than one claim takes (100), so that the two sweeps' batches can interleave.
    owners = [create_user(Role.OWNER, email=f"owner{n}@example.org") for n in range(150)]
    for n, person in enumerate(owners):
        due_vendor(person, review=date(2026, 12, 1 + n % 5))
        due_vendor(person, notice=date(2026, 12, 20))
    emails = sorted(person.email for person in owners)
    # A slow server keeps the first sweep sending while the second one plans and claims.
    smtp.delay = 0.005
    env = {
        **os.environ,
        "VENDORTRACK_ENV": "development",
        "VENDORTRACK_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "VENDORTRACK_SECRET_KEY": "two-processes",
        "VENDORTRACK_BASE_URL": "http://vendortrack.test",
        "VENDORTRACK_MAIL_SERVER": "127.0.0.1",
        "VENDORTRACK_MAIL_PORT": str(smtp_server[1]),
    }
    command = [sys.executable, "-m", "flask", "--app", "vendortrack", "reminders", "send-due"]
    command += ["--now", "2026-12-01T08:00"]
    sweeps = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in "ab"]
    outputs = [sweep.communicate(timeout=120)[0] for sweep in sweeps]

    assert [sweep.returncode for sweep in sweeps] == [0, 0], outputs
    addresses = sorted(message["To"] for message in smtp.messages)
    assert addresses == emails  # one digest each, once
    with app.app_context():
        assert count(MailMessage) == 150
        assert count(Reminder) == 300
