"""A database that is locked, unreachable or out of connections: a plain 503 page saying so,
nothing half-written, the next request fine once the database is back."""

import logging
import time
from contextlib import closing, contextmanager

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from tests.helpers import LOCK_GIVEN_UP, count, free_port, hold_write_lock, postgres_connection
from vendortrack import create_app
from vendortrack.accounts.models import Role
from vendortrack.errors import BUSY, FULL, database_trouble
from vendortrack.extensions import db
from vendortrack.register.models import Vendor
from vendortrack.trail.models import AuditEntry

BUSY_MESSAGE = "The database is busy or unreachable; nothing was saved; try again in a moment."
VENDOR = {"name": "Locked Out inc.", "country": "CA", "status": "active", "criticality": "low"}
# How long the server may take to end the connections it was told to end.
PATIENCE = 10


BUSY_MESSAGE_FR = (
    "La base de données est occupée ou injoignable; rien n’a été enregistré; réessayez dans un "
    "moment."
)


def assert_busy_page(response, message=BUSY_MESSAGE):
    assert response.status_code == 503
    assert message in response.text
    assert int(response.headers["Retry-After"]) > 0
    assert "Traceback" not in response.text
    assert "OperationalError" not in response.text
    assert "INSERT" not in response.text


def row(model, id_) -> dict:
    """The row as the database holds it now, not as the session remembers it."""
    return db.session.execute(select(model.__table__).where(model.id == id_)).one()._asdict()


@pytest.fixture
def locked(app):
    """with locked(): another connection holds the lock that writes need, as a long import or a
    sweep in another process would (see hold_write_lock)."""

    @contextmanager
    def hold():
        with closing(hold_write_lock(app.config["SQLALCHEMY_DATABASE_URI"])):
            yield

    return hold


@pytest.fixture
def row_locked(app, postgres, locked):
    """with row_locked(vendor_id): another connection holds the lock on that vendor's row, as
    another person's edit does until it commits. On PostgreSQL the row alone (SELECT ... FOR
    UPDATE); SQLite, which has no lock smaller than the whole database, holds that."""

    @contextmanager
    def hold(vendor_id):
        if postgres is None:
            with locked():
                yield
            return
        with closing(postgres_connection(app.config["SQLALCHEMY_DATABASE_URI"])) as other:
            other.execute("SELECT id FROM vendors WHERE id = %s FOR UPDATE", [vendor_id])
            yield

    return hold


@pytest.fixture
def taken_away(app, postgres, database_file, tmp_path):
    """with taken_away(): the database is out of the app's reach, then back.

    SQLite: the file's folder is moved away (a network volume gone, say). PostgreSQL: the server
    ends the app's connections and refuses new ones, as while it restarts or fails over.
    """

    @contextmanager
    def away():
        with app.app_context():
            name = db.engine.url.database
            if postgres is None:
                db.engine.dispose()  # no pooled connection keeps the file open
        if postgres is None:
            moved = tmp_path / "away"
            database_file.parent.rename(moved)
            try:
                yield
            finally:
                moved.rename(database_file.parent)
            return
        with postgres.engine.connect() as server:
            server.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            try:
                end_connections(server, name)  # the pooled one too: the app meets it broken
                yield
            finally:
                server.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))

    return away


def end_connections(server, name: str) -> None:
    """Terminate every connection to the database, and wait until they are gone."""
    others = "FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"
    server.execute(text(f"SELECT pg_terminate_backend(pid) {others}"), {"name": name})
    deadline = time.monotonic() + PATIENCE
    while server.scalar(text(f"SELECT count(*) {others}"), {"name": name}):
        assert time.monotonic() < deadline, "the server kept the connections"
        time.sleep(0.01)


def test_a_write_meeting_a_locked_database_saves_nothing_and_says_to_try_again(
    app, signed_in, locked, caplog
):
    manager = signed_in(Role.MANAGER)
    with app.app_context():
        entries = count(AuditEntry)

    with locked(), caplog.at_level(logging.ERROR):
        response = manager.post("/vendors/new", data=VENDOR)

    assert_busy_page(response)
    with app.app_context():
        assert count(Vendor) == 0
        assert count(AuditEntry) == entries
        given_up = LOCK_GIVEN_UP[db.engine.dialect.name]
    # For us: one line naming the request and the cause, without the statement's values.
    [line] = [r.getMessage() for r in caplog.records if "database is busy" in r.getMessage()]
    assert "POST /vendors/new" in line
    assert given_up in line
    assert "Locked Out" not in line
    # Nothing is left poisoned: the same form goes through once the lock is released.
    assert manager.post("/vendors/new", data=VENDOR).status_code == 302
    with app.app_context():
        assert count(Vendor) == 1


def test_the_page_is_in_the_signed_in_users_language(signed_in, locked):
    french = signed_in(Role.MANAGER, language="fr")
    with locked():
        response = french.post("/vendors/new", data=VENDOR)
    assert_busy_page(response, BUSY_MESSAGE_FR)
    # The language the request had already read: the page asks the database nothing more.
    assert '<html lang="fr">' in response.text


def test_a_page_whose_viewing_cannot_be_recorded_is_not_shown(
    app, signed_in, create_vendor, locked
):
    # The view is recorded once the page is ready, in the audit trail: a page nobody could
    # account for is refused, with the same plain words.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    manager = signed_in(Role.MANAGER)
    vendor_id = create_vendor(name="Watched inc.").id
    with app.app_context():
        entries = count(AuditEntry)
    with locked():
        response = manager.get(f"/vendors/{vendor_id}")
    assert_busy_page(response)
    assert "Watched inc." not in response.text
    with app.app_context():
        assert count(AuditEntry) == entries


def test_an_edit_meeting_its_row_locked_elsewhere_saves_nothing(
    app, signed_in, create_vendor, row_locked, caplog
):
    manager = signed_in(Role.MANAGER)
    vendor_id = create_vendor(name="Row Held inc.").id
    with app.app_context():
        before = row(Vendor, vendor_id), count(AuditEntry)
    form = VENDOR | {"name": "Row Renamed inc.", "owner_id": "0"}

    with row_locked(vendor_id), caplog.at_level(logging.ERROR):
        response = manager.post(f"/vendors/{vendor_id}/edit", data=form)

    assert_busy_page(response)
    with app.app_context():
        assert (row(Vendor, vendor_id), count(AuditEntry)) == before
        given_up = LOCK_GIVEN_UP[db.engine.dialect.name]
    [line] = [r.getMessage() for r in caplog.records if "database is busy" in r.getMessage()]
    assert f"POST /vendors/{vendor_id}/edit" in line
    assert given_up in line
    # Once the other edit is done, the same form goes through.
    assert manager.post(f"/vendors/{vendor_id}/edit", data=form).status_code == 302
    with app.app_context():
        assert row(Vendor, vendor_id)["name"] == "Row Renamed inc."


def test_an_unreachable_database_shows_the_page_not_a_server_error(signed_in, taken_away):
    admin = signed_in(Role.ADMIN, name="Ada Admin")
    with taken_away():
        response = admin.get("/vendors/", headers={"Accept-Language": "fr-CA"})
        assert_busy_page(response, BUSY_MESSAGE_FR)
        # The signed-in user could not be read: the page shows no menu and no name, and speaks
        # the browser's language.
        assert "Ada Admin" not in response.text
        assert '<html lang="fr">' in response.text
        # Any other error page, too, renders without the database rather than failing.
        missing = admin.get("/no/such/page")
        assert missing.status_code == 404
        assert "This page does not exist" in missing.text
    assert admin.get("/vendors/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///{tmp_path}/no/such/folder/t.db",
        "postgresql+psycopg://vendortrack@127.0.0.1:{port}/vendortrack?connect_timeout=10",
    ],
    ids=["sqlite-missing-folder", "postgresql-closed-port"],
)
def test_a_database_that_cannot_be_opened_shows_the_page(tmp_path, url):
    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": url.format(tmp_path=tmp_path, port=free_port()),
        }
    )
    response = app.test_client().get("/login")
    assert_busy_page(response)
    assert '<html lang="en">' in response.text


def test_a_missing_table_is_our_mistake_not_a_busy_database(new_database, caplog):
    # An installation whose migrations were not run: "try again in a moment" would mislead.
    url = new_database(schema=False)
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url})
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level(logging.CRITICAL):
        response = app.test_client().get("/login")
    with app.app_context():
        db.engine.dispose()
    assert response.status_code == 500
    assert BUSY_MESSAGE not in response.text


def test_no_free_connection_in_the_pool_shows_the_page(new_database):
    options = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2}
    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": new_database(),
            "SQLALCHEMY_ENGINE_OPTIONS": options,
        }
    )
    with app.app_context():
        engine = db.engine  # the one the requests use: it lives as long as the app
    with engine.connect():  # every connection the pool may open is taken
        response = app.test_client().get("/login")
    engine.dispose()
    assert_busy_page(response)


class Driver(Exception):
    """A driver's error as psycopg raises it: with the server's SQLSTATE, if any."""

    def __init__(self, sqlstate=None):
        super().__init__("driver message")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "trouble"),
    [
        (None, BUSY),  # could not connect: no server answered
        ("08006", BUSY),  # connection failure
        ("57P01", BUSY),  # the server is shutting down
        ("53300", BUSY),  # too many connections
        ("55P03", BUSY),  # lock not available
        ("57014", BUSY),  # statement timeout
        ("40P01", BUSY),  # deadlock detected: nothing saved, the retry goes through
        ("53100", FULL),  # disk full
        ("42P01", None),  # undefined table: our mistake
    ],
)
def test_postgresql_errors_are_told_apart_by_their_sqlstate(sqlstate, trouble):
    error = OperationalError("SELECT 1", {}, Driver(sqlstate))
    assert database_trouble(error) == trouble


def test_a_connection_lost_under_any_error_is_busy():
    lost = DBAPIError("SELECT 1", {}, Driver(), connection_invalidated=True)
    assert database_trouble(lost) == BUSY
    assert database_trouble(DBAPIError("SELECT 1", {}, Driver("23505"))) is None
