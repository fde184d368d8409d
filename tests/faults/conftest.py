"""Fixtures for the fault tests: an app whose database can be locked or taken away quickly."""

import pytest

from vendortrack import create_app
from vendortrack.extensions import db

# How long the app's SQLite connections wait for another's lock before giving up (Python's
# default is 5 s): a request meeting a locked database then fails at once.
LOCK_WAIT = 0.2


@pytest.fixture
def database_file(tmp_path):
    """The app's SQLite file, in a folder of its own that a test can take away."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder / "t.db"


@pytest.fixture
def app(tmp_path, database_file, smtp_server):
    """As the shared `app`, with the database in `database_file` and SQLite's wait for a lock
    cut to LOCK_WAIT."""
    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_file}",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": LOCK_WAIT}},
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_server[1],
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "SCHEDULER_LOCK": str(tmp_path / "scheduler.lock"),
        }
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()
