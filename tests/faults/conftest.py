"""Fixtures for the fault tests: an app on the database the suite runs on, whose locks can be
held by another connection and which gives up waiting for them quickly."""

import sqlite3

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from tests.conftest import build_schema
from vendortrack.extensions import db

# How long the app's connections wait for another's lock before giving up (SQLite's default is
# 5 s, PostgreSQL's forever): a request meeting a locked database then fails at once.
LOCK_WAIT = 0.2
# How the database says it gave up waiting, as the log line quotes it.
LOCK_GIVEN_UP = {"sqlite": "database is locked", "postgresql": "due to lock timeout"}


@pytest.fixture
def database_file(tmp_path):
    """The app's SQLite file, in a folder of its own that a test can take away (SQLite only)."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder / "t.db"


@pytest.fixture
def database_url(postgres, new_database, database_file):
    """The app's database: on PostgreSQL one of the test's own, on SQLite in `database_file`."""
    if postgres is not None:
        return new_database()
    build_schema(f"sqlite:///{database_file}")
    return f"sqlite:///{database_file}"


def short_lock_wait(url: str) -> dict:
    """Engine options that cut the connections' wait for another's lock to LOCK_WAIT."""
    if make_url(url).get_backend_name() == "sqlite":
        return {"connect_args": {"timeout": LOCK_WAIT}}
    return {"connect_args": {"options": f"-c lock_timeout={round(LOCK_WAIT * 1000)}"}}


@pytest.fixture
def app_settings(database_url):
    """The shared app, with the wait for a lock cut to LOCK_WAIT."""
    return {"SQLALCHEMY_ENGINE_OPTIONS": short_lock_wait(database_url)}


def hold_write_lock(url: str):
    """A connection of its own that holds the lock every write needs until it is closed; reads
    go on. SQLite has one lock for the whole file; on PostgreSQL the nearest is an EXCLUSIVE lock
    on every table, as a bulk job or a migration in another process would take."""
    address = make_url(url)
    if address.get_backend_name() == "sqlite":
        connection = sqlite3.connect(address.database, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        return connection
    connection = postgres_connection(url)
    tables = sql.SQL(", ").join(sql.Identifier(t.name) for t in db.metadata.sorted_tables)
    try:
        connection.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(tables))
    except psycopg.Error:
        connection.close()
        raise
    return connection


def postgres_connection(url: str) -> psycopg.Connection:
    """A plain psycopg connection in a transaction, which closing rolls back.

    It waits for the app's own locks a few seconds at most: a test that blocks on one fails
    rather than hangs.
    """
    address = make_url(url).set(drivername="postgresql")
    connection = psycopg.connect(address.render_as_string(hide_password=False))
    connection.execute("SET LOCAL lock_timeout = '5s'")
    return connection
