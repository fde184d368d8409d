"""Fresh databases for the tests: SQLite files, or databases on a real PostgreSQL server.

`make test` runs the suite twice: once on SQLite, once with VENDORTRACK_TEST_DATABASE_URL pointing
at the throw-away cluster that tests/with-postgres starts. On PostgreSQL each test gets a database
of its own, cloned from a template that holds the schema (cloning costs a few milliseconds, where
building the schema again would cost a hundred), and dropped afterwards.
"""

import itertools
import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SERVER_URL = os.environ.get("VENDORTRACK_TEST_DATABASE_URL")

_numbers = itertools.count(1)


def on_postgresql() -> bool:
    return bool(SERVER_URL)


class PostgresServer:
    """Creates and drops databases on the tests' PostgreSQL server."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self.engine = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=None)
        # Named after this process, so that two runs sharing one server never drop each
        # other's databases.
        self.prefix = f"vt{os.getpid()}_"
        self.template_name = f"{self.prefix}template"
        self.has_template = False

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        name = f"{self.prefix}{next(_numbers)}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return name

    def drop(self, name: str) -> None:
        with self.engine.connect() as connection:
            # FORCE: a test's server thread or subprocess may still hold a connection.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def template(self, build_schema) -> str:
        """The template database with the schema, built once per run by build_schema(url)."""
        if not self.has_template:
            self.drop(self.template_name)
            with self.engine.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.template_name}"'))
            build_schema(self.url_of(self.template_name))
            self.has_template = True
        return self.template_name

    def close(self) -> None:
        if self.has_template:
            self.drop(self.template_name)
        self.engine.dispose()
