"""Shared fixtures: the app on a fresh database, clients signed in as each role, and factories."""

import asyncio
import itertools
import os
import socket
import subprocess
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser

import pytest
from aiosmtpd.controller import Controller
from flask import g, request_started, url_for
from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url

from tests.databases import SERVER_URL, PostgresServer
from vendortrack import create_app
from vendortrack.accounts.models import Role, User
from vendortrack.addenda.models import Addendum, AddendumClause
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.register.models import ConsentBasis, DataSharing, Level, Vendor, VendorStatus
from vendortrack.register.services import refresh_risk_tier
from vendortrack.reminders.models import MailMessage, MailStatus
from vendortrack.reviews.checklist import CHECKLIST
from vendortrack.reviews.models import EvidenceFile, Outcome, Review, ReviewCondition

PASSWORD = "correct horse battery"


# Debian's, which the browser journeys drive, unless the variable points at another.
BROWSER = os.environ.get("VENDORTRACK_TEST_CHROMIUM") or "/usr/bin/chromium"


def pytest_report_header(config):
    database = f"PostgreSQL at {make_url(SERVER_URL)}" if SERVER_URL else "SQLite"  # no password
    return [f"database: {database}", f"browser journeys: {BROWSER}: {browser_version()}"]


def browser_version() -> str:
    try:
        version = subprocess.run(
            [BROWSER, "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except OSError:
        version = "not installed (make test installs it; or set VENDORTRACK_TEST_CHROMIUM)"
    return version


def free_port() -> int:
    """A loopback port nothing listens on now (aiosmtpd cannot be asked for port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """What a real SMTP server on loopback received, and the addresses it is told to refuse."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()
        self.busy = False  # answer every message "try again later"
        self.delay = 0.0  # seconds to think before answering each message
        self.refuse_sender = False  # answer MAIL FROM as a server wanting a login
        self.attempted: list[EmailMessage] = []

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.refuse_sender:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        if self.busy:
            self.attempted.append(
                message_from_bytes(envelope.original_content, policy=policy.default)
            )
            return "451 4.3.0 Busy, try again later"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        self.messages.clear()
        self.envelopes.clear()
        self.refuse.clear()
        self.busy = False
        self.delay = 0.0
        self.refuse_sender = False
        self.attempted.clear()


def start_smtp_server(mailbox: Mailbox, port: int | None = None) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller


@pytest.fixture(scope="session")
def smtp_server():
    """One SMTP server for the whole run; every app in the tests sends its mail there."""
    mailbox = Mailbox()
    controller = start_smtp_server(mailbox)
    yield mailbox, controller.port
    controller.stop()


@pytest.fixture(autouse=True)
def no_unexpected_mail(request, smtp_server):
    """Fail any test that sends mail without asking for the `smtp` fixture."""
    mailbox, _ = smtp_server
    mailbox.clear()
    yield
    if "smtp" not in request.fixturenames and mailbox.messages:
        subjects = [m["Subject"] for m in mailbox.messages]
        mailbox.clear()
        pytest.fail(f"this test sent mail it did not expect: {subjects}")


@pytest.fixture
def smtp(smtp_server) -> Mailbox:
    """The mailbox of the tests' SMTP server, empty at the start of the test."""
    return smtp_server[0]


@pytest.fixture(scope="session")
def postgres():
    """The tests' PostgreSQL server when the suite runs on PostgreSQL, else None."""
    if not SERVER_URL:
        yield None
        return
    server = PostgresServer(SERVER_URL)
    yield server
    server.close()


def build_schema(url: str) -> None:
    engine = create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()


@pytest.fixture
def new_database(tmp_path, postgres):
    """new_database(schema=True) -> the URL of a database of this test's own, on the database the
    suite runs on: with the models' tables, or empty (for the migrations). Dropped afterwards."""
    created = []

    def make(schema: bool = True) -> str:
        if postgres is None:
            url = f"sqlite:///{tmp_path}/db{len(created)}.sqlite"
            created.append(url)
            if schema:
                build_schema(url)
            return url
        template = postgres.template(build_schema) if schema else None
        name = postgres.create(template)
        created.append(name)
        return postgres.url_of(name)

    yield make
    if postgres is not None:
        for name in created:
            postgres.drop(name)


@pytest.fixture
def database_url(new_database) -> str:
    """The database of the test's app: a fresh one with the schema (a module may override it)."""
    return new_database()


@pytest.fixture
def app_settings() -> dict:
    """Settings a test module adds to its app's, by overriding this fixture."""
    return {}


@pytest.fixture
def app(database_url, app_settings, tmp_path, smtp_server):
    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_server[1],
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "SCHEDULER_LOCK": str(tmp_path / "scheduler.lock"),
            **app_settings,
        }
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_numbers = itertools.count(1)


@pytest.fixture
def create_user(app):
    def make(role=Role.OWNER, **overrides) -> User:
        n = next(_numbers)
        values = {"email": f"user{n}@example.org", "name": f"User {n}", "role": Role(role)}
        values.update(overrides)
        password = values.pop("password", PASSWORD)
        user = User(**values)
        if password:
            user.set_password(password)
        db.session.add(user)
        db.session.commit()
        # A test that creates users stands for an installation already set up, whatever roles
        # it needs; the set-up gate itself is tested on an empty one (tests/accounts/test_setup).
        app.extensions["vendortrack_has_admin"] = True
        return user

    return make


@pytest.fixture
def create_vendor(app):
    def make(sharings=(), **overrides) -> Vendor:
        n = next(_numbers)
        values = {
            "name": f"Vendor {n}",
            "country": "CA",
            "status": VendorStatus.ACTIVE,
            "criticality": Level.MEDIUM,
        }
        values.update(overrides)
        vendor = Vendor(**values)
        for sharing in sharings:
            vendor.sharings.append(make_sharing(**sharing))
        refresh_risk_tier(vendor, app.config["HOME_COUNTRY"])
        db.session.add(vendor)
        db.session.commit()
        return vendor

    return make


def make_sharing(**overrides) -> DataSharing:
    locations = overrides.pop("locations", ["CA"])
    values = {
        "category": "identity_contact",
        "data_subjects": ["customers"],
        "purpose": "Deliver orders",
        "consent_basis": ConsentBasis.IMPLIED,
        "retention_months": 24,
    }
    values.update(overrides)
    sharing = DataSharing(**values)
    sharing.location_codes = locations
    return sharing


def sign_in(client, user: User, password: str = PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, "sign-in failed"
    return client


@pytest.fixture
def signed_in(app, create_user):
    """signed_in(role) -> a test client signed in as a new user with that role."""

    def make(role=Role.ADMIN, **overrides):
        user = create_user(role, **overrides)
        client = app.test_client()
        sign_in(client, user)
        client.user = user
        return client

    return make


@pytest.fixture(autouse=True)
def fresh_request_globals(request):
    """Give every test request an empty `g`, as a real server does.

    The `app` fixture keeps an application context pushed for the whole test, and Flask reuses a
    pushed context for every request, so without this what one request caches in `g` leaks into
    the next, even from another client: the signed-in user (Flask-Login), the locale (Flask-Babel)
    and the CSRF token (Flask-WTF). An anonymous client would act as whoever signed in last.
    """
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")

    def clear_globals(sender, **extra):
        for name in list(vars(g)):
            delattr(g, name)

    request_started.connect(clear_globals, app, weak=False)
    yield
    request_started.disconnect(clear_globals, app)


@pytest.fixture
def client_for(app):
    """client_for(user, password=PASSWORD) -> a new test client signed in as that user."""

    def make(user: User, password: str = PASSWORD):
        return sign_in(app.test_client(), user, password)

    return make


class _FieldErrors(HTMLParser):
    """Collects the error messages shown inside the form group of one field (see _form.html)."""

    VOID = frozenset({"input", "br", "img", "meta", "link", "hr"})

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.stack: list[dict] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if attrs.get("name") == self.name and tag in {"input", "select", "textarea"}:
            group = next((e for e in reversed(self.stack) if "mb-3" in e["classes"]), None)
            if group is not None:
                group["holds_field"] = True
        if tag in self.VOID:
            return
        group = next((e for e in reversed(self.stack) if "mb-3" in e["classes"]), None)
        feedback = "invalid-feedback" in classes and group is not None and group["holds_field"]
        self.stack.append(
            {"classes": classes, "holds_field": False, "text": [] if feedback else None}
        )

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.stack:
            return
        element = self.stack.pop()
        if element["text"] is not None:
            self.errors.append(" ".join("".join(element["text"]).split()))

    def handle_data(self, data):
        for element in self.stack:
            if element["text"] is not None:
                element["text"].append(data)


@pytest.fixture
def field_errors():
    """field_errors(html, name) -> the error messages the page shows next to that form field."""

    def find(html: str, name: str) -> list[str]:
        parser = _FieldErrors(name)
        parser.feed(html)
        return parser.errors

    return find


@pytest.fixture
def count_queries():
    """count_queries(fn) -> how many SQL statements fn() sent to the database."""

    def count(fn) -> int:
        statements = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        db.session.expunge_all()  # the request loads what it needs, as on a real server
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            fn()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    return count


@pytest.fixture
def create_addendum(app):
    """create_addendum(vendor, **overrides) -> a recorded addendum with a small document and a
    signed copy, without building a real document (tests of the builder do that)."""

    def make(vendor, **overrides) -> Addendum:
        values = {
            "vendor": vendor,
            "language": "en",
            "facts": {"facts": {}, "values": {}},
            "effective_date": date(2026, 1, 1),
            "filename": "addendum.docx",
            "sha256": "0" * 64,
            "document": b"PK fake document",
            "signed_filename": "signed.pdf",
            "signed_copy": b"%PDF-1.4 fake %%EOF",
            "clauses": [AddendumClause(clause_id="protection", version=1, position=1)],
        }
        values.update(overrides)
        addendum = Addendum(**values)
        db.session.add(addendum)
        db.session.commit()
        return addendum

    return make


@pytest.fixture
def settings(app):
    """Our organisation's settings, filled in as legal would before generating addenda."""
    row = OrganisationSettings(
        id=1,
        legal_name="Centres Sportifs Boréal inc.",
        address="1 rue du Parc, Montréal",
        privacy_officer_name="Amélie Roy",
        privacy_officer_email="vie.privee@boreal.example",
        home_jurisdiction="CA-QC",
        breach_notice_hours=24,
        access_forwarding_days=10,
        signatory_name="Louis Tremblay",
        signatory_title="Président",
    )
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def url_values(app, create_vendor, create_user, create_addendum, create_review):
    """url_values(vendor_owner=None, language="en") -> URL arguments naming real rows, for
    tests that walk every route: a fresh vendor each call, since some requests (terminate,
    remove a sharing row) change what they act on."""
    someone = create_user(Role.OWNER, password=None)
    message = MailMessage(
        to_address=someone.email,
        subject="VendorTrack: 1 reminder",
        text_body="Hello",
        html_body="<p>Hello</p>",
        message_id="<walk@example.org>",
        status=MailStatus.SENT,
        transport="smtp",
    )
    db.session.add(message)
    db.session.commit()

    def make(vendor_owner=None, language="en"):
        vendor = create_vendor(owner=vendor_owner, sharings=[{"category": "health"}])
        return {
            "vendor_id": vendor.id,
            "addendum_id": create_addendum(vendor).id,
            **create_review(vendor),
            "sharing_id": vendor.sharings[0].id,
            "user_id": someone.id,
            "code": language,
            "message_id": message.id,
            "token": "x" * 43,
        }

    return make


def build_url(app, rule, values) -> str:
    """The URL of a rule of the URL map, with its arguments taken from values."""
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


@pytest.fixture
def create_review(app):
    """create_review(vendor) -> the ids of a completed review, one of its conditions and one of
    its evidence files, recorded directly (tests/reviews exercise the real form)."""

    def make(vendor) -> dict[str, int]:
        review = Review(
            vendor_id=vendor.id,
            completed_on=date(2026, 1, 10),
            outcome=Outcome.APPROVED_WITH_CONDITIONS,
            checklist=dict.fromkeys(CHECKLIST, "yes"),
            conditions=[ReviewCondition(text="Send the SOC 2 report", due_on=date(2026, 3, 1))],
            evidence=[
                EvidenceFile(
                    filename="e.png",
                    content_type="image/png",
                    size=8,
                    sha256="0" * 64,
                    data=b"\x89PNG\r\n\x1a\n",
                )
            ],
        )
        db.session.add(review)
        db.session.commit()
        return {
            "review_id": review.id,
            "condition_id": review.conditions[0].id,
            "evidence_id": review.evidence[0].id,
        }

    return make
