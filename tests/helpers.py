"""Helpers shared by tests: plain functions and constants, which tests import (fixtures are in
tests/fixtures/, and no test imports a conftest)."""

import contextlib
import io
import os
import re
import socket
import sqlite3
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import psycopg
from flask import current_app, has_app_context, url_for
from psycopg import sql
from pypdf import PdfWriter
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url

from vendortrack.accounts.models import User
from vendortrack.extensions import db
from vendortrack.register.models import ConsentBasis, DataSharing, SubProcessor

PASSWORD = "correct horse battery"

# Debian's, which the browser journeys drive, unless the variable points at another.
BROWSER = os.environ.get("VENDORTRACK_TEST_CHROMIUM") or "/usr/bin/chromium"


def free_port() -> int:
    """A loopback port nothing listens on now (aiosmtpd cannot be asked for port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sign_in(client, user: User, password: str = PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, "sign-in failed"
    return client


@contextlib.contextmanager
def app_context(app, *, expire_on_commit: bool = True):
    """The app's context for a factory or a helper: the one the test has open, if any, so that
    what it makes shares the test's session; else one of its own, closed on leaving.

    expire_on_commit=False keeps readable, in a context of its own, the rows a test passed in:
    an owner given to create_vendor joins that session, and its commit would otherwise leave
    the test's row expired, with no session to load it again once the context has closed."""
    if has_app_context() and current_app._get_current_object() is app:
        yield
    else:
        with app.app_context():
            db.session().expire_on_commit = expire_on_commit
            yield


def loaded(row):
    """The row with its columns and its relationships read, so that a test can use them after
    the context that made it has closed (its session is gone, so nothing more can load)."""
    db.session.refresh(row)
    for relationship in inspect(row).mapper.relationships:
        value = getattr(row, relationship.key)
        for child in value if relationship.uselist else [value]:
            if child is not None:
                db.session.refresh(child)
    return row


def fetched(app, model, ident=None):
    """The row of model with that primary key (without one: the table's only row, or None) as
    the database holds it now, read in a context of its own and returned loaded: what a test
    checks after a request."""
    with app.app_context():
        row = db.session.scalar(select(model)) if ident is None else db.session.get(model, ident)
        return row if row is None else loaded(row)


def count(model, *where) -> int:
    """How many rows of model the database holds (of those matching where, if given)."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def make_sharing(**overrides) -> DataSharing:
    locations = overrides.pop("locations", ["CA"])
    values = {
        "category": "identity_contact",
        "data_subjects": ["customers"],
        "purpose": "Deliver orders",
        "purpose_fr": "Livrer les commandes",  # a French addendum needs it
        "consent_basis": ConsentBasis.IMPLIED,
        "retention_months": 24,
    }
    values.update(overrides)
    sharing = DataSharing(**values)
    sharing.location_codes = locations
    return sharing


def make_sub_processor(**overrides) -> SubProcessor:
    values = {
        "name": "Nuage Hébergement inc.",
        "address": "1 place Ville-Marie, Montréal (Québec)",
        "processing": "Hosts the vendor's application and its database",
        "processing_fr": "Héberge l’application du fournisseur et sa base de données",
        "location": "CA-QC",
    }
    values.update(overrides)
    return SubProcessor(**values)


def build_url(app, rule, values) -> str:
    """The URL of a rule of the URL map, with its arguments taken from values."""
    if missing := sorted(set(rule.arguments) - set(values)):
        raise KeyError(
            f"{rule.rule} takes {missing}: make a row for it in the url_values fixture "
            "(tests/fixtures/factories.py; CONTRIBUTING.md, 'Adding a route')"
        )
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


class _FormReader(HTMLParser):
    """The values a browser would send from each form of the page that posts: its text boxes,
    hidden fields, ticked boxes, chosen options and text areas, as the page fills them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self.values: dict[str, list[str]] = {}
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.inside, self.values = True, {}
            self.forms.append(self.values)
        name = a.get("name")
        if not self.inside or (tag != "option" and not name):
            return
        if tag == "input" and a.get("type", "text") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.values.setdefault(name, []).append(a.get("value", "on"))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.values.setdefault(self.select, []).append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = name
            self.values[name] = [""]

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.values[self.textarea][0] = self.values[self.textarea][0].removeprefix("\n")
            self.textarea = None


def form_in(html: str) -> dict[str, list[str]]:
    """The page's main form (the one with the most fields, not the menu's sign-out button) as
    the page fills it: what a browser would send back unchanged."""
    reader = _FormReader()
    reader.feed(html)
    return max(reader.forms, key=len)


def form_on(client, url: str) -> dict[str, list[str]]:
    """The main form of the page at `url`, as form_in reads it."""
    page = client.get(url)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    return form_in(page.text)


def stale_notice(html: str) -> str:
    """The text of the notice of a save refused because someone else saved first ("" if none)."""
    if 'id="stale"' not in html:
        return ""
    notice = html.split('id="stale"', 1)[1].split(">", 1)[1].split("</div>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(notice)).split())


# Addenda: generating through the page, and signed copies.


def generate(client, vendor, language="fr", clauses=None, **extra):
    page = client.get(f"/vendors/{vendor.id}/addenda/new").text
    ticked = (
        clauses
        if clauses is not None
        else re.findall(r'value="(\w+)" id="clause-\w+" checked', page)
    )
    data = {
        "language": language,
        "effective_date": "2027-01-15",
        "negotiated": "no",
        "clauses": ticked,
        "action": "generate",
        # The contract it amends, as the page fills it in: the vendor's reference, if any.
        "contract": getattr(vendor, "contract_reference", None) or "Services agreement",
        **extra,
    }
    return client.post(f"/vendors/{vendor.id}/addenda/new", data=data)


def real_pdf(pages: int = 1) -> bytes:
    """A small but genuine PDF, as a scanner or a signing service would send."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# Reminders: moments on the organisation's clock.

TORONTO = ZoneInfo("America/Toronto")


def at(text: str) -> datetime:
    """A moment given as Toronto wall-clock time ("2026-12-01 08:00"), as aware UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=TORONTO).astimezone(UTC)


# Faults: another connection holding the database's locks.

# How the database says it gave up waiting, as the log line quotes it.
LOCK_GIVEN_UP = {"sqlite": "database is locked", "postgresql": "due to lock timeout"}


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


# Browser journeys.


def browser_sign_in(page, live, user: User) -> None:
    """Sign in through the login page, as a person would, in a real browser."""
    page.goto(f"{live.url}/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
