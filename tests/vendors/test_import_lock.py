"""Imports run one at a time: two at once leave the register as one file or the other says, never
a mix of both, and one that cannot wait its turn is told so and writes nothing.

Each import runs in a thread of its own, through an app of its own (its own engine and
connections), on the database the suite runs on: a SQLite file, or PostgreSQL with
tests/with-postgres. A pause after an import has read the vendors it will change, and before it
writes them, makes the two overlap every time rather than now and then.
"""

import csv
import io
import threading
import time

import pytest
from sqlalchemy import event, select

from tests.helpers import sign_in
from vendortrack import create_app
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.register import bulk
from vendortrack.register.csvcolumns import COLUMN_NAMES
from vendortrack.register.models import Level, Vendor

IMPORT_COLUMNS = [name for name in COLUMN_NAMES if name != "risk_tier"]
NAMES = ("Alpha", "Beta")
BEFORE = ("CA", Level.MEDIUM, 30)
# Each file changes what the other leaves as it was: interleaved, the second import writes only
# the columns it sees changing, over the first one's, and the register ends up matching neither.
FILE_A = ("FR", Level.MEDIUM, 30)
FILE_B = ("CA", Level.HIGH, 90)
PAUSE = 0.4  # seconds between an import's reading and its writing
TRIALS = 4
BUSY = "Another import is running, so nothing was imported; try again in a moment."
BUSY_FR = "Un autre import est en cours, donc rien n’a été importé; réessayez dans un moment."


def to_csv(values: tuple) -> bytes:
    country, criticality, notice = values
    out = io.StringIO()
    writer = csv.DictWriter(out, IMPORT_COLUMNS)
    writer.writeheader()
    for name in NAMES:
        writer.writerow(
            {
                "vendor_name": name,
                "country": country,
                "status": "active",
                "criticality": criticality.code,
                "notice_period_days": notice,
            }
        )
    return out.getvalue().encode()


def register(app) -> dict[str, tuple]:
    """The register as the database holds it now, read in a context of its own: no transaction
    stays open while the imports run."""
    with app.app_context():
        rows = db.session.execute(
            select(Vendor.name, Vendor.country, Vendor.criticality, Vendor.notice_period_days)
        )
        return {name: tuple(values) for name, *values in rows}


def as_file(values: tuple) -> dict[str, tuple]:
    return dict.fromkeys(NAMES, values)


def reset(app, vendors) -> None:
    with app.app_context():
        for vendor in vendors:
            row = db.session.get(Vendor, vendor.id)
            row.country, row.criticality, row.notice_period_days = BEFORE
        db.session.commit()


@pytest.fixture
def vendors(create_vendor):
    country, criticality, notice = BEFORE
    return [
        create_vendor(
            name=name, country=country, criticality=criticality, notice_period_days=notice
        )
        for name in NAMES
    ]


@pytest.fixture
def reading(monkeypatch):
    """Set once an import has read the vendors it will write; each import then pauses."""
    event = threading.Event()
    read = bulk._vendors_named

    def read_then_pause(names):
        found = read(names)
        event.set()
        time.sleep(PAUSE)
        return found

    monkeypatch.setattr(bulk, "_vendors_named", read_then_pause)
    return event


@pytest.fixture
def importers(app, create_user):
    """importers(n, language) -> n test clients, each signed in as an administrator of its own
    on an app of its own: as many workers of one installation."""
    apps = []

    def make(n: int, language: str = "en"):
        clients = []
        for _ in range(n):
            other = create_app(
                {
                    "ENV_NAME": "test",
                    **{
                        key: app.config[key]
                        for key in (
                            "SQLALCHEMY_DATABASE_URI",
                            "MAIL_SERVER",
                            "MAIL_PORT",
                            "MAIL_OUTBOX_DIR",
                            "SCHEDULER_LOCK",
                        )
                    },
                }
            )
            apps.append(other)
            clients.append(sign_in(other.test_client(), create_user(Role.ADMIN, language=language)))
        return clients

    yield make
    for other in apps:
        with other.app_context():
            db.engine.dispose()


def upload(client, data: bytes):
    return client.post(
        "/vendors/import",
        data={"file": (io.BytesIO(data), "vendors.csv")},
        content_type="multipart/form-data",
    )


def at_once(clients, files) -> list:
    """Send each client's import at the same moment, each from a thread of its own."""
    answers = [None] * len(clients)
    start = threading.Barrier(len(clients))

    def run(i):
        start.wait()
        try:
            answers[i] = upload(clients[i], files[i])
        except Exception as error:  # reported by the test, not lost in the thread
            answers[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.slow  # pauses on purpose, TRIALS x PAUSE seconds at least
def test_two_imports_at_once_leave_the_register_as_one_of_the_files(
    app, vendors, importers, reading
):
    clients = importers(2)
    outcomes = []
    for _ in range(TRIALS):
        reset(app, vendors)
        answers = at_once(clients, [to_csv(FILE_A), to_csv(FILE_B)])
        statuses = [getattr(answer, "status_code", answer) for answer in answers]
        outcomes.append((statuses, register(app)))
    for statuses, state in outcomes:
        assert statuses == [302, 302]  # the second waited its turn, then went through
        assert state in (as_file(FILE_A), as_file(FILE_B)), state


@pytest.mark.parametrize(("language", "message"), [("en", BUSY), ("fr", BUSY_FR)])
def test_an_import_that_cannot_wait_its_turn_is_told_and_writes_nothing(
    app, vendors, importers, reading, monkeypatch, language, message
):
    monkeypatch.setattr(bulk, "IMPORT_WAIT_SECONDS", PAUSE / 8)  # far shorter than the other
    clients = importers(2, language)

    answers = at_once(clients, [to_csv(FILE_A), to_csv(FILE_B)])

    statuses = sorted(getattr(answer, "status_code", answer) for answer in answers)
    assert statuses == [200, 302]
    told, went_through = sorted(answers, key=lambda answer: answer.status_code)
    assert message in told.text
    assert "alert-danger" in told.text.split(message)[0].rsplit("<div", 1)[1]
    assert register(app) == as_file(FILE_A if answers[0] is went_through else FILE_B)


def test_the_command_line_is_told_too(
    app, vendors, importers, reading, monkeypatch, runner, tmp_path
):
    monkeypatch.setattr(bulk, "IMPORT_WAIT_SECONDS", PAUSE / 8)
    path = tmp_path / "b.csv"
    path.write_bytes(to_csv(FILE_B))
    [web] = importers(1)
    thread = threading.Thread(target=upload, args=(web, to_csv(FILE_A)))
    thread.start()
    try:
        assert reading.wait(timeout=30), "the web import did not start"
        result = runner.invoke(args=["vendors", "import", str(path)])
    finally:
        thread.join(timeout=60)

    assert result.exit_code == 1
    assert BUSY in result.output
    assert register(app) == as_file(FILE_A)


def test_an_import_locks_the_vendors_it_names_in_id_order_before_changing_any(app, create_vendor):
    """Batches change vendors in the file's order; whatever else locks many vendors does so in
    id order. Taking the file's vendors first, all in id order, leaves no two transactions
    waiting on each other (PostgreSQL; SQLite's import holds the whole database)."""
    made = [create_vendor(name=f"Named {n}") for n in range(3)]
    out = io.StringIO()
    writer = csv.DictWriter(out, IMPORT_COLUMNS, restval="")
    writer.writeheader()
    for vendor in reversed(made):  # the file names them in the opposite order to their ids
        writer.writerow({"vendor_name": vendor.name, "country": "CA", "notes": "Imported"})
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has no row locks: the import holds the database's write lock")
        sent = []

        def note(_connection, _cursor, statement, *_rest):
            sent.append(statement)

        event.listen(db.engine, "before_cursor_execute", note)
        try:
            bulk.import_vendors(out.getvalue().encode(), "CA")
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
        locks = [n for n, sql in enumerate(sent) if "FOR NO KEY UPDATE" in sql]
        first_update = next(n for n, sql in enumerate(sent) if sql.startswith("UPDATE vendors"))
        assert locks, "the import locked no vendor"
        assert locks[0] < first_update
        assert "ORDER BY vendors.id" in sent[locks[0]]
        db.session.rollback()
