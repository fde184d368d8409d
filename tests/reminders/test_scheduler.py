"""The scheduler: the daily time in the local zone, one scheduler only, and the catch-up run."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from tests.helpers import TORONTO, at, free_port
from vendortrack.extensions import db
from vendortrack.reminders.models import SweepRun
from vendortrack.scheduler import build_scheduler, missed_today, take_lock


def next_run(app, after: datetime) -> datetime:
    trigger = build_scheduler(app, BackgroundScheduler).get_job("reminders").trigger
    return trigger.get_next_fire_time(None, after).astimezone(UTC)


def test_the_daily_run_keeps_its_local_time_across_daylight_saving_time(app):
    app.config["REMINDER_TIME"] = "08:00"
    assert next_run(app, at("2026-10-31 09:00")) == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)
    assert next_run(app, at("2026-10-30 09:00")) == datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    assert next_run(app, at("2026-03-07 09:00")) == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)


def test_the_time_and_zone_are_configurable(app):
    app.config.update(REMINDER_TIME="17:30", BABEL_DEFAULT_TIMEZONE="Europe/Paris")
    assert next_run(app, datetime(2026, 12, 1, 12, tzinfo=UTC)) == datetime(
        2026, 12, 1, 16, 30, tzinfo=UTC
    )


def test_a_run_is_missed_once_the_time_has_passed_without_one(app):
    app.config["REMINDER_TIME"] = "08:00"
    day = at("2026-12-01 08:00").astimezone(TORONTO).date()
    with app.app_context():
        assert not missed_today(at("2026-12-01 07:59"), app)
        assert missed_today(at("2026-12-01 08:00"), app)
        failed = SweepRun(started_at=at("2026-12-01 08:00"), planned_for=day, error="Boom")
        failed.finished_at = at("2026-12-01 08:01")
        db.session.add(failed)
        db.session.commit()
        assert missed_today(at("2026-12-01 09:00"), app)  # a failed run did not do the day's work
        done = SweepRun(started_at=at("2026-12-01 09:00"), planned_for=day)
        done.finished_at = at("2026-12-01 09:01")
        db.session.add(done)
        db.session.commit()
        assert not missed_today(at("2026-12-01 23:00"), app)
        assert missed_today(at("2026-12-02 09:00"), app)


def test_a_second_scheduler_on_the_same_machine_cannot_start(app):
    first = take_lock(app)
    try:
        assert first is not None
        assert take_lock(app) is None
    finally:
        first.close()
    second = take_lock(app)
    assert second is not None
    second.close()


def _environment(app, smtp_server, **extra):
    return {
        **os.environ,
        "VENDORTRACK_ENV": "development",
        "VENDORTRACK_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "VENDORTRACK_SECRET_KEY": "scheduler-test",
        "VENDORTRACK_MAIL_SERVER": "127.0.0.1",
        "VENDORTRACK_MAIL_PORT": str(smtp_server[1]),
        **extra,
    }


def _stop(process) -> str:
    os.killpg(process.pid, signal.SIGTERM)
    return process.communicate(timeout=30)[1]


@pytest.mark.slow  # `flask serve --reload`: two processes
def test_serve_with_the_reloader_runs_exactly_one_scheduler(app, smtp_server, tmp_path):
    port = free_port()
    env = _environment(app, smtp_server, VENDORTRACK_REMINDER_TIME="23:59")
    command = [sys.executable, "-m", "flask", "--app", "vendortrack", "serve", "--reload"]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        cwd=tmp_path,  # its instance folder is the package's; the lock file is per machine
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/login")
        time.sleep(1)
    finally:
        log = _stop(server)
    assert log.count("Scheduler started") == 1, log
    assert "Another scheduler" not in log


@pytest.mark.slow  # `flask scheduler` processes
def test_the_scheduler_command_catches_up_at_start(app, smtp, smtp_server, owner, due_vendor):
    today = datetime.now(TORONTO).date()
    due_vendor(owner, review=today - timedelta(days=3), name="Missed While Stopped")
    env = _environment(app, smtp_server, VENDORTRACK_REMINDER_TIME="00:00")
    command = [sys.executable, "-m", "flask", "--app", "vendortrack", "scheduler"]
    scheduler = subprocess.Popen(
        command, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while not smtp.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        second = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=60, check=False
        )
    finally:
        log = _stop(scheduler)
    assert [m["To"] for m in smtp.messages] == ["olivia@example.org"], log
    assert "running it now" in log
    assert second.returncode == 1
    assert "Another scheduler is already running on this machine." in second.stderr


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our server's http:// URL
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
