"""How fast does the reminder sweep deliver on a large register, and does its memory stay flat?

    .venv/bin/python bench/reminders.py [--vendors 100000] [--due 1000] [--quick] [--profile]

Fills a SQLite file database with N vendors, of which DUE have a review due within the reminder
windows (a quarter of them a contract notice deadline too), each with its own owner: one digest
per owner. A real SMTP server (aiosmtpd, discarding what it receives) runs in its own process,
so that it does not share the interpreter's lock with the sender. Times:

1. selecting what is due: `plan_reminders` (the due vendors read, the reminders inserted), and
   the bare SELECTs of the due vendors alone, as a floor;
2. `deliver_due` over one SMTP connection: compose, send and record each digest;
3. a bare `smtplib` loop sending the very same messages (rebuilt beforehand from the mail the
   sweep recorded) to the same server over one connection, with `send_message` as the sweep.

The rate is for information: one digest a day per person needs no particular figure, so there is
no target (the sweep sends, then records, one message at a time; see reminders/delivery.py).

Then, on fresh databases of a fifth of N (at most 20,000) and of N vendors with the same DUE
due, the Python heap's peak (tracemalloc) during plan + deliver: it should not grow with the
register. Each pass also reports its peak RSS (ru_maxrss, reset before the pass on Linux), which
counts SQLite's own memory too. Prints figures; never fails on them.
"""

import cProfile
import gc
import pstats
import random
import resource
import shutil
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, insert, select, text

from vendortrack import create_app
from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.mail import MailSettings, build_message
from vendortrack.register.models import Level, Vendor, VendorStatus, name_key
from vendortrack.reminders.models import MailMessage, MailStatus
from vendortrack.reminders.planning import plan_reminders
from vendortrack.reminders.sweep import deliver_due, local_date, send_due

# Peak heaps within this of each other count as "does not grow" (allocator and cache noise).
GROWTH_TOLERANCE = 1.10
SMALL_REGISTER = 20_000
# The server discards what it receives: the sender's cost is what is measured, not storage.
SMTP_SERVER = (sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink")
CHUNK = 10_000
NOW = datetime(2025, 6, 2, 12, tzinfo=UTC)  # 08:00 in Toronto, the default reminder time
NOTICE_SHARE = 0.25  # due vendors whose contract notice deadline is near too
FRENCH_SHARE = 0.2  # owners who read their digest in French
STATUSES = {VendorStatus.ACTIVE: 70, VendorStatus.PROSPECT: 10, VendorStatus.TERMINATED: 20}
# The floor: the same due vendors and owners plan_reminders reads, as two raw queries.
FLOOR_SQL = (
    """SELECT v.id, v.review_due_on, u.id, u.email, u.active FROM vendors v
    LEFT OUTER JOIN users u ON u.id = v.owner_id
    WHERE v.status != 'terminated' AND v.review_due_on <= :review_until""",
    """SELECT v.id, v.notice_deadline_on, u.id, u.email, u.active FROM vendors v
    LEFT OUTER JOIN users u ON u.id = v.owner_id
    WHERE v.status != 'terminated' AND v.notice_deadline_on BETWEEN :today AND :notice_until""",
)


@click.command()
@click.option("--vendors", default=100_000, show_default=True, help="Size of the register.")
# A thousand digests give a steady rate; more only lengthen the run (tracemalloc is slow).
@click.option("--due", default=1_000, show_default=True, help="Vendors with a review due.")
@click.option("--quick", is_flag=True, help="A small smoke run: 4,000 vendors, 200 due.")
@click.option("--profile", "with_profile", is_flag=True, help="Also cProfile one deliver_due.")
def cli(vendors: int, due: int, quick: bool, with_profile: bool) -> None:
    """Time the reminder sweep against a bare smtplib loop, and measure its peak memory."""
    if quick:
        vendors, due = 4_000, 200
    small = max(due, min(SMALL_REGISTER, vendors // 5))
    click.echo(
        f"reminders: {vendors:,} vendors, {due:,} due, one owner each; SQLite file, "
        "aiosmtpd (Sink) in its own process"
    )
    with smtp_server() as port, tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
        folder = Path(tmp)
        full = build(folder / f"{vendors}.db", vendors, due)
        small_db = build(folder / f"{small}.db", small, due)
        fresh = shutil.copy(full, folder / f"{vendors}-fresh.db")
        if with_profile:
            shutil.copy(full, folder / f"{vendors}-profile.db")
        timed = timed_sweep(full, port)
        peaks = {
            size: memory_pass(path, port) for size, path in ((small, small_db), (vendors, fresh))
        }
        # Last: its prebuilt messages, all held at once, would count in the memory passes.
        timed |= bare_pass(full, port)
        report(timed, peaks, vendors, due)
        if with_profile:
            profile(folder / f"{vendors}-profile.db", port)


# --- the SMTP server -----------------------------------------------------------------------------


@contextmanager
def smtp_server() -> Iterator[int]:
    """aiosmtpd in a child process on a free loopback port; yields the port."""
    port = free_port()
    server = subprocess.Popen(
        [*SMTP_SERVER, "-l", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(server, port)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def free_port() -> int:
    # aiosmtpd cannot be asked for port 0: let the system pick one, free it, and pass it on.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(server: subprocess.Popen, port: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise click.ClickException(f"aiosmtpd exited with code {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise click.ClickException(f"aiosmtpd did not accept connections on port {port}")


# --- filling -------------------------------------------------------------------------------------


def make_app(database: Path) -> Flask:
    return create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})


def build(database: Path, size: int, due: int) -> Path:
    """A fresh database of `size` vendors, `due` of them due; returns its path."""
    app = make_app(database)
    with app.app_context():
        db.create_all()
        fill(size, due, local_date(NOW))
        db.engine.dispose()  # closed, so that the file can be copied
    return database


def fill(size: int, due: int, today: date) -> None:
    """An admin, `due` owners and the register, with Core executemany in one transaction."""
    rng = random.Random(size)
    connection = db.session.connection()
    users = [user_row(0, Role.ADMIN, "en")] + [
        user_row(n, Role.OWNER, "fr" if rng.random() < FRENCH_SHARE else "en")
        for n in range(1, due + 1)
    ]
    connection.execute(insert(User.__table__), users)
    # The admin is user 1, owner n is user n + 1; due vendor k (in id order) has owner k.
    due_ids = sorted(rng.sample(range(1, size + 1), due))
    owner_of = {vid: n + 2 for n, vid in enumerate(due_ids)}
    with click.progressbar(length=size, label=f"Filling {size:>7,} vendors") as bar:
        for first in range(1, size + 1, CHUNK):
            last = min(first + CHUNK - 1, size)
            rows = [
                vendor_row(rng, vid, owner_of.get(vid), due + 1, today)
                for vid in range(first, last + 1)
            ]
            connection.execute(insert(Vendor.__table__), rows)
            bar.update(last - first + 1)
    db.session.commit()


def user_row(n: int, role: Role, language: str) -> dict:
    email = "admin@example.org" if role == Role.ADMIN else f"owner{n}@example.org"
    return {
        "email": email,
        "name": f"Owner {n}" if n else "Bench Admin",
        "role": role,
        "language": language,
        "active": True,
        "created_at": NOW,
    }


def vendor_row(
    rng: random.Random, vid: int, owner: int | None, last_user: int, today: date
) -> dict:
    """A due vendor (its own owner given) or one whose review and notice are far off."""
    if owner is not None:
        # Within the windows, and less than 14 days overdue: no escalation, so each reminder
        # goes to the owner alone and there is one digest per due vendor.
        review = today + timedelta(days=rng.randint(-13, 30))
        notice = today + timedelta(days=rng.randint(0, 60)) if rng.random() < NOTICE_SHARE else None
        status = VendorStatus.ACTIVE
    else:
        owner = rng.randint(2, last_user)
        review = today + timedelta(days=rng.randint(45, 730))
        notice = today + timedelta(days=rng.randint(90, 700)) if rng.random() < 0.3 else None
        status = rng.choices(list(STATUSES), weights=list(STATUSES.values()))[0]
    name = f"Fournisseur {vid:06} inc."
    return {
        "id": vid,
        "name": name,
        "name_key": name_key(name),
        "country": "CA",
        "subdivision": "CA-QC",
        "status": status,
        "criticality": Level.MEDIUM,
        "risk_tier": Level.MEDIUM,
        "owner_id": owner,
        "review_due_on": review,
        "notice_deadline_on": notice,
        "auto_renewal": False,
        "created_at": NOW,
        "updated_at": NOW,
    }


# --- measuring -----------------------------------------------------------------------------------


def smtp_settings(app: Flask, port: int) -> MailSettings:
    return replace(app.extensions["mail_settings"], server="127.0.0.1", port=port)


def timed_sweep(database: Path, port: int) -> dict:
    """The floor, then plan_reminders and deliver_due, each timed."""
    click.echo("Timing plan_reminders and deliver_due ...")
    app = make_app(database)
    with app.app_context():
        settings, today = smtp_settings(app, port), local_date(NOW)
        floor = floor_seconds(today)
        rss_reset = reset_peak_rss()
        start = time.perf_counter()
        planned = plan_reminders(today, NOW)
        plan = time.perf_counter() - start
        start = time.perf_counter()
        result = deliver_due(NOW, settings)
        deliver = time.perf_counter() - start
        db.engine.dispose()
    return {
        "floor": floor,
        "plan": plan,
        "planned": planned,
        "deliver": deliver,
        "result": result,
        "sweep_rss": max_rss() if rss_reset else None,
    }


def bare_pass(database: Path, port: int) -> dict:
    """The bare loop, over the messages the timed sweep recorded in `database`."""
    click.echo("Timing the bare smtplib loop ...")
    rss_reset = reset_peak_rss()
    app = make_app(database)
    with app.app_context():
        messages = recorded_messages(smtp_settings(app, port))
        db.engine.dispose()
    return {
        "bare": bare_send(messages, port),
        "bare_messages": len(messages),
        "bare_rss": max_rss() if rss_reset else None,
        "size": statistics.mean(len(m.as_bytes()) for m in messages[:200]) if messages else 0,
    }


def floor_seconds(today: date, repeat: int = 5) -> float:
    """Median time of the bare SELECTs of what is due (the first run also warms the cache)."""
    params = {
        "review_until": today + timedelta(days=30),
        "today": today,
        "notice_until": today + timedelta(days=60),
    }
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for sql in FLOOR_SQL:
            db.session.execute(text(sql), params).all()
        times.append(time.perf_counter() - start)
    db.session.rollback()
    return statistics.median(times)


def recorded_messages(settings: MailSettings) -> list[EmailMessage]:
    """The messages the sweep sent, rebuilt from the mail it recorded, in the order sent."""
    rows = db.session.scalars(
        select(MailMessage).where(MailMessage.status == MailStatus.SENT).order_by(MailMessage.id)
    )
    return [
        build_message(
            settings, m.to_address, m.subject, m.text_body, m.html_body, m.message_id, m.created_at
        )
        for m in rows
    ]


def bare_send(messages: list[EmailMessage], port: int) -> float:
    """Seconds to send `messages` over one plain smtplib connection, connecting and quitting
    included (as the sweep's are)."""
    start = time.perf_counter()
    connection = smtplib.SMTP("127.0.0.1", port, timeout=30)
    for message in messages:
        connection.send_message(message)
    connection.quit()
    return time.perf_counter() - start


def memory_pass(database: Path, port: int) -> dict:
    """Peak traced Python heap and peak RSS during send_due on a fresh database."""
    app = make_app(database)
    with app.app_context():
        settings = smtp_settings(app, port)
        size = db.session.scalar(select(func.count()).select_from(Vendor))
        click.echo(f"Measuring memory at {size:,} vendors (tracemalloc: slow) ...")
        gc.collect()
        rss_reset = reset_peak_rss()
        tracemalloc.start()
        try:
            result = send_due(NOW, settings)
            heap = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        db.engine.dispose()
    return {"heap": heap, "rss": max_rss() if rss_reset else None, "messages": result.messages}


def reset_peak_rss() -> bool:
    """Reset the process's peak RSS, so that ru_maxrss covers only what follows (Linux: see
    clear_refs in proc(5)); False where that cannot be done."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def max_rss() -> float:
    """ru_maxrss in MB (Linux counts it in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def profile(database: Path, port: int) -> None:
    app = make_app(database)
    with app.app_context():
        settings = smtp_settings(app, port)
        plan_reminders(local_date(NOW), NOW)
        profiler = cProfile.Profile()
        profiler.runcall(deliver_due, NOW, settings)
        db.engine.dispose()
    click.echo("\ncProfile of deliver_due, by cumulative time:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


# --- reporting -----------------------------------------------------------------------------------


def report(timed: dict, peaks: dict[int, dict], vendors: int, due: int) -> None:
    result = timed["result"]
    sweep_rate = result.messages / timed["deliver"]
    bare_rate = timed["bare_messages"] / timed["bare"]
    click.echo(
        f"\n{timed['planned']:,} reminders planned for {due:,} due vendors; {result.messages:,} "
        f"digests sent, carrying {result.sent:,} reminders\n({result.skipped} skipped, "
        f"{result.deferred} deferred, {result.failed} failed; "
        f"{timed['size'] / 1024:.1f} kB per message on average)\n"
    )
    line("select what is due", "plan_reminders", f"{timed['plan']:8.3f} s")
    line("", "bare SELECTs (floor)", f"{timed['floor']:8.3f} s")
    line(
        "deliver",
        "deliver_due",
        f"{timed['deliver']:8.3f} s  {result.messages:>7,} messages  {sweep_rate:6.0f} msg/s",
    )
    line(
        "",
        "bare send_message",
        f"{timed['bare']:8.3f} s  {timed['bare_messages']:>7,} messages  {bare_rate:6.0f} msg/s",
    )
    for n, (size, peak) in enumerate(sorted(peaks.items())):
        line(
            "peak memory" if n == 0 else "",
            f"{size:,} vendors",
            f"{peak['heap'] / 2**20:8.1f} MB heap  {mb(peak['rss'])} RSS",
        )
    line("ru_maxrss", "timed plan + deliver", f"{mb(timed['sweep_rss'])}  ({vendors:,} vendors)")
    line("", "bare send_message", f"{mb(timed['bare_rss'])}  (its prebuilt messages held)")
    if timed["sweep_rss"] is None:
        line("", "whole run", mb(max_rss()))
    click.echo(
        "(peak memory: send_due on a fresh database, under tracemalloc; heap: tracemalloc's peak;\n"
        "RSS and ru_maxrss: the process's peak over that pass alone, SQLite's memory included)"
    )
    summarise(sweep_rate / bare_rate, peaks, vendors)


def mb(value: float | None) -> str:
    return f"{'n/a':>8}" if value is None else f"{value:8.1f} MB"


def line(title: str, label: str, figures: str) -> None:
    click.echo(f"{title:<19} {label:<21} {figures}")


def summarise(ratio: float, peaks: dict[int, dict], vendors: int) -> None:
    small = min(peaks)
    growth = peaks[vendors]["heap"] / peaks[small]["heap"]
    memory_verdict = "PASS" if growth <= GROWTH_TOLERANCE else "FAIL"
    click.echo(
        f"\nsweep/bare {ratio:.2f}x (for information: no target); "
        f"peak heap {vendors:,}/{small:,} vendors {growth:.2f}x "
        f"(target <= {GROWTH_TOLERANCE:g}x: {memory_verdict})"
    )


if __name__ == "__main__":
    cli()
