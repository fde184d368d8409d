"""Fixtures for the fault tests: an app on the database the suite runs on, whose locks can be
held by another connection and which gives up waiting for them quickly."""

import pytest
from sqlalchemy.engine import make_url

from tests.fixtures.databases import build_schema

# How long the app's connections wait for another's lock before giving up (SQLite's default is
# 5 s, PostgreSQL's forever): a request meeting a locked database then fails at once.
LOCK_WAIT = 0.2


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
