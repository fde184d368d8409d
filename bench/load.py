"""How does the production server hold up when 50 people use it at once?

    .venv/bin/python bench/load.py [--clients 50] [--duration 60] [--think 0.5-1.5] [--vendors 2000]
    tests/with-postgres .venv/bin/python bench/load.py --database postgresql

Migrates a fresh database (a SQLite file in a temporary folder under bench/out/, or the database
`vendortrack_load` on the throw-away server of tests/with-postgres), fills it through the app's
models, then starts the production command (gunicorn, 4 workers, production settings) on a
loopback port and measures:

1. the vendor list for one person alone: a warm-up of every worker, then 50 sequential requests;
2. C people at once for D seconds, each signed in as themselves, with a think time between clicks:
   legal staff open the list, vendors and generate addenda; managers open the list and vendors.

Prints requests per second, latency percentiles per kind of request, errors, and the CPU the
client, the server and the machine used. Never fails on timings. Loopback only; the server (and
the PostgreSQL database) are removed whatever happens, Ctrl-C included.
"""

import hashlib
import io
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import click
from common import (
    Budget,
    Client,
    Exhausted,
    Server,
    gunicorn,
    machine_ticks,
    owner_rows,
    percentiles,
    pick,
    post_form,
    postgres_database,
    tail,
)
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import func, insert, select, text
from vendor_list import location_rows, sharing_rows, vendor_rows

from vendortrack import create_app
from vendortrack.accounts.models import Role, User, hash_password
from vendortrack.addenda.models import Addendum
from vendortrack.extensions import db
from vendortrack.organisation.services import SETTINGS_FIELDS, current_settings, save_settings
from vendortrack.register.models import DataSharing, ProcessingLocation, Vendor, contact_email_hmac

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"  # git-ignored
BIN = Path(sys.executable).parent
WORKERS = 4
LOAD_DATABASE = "vendortrack_load"
PASSWORD = "bench password 123"
ADMIN = "admin@example.org"  # without an administrator every page leads to the set-up
SOLO = "solo@example.org"  # the person measured alone
OWNERS = 20
HOME = "CA-QC"  # the organisation's jurisdiction, where most of the register's vendors are
CHUNK = 2_000
SOLO_REQUESTS = 50
WARM_UP = 4  # threads, each opening a few pages of every kind, so that every worker is warm
TARGET_ERRORS = 0
TARGET_RATIO = 5.0
NOW = datetime.now(UTC)

# What each kind of person does per click (an addendum is the form, then its submission).
MIX = {
    Role.LEGAL: {"list": 40, "vendor": 40, "addendum": 20},
    Role.MANAGER: {"list": 80, "vendor": 20},
}
KINDS = ("list", "vendor", "addendum form", "addendum generate", "addendum page")
SIGN_IN_KINDS = ("sign-in form", "sign-in")
# The vendor list as people use it: filters (weight), sorts, directions and pages.
LIST_FILTERS = {
    "": 30,
    "status=active": 20,
    "status=active&risk=high": 10,
    "compliance=overdue": 8,
    "compliance=action": 4,
    "q=cloud": 6,
    "country=US": 5,
    "category=financial": 5,
    "criticality=critical": 4,
    "owner=3": 4,
    "status=terminated": 4,
}
LIST_SORTS = ("name", "status", "criticality", "risk", "owner", "country", "contract_end")
LIST_PAGES = {1: 60, 2: 20, 3: 10, 5: 6, 10: 4}


@click.command()
@click.option("--database", type=click.Choice(["sqlite", "postgresql"]), default="sqlite")
@click.option("--clients", default=50, show_default=True, help="People using the app at once.")
@click.option("--duration", default=60.0, show_default=True, help="Seconds of load.")
@click.option(
    "--think",
    default="0.5-1.5",
    show_default=True,
    help="Seconds between a person's clicks, uniform in MIN-MAX; 0 for none (saturation).",
)
@click.option("--vendors", default=2_000, show_default=True, help="Size of the register.")
@click.option("--max-requests", default=100_000, show_default=True, help="Hard cap, all phases.")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds per request.")
def cli(database, clients, duration, think, vendors, max_requests, timeout) -> None:
    """Load the production server with simulated people and print throughput and latencies."""
    think_range = parse_think(think)
    # Ctrl-C or a `kill` stops the server too: both raise KeyboardInterrupt, so the finally
    # clauses run (SIGINT explicitly, as a shell ignores it in background jobs).
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.default_int_handler)
    OUT.mkdir(exist_ok=True)
    click.echo(
        f"load: {database}, {vendors:,} vendors (3 data sharing rows each), gunicorn -w "
        f"{WORKERS} (sync workers), {clients} clients for {duration:g} s, think time "
        f"{describe_think(think_range)}{' (default)' if think == '0.5-1.5' else ''}"
    )
    budget = Budget(max_requests)
    log_path = OUT / f"load-gunicorn-{database}.log"
    with (
        tempfile.TemporaryDirectory(dir=OUT, prefix="load-") as tmp,
        target_database(database, Path(tmp)) as url,
    ):
        env = production_env(url)
        migrate(env)
        app = production_app(env)
        seed(app, vendors, clients)
        with gunicorn(WORKERS, env, ROOT, log_path) as server:
            solo = measure_alone(server.port, timeout, budget, vendors)
            run = run_load(server, clients, duration, think_range, timeout, budget, vendors)
        addenda = check_addenda(app, run)
    report(solo, run, addenda, budget)
    report_log(log_path)


def parse_think(value: str) -> tuple[float, float]:
    low, _, high = value.partition("-")
    try:
        bounds = float(low), float(high or low)
    except ValueError:
        raise click.BadParameter(f"{value!r}: write seconds as MIN-MAX or one number") from None
    if bounds[0] < 0 or bounds[1] < bounds[0]:
        raise click.BadParameter(f"{value!r}: MIN-MAX with 0 <= MIN <= MAX")
    return bounds


def describe_think(bounds: tuple[float, float]) -> str:
    low, high = bounds
    if high == 0:
        return "none (closed loop: each client clicks again as soon as a page arrives)"
    return f"uniform {low:g}-{high:g} s" if high > low else f"{low:g} s"


# --- the database ---------------------------------------------------------------------------


@contextmanager
def target_database(kind: str, folder: Path) -> Iterator[str]:
    """A fresh, empty database for the run; yields its URL and removes it afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'load.sqlite'}"
        return
    with postgres_database(
        LOAD_DATABASE, ".venv/bin/python bench/load.py --database postgresql"
    ) as url:
        yield url


def production_env(url: str) -> dict[str, str]:
    """The environment of a production deployment, with fresh secrets; no mail server (mail
    would go to files), and none of the caller's own VENDORTRACK_ settings."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("VENDORTRACK_", "FLASK_"))
    }
    return env | {
        "VENDORTRACK_ENV": "production",
        "VENDORTRACK_SECRET_KEY": secrets.token_hex(32),
        "VENDORTRACK_BASE_URL": "https://vendortrack.test",
        "VENDORTRACK_DATABASE_URL": url,
        "VENDORTRACK_ENCRYPTION_KEYS": Fernet.generate_key().decode("ascii"),
        "VENDORTRACK_HMAC_KEY": secrets.token_hex(32),
    }


def migrate(env: dict[str, str]) -> None:
    command = [str(BIN / "flask"), "--app", "vendortrack", "db", "upgrade"]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise click.ClickException(f"the migrations failed:\n{tail(done.stderr)}")


def production_app(env: dict[str, str]) -> Flask:
    """The app as gunicorn's workers make it: create_app() reading that environment."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return create_app()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def client_email(n: int) -> str:
    return f"legal{n}@example.org" if role_of(n) == Role.LEGAL else f"manager{n}@example.org"


def role_of(n: int) -> Role:
    return Role.LEGAL if n % 2 == 0 else Role.MANAGER


def seed(app: Flask, size: int, clients: int) -> None:
    """People (an admin, one per client, all sharing one scrypt hash) and owners, then vendors
    with their contacts (encrypted on the way in), 3 data sharing rows each and their places."""
    rng = random.Random(size)
    with app.app_context():
        shared_hash = hash_password(PASSWORD)  # scrypt once: the same password for everyone
        people = [(ADMIN, Role.ADMIN), (SOLO, Role.LEGAL)]
        people += [(client_email(n), role_of(n)) for n in range(clients)]
        db.session.add_all(
            User(email=email, name=email.split("@")[0], role=role, password_hash=shared_hash)
            for email, role in people
        )
        db.session.flush()
        connection = db.session.connection()
        connection.execute(insert(User.__table__), owner_rows(OWNERS, NOW))
        owner_ids = list(db.session.scalars(select(User.id).where(User.role == Role.OWNER)))
        with click.progressbar(length=size, label=f"Filling {size:>6,} vendors") as bar:
            for first in range(1, size + 1, CHUNK):
                last = min(first + CHUNK - 1, size)
                rows = [row | contact(rng, row) for row in vendor_rows(rng, first, last, owner_ids)]
                connection.execute(insert(Vendor.__table__), rows)
                connection.execute(insert(DataSharing.__table__), sharing_rows(rng, first, last))
                connection.execute(
                    insert(ProcessingLocation.__table__), location_rows(rng, first, last)
                )
                bar.update(last - first + 1)
        fill_settings(db.session.scalar(select(User).where(User.email == ADMIN)))
        if connection.dialect.name == "postgresql":
            # The rows came with their ids, which PostgreSQL's sequences did not see.
            for table in (Vendor.__tablename__, DataSharing.__tablename__):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        db.session.commit()
        db.engine.dispose()  # gunicorn's workers open their own connections


def fill_settings(admin: User) -> None:
    """The organisation's details: without them the addendum form refuses to generate."""
    current = current_settings(HOME)
    values = {name: getattr(current, name) for name in SETTINGS_FIELDS} | {
        "legal_name": "Organisation de démonstration inc.",
        "address": "1000, rue Sherbrooke Ouest, Montréal (Québec)",
        "privacy_officer_name": "Camille Tremblay",
        "privacy_officer_title": "Responsable de la protection des renseignements personnels",
        "privacy_officer_email": "vie.privee@example.org",
        "signatory_name": "Alex Gagnon",
        "signatory_title": "Directeur général",
        "home_jurisdiction": HOME,
    }
    save_settings(values, None, admin, HOME)


def contact(rng: random.Random, row: dict) -> dict:
    """A contact person for the vendor page to decrypt, and the next review for the rules."""
    email = f"contact{row['id']}@vendor{row['id']}.example.com"
    return {
        "contact_name": f"Contact {row['id']}",
        "contact_email": email,
        "contact_email_hmac": contact_email_hmac(email),
        "contact_phone": "+1 514 555 0100",
        "review_due_on": date.today() + timedelta(days=rng.randint(-200, 400)),
    }


# --- one simulated person ----------------------------------------------------------------------


def sign_in(client: Client, email: str) -> bool:
    page = client.request("sign-in form", "GET", "/login")
    fields = page and post_form(page.body, "email")
    if not fields:
        return False
    fields = [(n, v) for n, v in fields if n not in ("email", "password")]
    form = [*fields, ("email", email), ("password", PASSWORD)]
    return client.request("sign-in", "POST", "/login", form, expect=302, to="/vendors/") is not None


def list_url(rng: random.Random) -> str:
    query = [pick(rng, LIST_FILTERS), f"sort={rng.choice(LIST_SORTS)}"]
    if rng.random() < 0.3:
        query.append("dir=desc")
    query.append(f"page={pick(rng, LIST_PAGES)}")
    return "/vendors/?" + "&".join(part for part in query if part)


def generate_addendum(client: Client, vendor_id: int, pause) -> None:
    """Open the addendum form, read it, and generate with its default choices; then follow the
    redirect to the new addendum, as a browser does."""
    path = f"/vendors/{vendor_id}/addenda/new"
    page = client.request("addendum form", "GET", path)
    fields = page and post_form(page.body, "effective_date")
    if not fields or not pause():
        return
    form = [*fields, ("action", "generate")]
    done = client.request("addendum generate", "POST", path, form, expect=302, to=r"/addenda/\d+")
    if done:
        target = urlsplit(done.location).path
        client.addenda.append(int(target.rsplit("/", 1)[1]))
        client.request("addendum page", "GET", target)


def browse(client: Client, role: Role, rng: random.Random, vendors: int, pause) -> None:
    """Click until the run stops: a pause, then a page of the mix. Pausing first spreads the
    first clicks over one think time, rather than every client's in the same millisecond."""
    while pause():
        action = pick(rng, MIX[role])
        if action == "list":
            client.request("list", "GET", list_url(rng))
        elif action == "vendor":
            client.request("vendor", "GET", f"/vendors/{rng.randint(1, vendors)}")
        else:
            generate_addendum(client, rng.randint(1, vendors), pause)


# --- measuring ---------------------------------------------------------------------------------


def measure_alone(port: int, timeout: float, budget: Budget, vendors: int) -> Client:
    """Warm every worker up, then time the list for one person alone (no think time)."""
    solo = Client(port, timeout, budget)
    if not sign_in(solo, SOLO):
        raise click.ClickException(f"{SOLO} could not sign in: {solo.records[-1]}")
    warmers = [Client(port, timeout, budget, dict(solo.cookies)) for _ in range(WARM_UP)]
    threads = [
        threading.Thread(target=warm_up, args=(client, random.Random(n), vendors), daemon=True)
        for n, client in enumerate(warmers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures := [r for client in warmers for r in client.records if r[3]]:
        raise click.ClickException(f"the warm-up failed: {failures[:3]}")
    solo.records.clear()
    rng = random.Random("alone")
    for _ in range(SOLO_REQUESTS):
        solo.request("list", "GET", list_url(rng))
    return solo


def warm_up(client: Client, rng: random.Random, vendors: int) -> None:
    for _ in range(5):
        client.request("list", "GET", list_url(rng))
    for _ in range(3):
        client.request("vendor", "GET", f"/vendors/{rng.randint(1, vendors)}")
    for _ in range(2):
        client.request("addendum form", "GET", f"/vendors/{rng.randint(1, vendors)}/addenda/new")


@dataclass
class Run:
    clients: list[Client]
    window: float  # seconds from the first click to the last answer
    cpu: dict[str, float]  # seconds of CPU over the window, and the machine's busy share
    capped: bool


def run_load(server, clients, duration, think, timeout, budget, vendors) -> Run:
    """Sign every person in, then let them click for `duration` seconds."""
    stop = threading.Event()
    ready = threading.Barrier(clients + 1)
    people = [Client(server.port, timeout, budget) for _ in range(clients)]
    threads = [
        threading.Thread(
            target=person, args=(n, people[n], ready, stop, think, vendors), daemon=True
        )
        for n in range(clients)
    ]
    try:
        for thread in threads:
            thread.start()
        try:
            ready.wait(timeout=120)
        except threading.BrokenBarrierError:
            raise click.ClickException("the clients could not all sign in within 120 s") from None
        before, start = cpu_marks(server), time.perf_counter()
        stop.wait(duration)
        capped = stop.is_set()
        stop.set()
        for thread in threads:  # the last requests finish, within their timeout
            thread.join(timeout + 5)
        window = time.perf_counter() - start
        after = cpu_marks(server)
    finally:
        stop.set()
    cpu = {key: after[key] - before[key] for key in ("client", "server")}
    cpu["machine"] = (after["busy"] - before["busy"]) / max(after["ticks"] - before["ticks"], 1)
    return Run(people, window, cpu, capped)


def person(n: int, client: Client, ready, stop, think, vendors: int) -> None:
    rng = random.Random(n)
    try:
        signed_in = sign_in(client, client_email(n))
    except Exhausted:
        signed_in = False
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        return
    low, high = think

    def pause() -> bool:
        return not stop.wait(rng.uniform(low, high))

    try:
        if signed_in:
            browse(client, role_of(n), rng, vendors, pause)
    except Exhausted:
        stop.set()


def cpu_marks(server: Server) -> dict[str, float]:
    busy, ticks = machine_ticks()
    return {
        "client": time.process_time(),
        "server": server.cpu_seconds(),
        "busy": busy,
        "ticks": ticks,
    }


def check_addenda(app: Flask, run: Run) -> dict[str, int]:
    """Read back the addenda the clients were sent to: each stored with a .docx that opens as a
    Word document and matches its recorded SHA-256."""
    ids = [i for client in run.clients for i in client.addenda]
    found = valid = 0
    sizes = []
    with app.app_context():
        for first in range(0, len(ids), 200):
            query = select(Addendum.id, Addendum.sha256, Addendum.document).where(
                Addendum.id.in_(ids[first : first + 200])
            )
            for _id, sha256, document in db.session.execute(query):
                found += 1
                sizes.append(len(document))
                valid += is_docx(document) and hashlib.sha256(document).hexdigest() == sha256
        total = db.session.scalar(select(func.count()).select_from(Addendum))
        db.session.remove()
        db.engine.dispose()
    median = sorted(sizes)[len(sizes) // 2] if sizes else 0
    return {"sent": len(ids), "found": found, "valid": valid, "total": total, "size": median}


def is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as document:
            return "word/document.xml" in document.namelist()
    except zipfile.BadZipFile:
        return False


# --- reporting ---------------------------------------------------------------------------------


def report(solo: Client, run: Run, addenda: dict[str, int], budget: Budget) -> None:
    alone = [seconds * 1000 for kind, _, seconds, error in solo.records if not error]
    alone_p50, alone_p95, alone_p99 = percentiles(alone, 50, 95, 99)
    click.echo(
        f"\nsingle user, vendor list ({len(alone)} sequential requests after warm-up): "
        f"p50 {alone_p50:.1f} ms, p95 {alone_p95:.1f} ms, p99 {alone_p99:.1f} ms"
    )
    records = [r for client in run.clients for r in client.records]
    sign_ins = [r for r in records if r[0] in SIGN_IN_KINDS]
    clicks = [r for r in records if r[0] in KINDS]
    signed = sum(1 for r in sign_ins if r[0] == "sign-in" and not r[3])
    capped = ", STOPPED AT THE REQUEST CAP" if run.capped else ""
    click.echo(
        f"under load: {signed} of {len(run.clients)} clients signed in first; window "
        f"{run.window:.1f} s (until the last answer){capped}"
    )
    header = f"\n{'kind':<20}{'requests':>9}{'share':>7}{'req/s':>8}"
    click.echo(
        header
        + "".join(f"{h:>9}" for h in ("mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms"))
        + f"{'errors':>8}"
    )
    rows = [(kind, [r for r in clicks if r[0] == kind]) for kind in KINDS]
    rows += [("all", clicks), ("sign-in (before)", sign_ins)]
    for kind, found in rows:
        click.echo(table_row(kind, found, len(clicks), run.window))
    errors = Counter(f"{r[0]}: {r[3]}" for r in records if r[3])
    click.echo("\nerrors: " + ("none" if not errors else ""))
    for label, count in errors.most_common():
        click.echo(f"  {count:>6} x {label}")
    click.echo(
        f"addenda: {addenda['sent']} generated (302 to the new addendum), {addenda['found']} found "
        f"in the database, {addenda['valid']} of them a .docx that opens and matches its SHA-256 "
        f"(median {addenda['size'] / 1000:.0f} kB); {addenda['total']} addenda in all"
    )
    rate = len(clicks) / run.window
    click.echo(
        f"Little's law: {len(run.clients)} clients / {rate:.1f} req/s = "
        f"{len(run.clients) / rate * 1000:.0f} ms between one client's requests "
        "(its response time plus its think time)"
    )
    cpu = run.cpu
    click.echo(
        f"CPU over the window: client {cpu['client']:.1f} s "
        f"({cpu['client'] / run.window:.0%} of one core), gunicorn {cpu['server']:.1f} s "
        f"({cpu['server'] / run.window:.0%} of one core; PostgreSQL's own processes are not in "
        f"it), whole machine busy "
        f"{cpu['machine']:.0%} of its {os.cpu_count()} cores (others' work included)"
    )
    click.echo(f"requests sent: {budget.used:,} of the cap {budget.limit:,} (all phases)")
    verdict(errors, clicks, alone_p50, alone_p95)


def table_row(kind: str, found: list, total: int, window: float) -> str:
    times = [r[2] * 1000 for r in found if not r[3]]
    p50, p95, p99 = percentiles(times, 50, 95, 99)
    mean = sum(times) / len(times) if times else float("nan")
    share = f"{len(found) / total:.0%}" if kind in KINDS and total else ""
    rate = f"{len(found) / window:.1f}" if kind in (*KINDS, "all") else ""
    figures = "".join(f"{v:>9.1f}" for v in (mean, p50, p95, p99, max(times, default=float("nan"))))
    errors = sum(1 for r in found if r[3])
    return f"{kind:<20}{len(found):>9,}{share:>7}{rate:>8}{figures}{errors:>8}"


def verdict(errors: Counter, clicks: list, alone_p50: float, alone_p95: float) -> None:
    count = sum(errors.values())
    click.echo(f"\ntarget: no errors: {count} -> {'PASS' if count <= TARGET_ERRORS else 'FAIL'}")
    loaded = [r[2] * 1000 for r in clicks if r[0] == "list" and not r[3]]
    (p95,) = percentiles(loaded, 95)
    ratio = p95 / alone_p95
    click.echo(
        f"target: list p95 under load within {TARGET_RATIO:g}x the single-user p95 (the target's "
        f"figure): {p95:.1f} / {alone_p95:.1f} ms = {ratio:.1f}x -> "
        f"{'PASS' if ratio <= TARGET_RATIO else 'FAIL'}"
    )
    click.echo(
        f"        for information, against the single-user median: {p95:.1f} / "
        f"{alone_p50:.1f} ms = {p95 / alone_p50:.1f}x"
    )


def report_log(log_path: Path) -> None:
    """Count what gunicorn and the workers logged as going wrong."""
    lines = log_path.read_text(errors="replace").splitlines()
    bad = [
        line
        for line in lines
        if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line or "TIMEOUT" in line
    ]
    click.echo(f"gunicorn log: {log_path.relative_to(ROOT)}, {len(bad)} error lines")
    for line in list(dict.fromkeys(bad))[:5]:
        click.echo(f"  {line}")


if __name__ == "__main__":
    cli()
