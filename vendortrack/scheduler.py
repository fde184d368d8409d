"""The scheduler: the daily reminder run at the configured local time, and retries of the mail
the server did not take.

One per installation: `flask --app vendortrack scheduler` beside the web workers in production,
or inside `flask --app vendortrack serve`, which `make run` starts. A lock file keeps a second one
from starting on the same machine (the reloader's watcher process, a second `make run`); the
outbox's claims keep even two on different machines from sending anything twice.
"""

import fcntl
import hashlib
import logging
import os
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.serving import run_simple

from vendortrack.compliance.stored import bring_up_to_date
from vendortrack.config import reminder_time
from vendortrack.dashboard.figures import take_snapshot
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.questionnaires.notices import deliver_notices, send_notices
from vendortrack.reminders.models import SweepRun
from vendortrack.reminders.sweep import deliver_due, send_due

RETRY_EVERY = timedelta(minutes=5)
log = logging.getLogger("vendortrack.scheduler")


def build_scheduler(app: Flask, kind: type[BaseScheduler]) -> BaseScheduler:
    zone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    at = reminder_time(app.config)
    scheduler = kind(timezone=zone)
    # coalesce: a run missed while the machine slept happens once, not once per missed day.
    scheduler.add_job(
        daily_run,
        CronTrigger(hour=at.hour, minute=at.minute, timezone=zone),
        args=[app],
        id="reminders",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=6 * 3600,
    )
    scheduler.add_job(
        retry_run, IntervalTrigger(seconds=RETRY_EVERY.total_seconds()), args=[app], id="retries"
    )
    scheduler.add_job(catch_up, args=[app], id="catch-up")  # once, at start
    return scheduler


def daily_run(app: Flask) -> None:
    with app.app_context():
        _questionnaire_notices(app, send_notices)
        try:
            result = send_due(utcnow())
        except Exception:
            db.session.rollback()
            log.exception("The reminder run failed; the next run will pick up where it stopped")
            return
        _judge_compliance(app)
        _snapshot(app)
        log.info(
            "Reminders: %d planned, %d messages sent carrying %d, %d skipped, %d deferred, "
            "%d failed",
            result.planned,
            result.messages,
            result.sent,
            result.skipped,
            result.deferred,
            result.failed,
        )


def _questionnaire_notices(app: Flask, run) -> None:
    # Before the reminders and apart from them: a failure of one must not stop the other.
    try:
        result = run(utcnow())
    except Exception:
        db.session.rollback()
        log.exception("The questionnaire notices could not be sent; the next run will retry")
        return
    if result.planned or result.sent or result.deferred or result.failed:
        log.info(
            "Questionnaire notices: %d planned, %d sent, %d skipped, %d deferred, %d failed",
            result.planned,
            result.sent,
            result.skipped,
            result.deferred,
            result.failed,
        )


def _judge_compliance(app: Flask) -> None:
    # The stored statuses whose day has passed are judged again now, rather than by the first
    # page someone opens.
    try:
        count = bring_up_to_date(_today(app))
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("The stored compliance statuses could not be brought up to date")
        return
    log.info("Compliance: %d vendors judged again", count)


def _today(app: Flask):
    return datetime.now(ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def _snapshot(app: Flask) -> None:
    # The dashboard's line of compliant vendors needs a point every day, visited or not.
    try:
        take_snapshot(_today(app))
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("Today's compliance snapshot could not be taken")


def retry_run(app: Flask) -> None:
    with app.app_context():
        # Every few minutes: word of a submission goes soon after it, not the next morning.
        _questionnaire_notices(app, deliver_notices)
        try:
            result = deliver_due(utcnow())
        except Exception:
            db.session.rollback()
            log.exception("Retrying deferred reminders failed")
            return
        if result.messages or result.deferred or result.failed:
            log.info(
                "Retried reminders: %d messages sent, %d deferred", result.messages, result.deferred
            )


def catch_up(app: Flask) -> None:
    """At start: if today's run time has passed and no run happened today, run now."""
    with app.app_context():
        if missed_today(utcnow(), app):
            log.info("Today's reminder run has not happened yet: running it now")
            daily_run(app)


def missed_today(now: datetime, app: Flask) -> bool:
    zone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    local = now.astimezone(zone)
    if local.time() < reminder_time(app.config):
        return False
    done = (
        select(SweepRun.id)
        .where(
            SweepRun.planned_for == local.date(),
            SweepRun.finished_at.is_not(None),
            SweepRun.error.is_(None),  # a run that failed has not done today's work
        )
        .limit(1)
    )
    return db.session.scalar(done) is None


def next_daily_run(now: datetime, app: Flask) -> datetime:
    """The next time the scheduler's daily run is due, in the organisation's time zone."""
    zone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    at = reminder_time(app.config)
    local = now.astimezone(zone)
    today = datetime.combine(local.date(), at, tzinfo=zone)
    # Combined again rather than adding 24 hours, so the run stays at 08:00 across a DST change.
    return today if today > local else datetime.combine(local.date() + timedelta(1), at, zone)


def take_lock(app: Flask):
    """An exclusive lock file, held while the process lives; None if another scheduler of the
    same database on this machine holds it."""
    # One lock per database (the point is one scheduler per installation), in the machine's
    # temporary folder, which every process of this machine sees.
    database = hashlib.sha256(app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:12]
    default = Path(tempfile.gettempdir()) / f"vendortrack-scheduler-{database}.lock"
    path = Path(app.config.get("SCHEDULER_LOCK") or default)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")  # not "w": that would empty the holder's pid before locking
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    handle.truncate(0)
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def _announce(app: Flask) -> None:
    at = reminder_time(app.config).strftime("%H:%M")
    zone = app.config["BABEL_DEFAULT_TIMEZONE"]
    log.info("Scheduler started: reminders daily at %s %s", at, zone)


def _show_logs() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # APScheduler announces every job it runs; our own lines say what each run did.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the scheduler on its own (production: one beside the web workers)."""
    _show_logs()
    app = current_app._get_current_object()
    lock = take_lock(app)
    if lock is None:
        raise click.ClickException("Another scheduler is already running on this machine.")
    scheduler = build_scheduler(app, BlockingScheduler)
    _announce(app)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        lock.close()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--reload", is_flag=True, help="Restart when the code changes (development).")
@with_appcontext
def serve_command(host, port, reload):
    """Run the development web server with the scheduler beside it (what `make run` does)."""
    _show_logs()
    app = current_app._get_current_object()
    # With --reload, this process only watches files and restarts a child that serves; the
    # scheduler belongs in the child, or there would be two.
    if not reload or os.environ.get("WERKZEUG_RUN_MAIN") == "true":
        start_beside(app)
    run_simple(host, port, app, use_reloader=reload, use_debugger=app.debug, threaded=True)


def start_beside(app: Flask) -> BaseScheduler | None:
    lock = take_lock(app)
    if lock is None:
        log.warning("Another scheduler is running on this machine; this server runs without one")
        return None
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start()
    app.extensions["scheduler"] = (scheduler, lock)
    _announce(app)
    return scheduler
