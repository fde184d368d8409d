"""Random input thrown at every form and at the vendor import: no answer may be a server error.

The forms are found the way a browser finds them: each route of the URL map that takes a POST is
opened as someone allowed to use it, and the <form> sending to it is read from the page (its
inputs, selects, textareas and buttons, with the values the page shows). Hypothesis then sends
what a careless, hurried or hostile person could: any text (NUL, right-to-left marks, emoji,
5,000 characters, SQL and HTML), impossible dates, huge and non-numbers, choices the list does not
offer, fields left out or sent twice, fields nobody asked for, and broken Word and PDF files.
Every answer must be below 500 and carry no stack trace. Refusals are the forms' own business
(their tests check the words); here only "never a crash" is checked.

Each route is its own test, so that a failure names it; the database keeps what earlier examples
saved, as a real one would.
"""

import csv
import io
import logging
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from docx import Document
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter
from sqlalchemy import select

from tests.fixtures.factories import create_change
from tests.helpers import PASSWORD, app_context
from vendortrack.accounts.models import Role
from vendortrack.contracts.models import AgreementDocument
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.organisation.services import SETTINGS_FIELDS, save_settings
from vendortrack.register.csvcolumns import COLUMN_NAMES, EXPORT_COLUMN_NAMES
from vendortrack.vendors.xlsxfile import xlsx_bytes

# Bounded and reproducible: the same examples on every run and in CI (derandomize), no example
# database in .hypothesis/ (database=None), no time limit per example (a busy machine is slow).
# Examples are drawn by a function inside each test, once its page is read: the fixtures are
# made once per test, and hypothesis never sees them. How many: --fuzz-examples (conftest.py).
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- What the forms are sent -------------------------------------------------------------------

NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u05e9\u05dc\u05d5\u05dd\u200e",  # RTL mark, Hebrew, LTR mark
    "\ufeff",
    "\r\n\t",
    "😀👩🏽‍💻🇨🇦",
    "Ω≈ç√∫˜µ≤≥÷ ß ﬃ ﷺ",  # characters that grow when casefolded or decomposed
    "' OR 1=1 --",
    "'; DROP TABLE vendors; --",
    "%",
    "_",
    "\\",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "%(name)s %s {0}",
    "=cmd|' /C calc'!A0",
    "../../etc/passwd",
    "null",
    "None",
    "ß" * 200,
    "ﷺ" * 120,
]
BAD_DATES = [
    "2026-02-30",
    "2026-02-29",
    "2024-02-29",
    "2026-13-01",
    "2026-00-10",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "-2026-01-01",
    "2026-1-1",
    "31/12/2026",
    "2026-01-01T00:00",
    "２０２６-０１-０１",
    "today",
    "NaN",
]
BAD_DATETIMES = [
    "2026-03-08T02:30",  # a local time that never happened (spring forward in Toronto)
    "2026-11-01T01:30",  # and one that happened twice (fall back)
    "0001-01-01T00:00",
    "9999-12-31T23:59",  # already the year 10000 in UTC, from anywhere west of Greenwich
    "9999-12-31T21:00",
    "2026-02-30T10:00",
    "2026-01-01T24:00",
    "2026-01-01 10:00",
    "2026-01-01T10:00:00Z",
    "2026-01-01",
]
BAD_NUMBERS = [
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "1e3",
    "-0",
    "0",
    "-1",
    "2147483647",
    "2147483648",
    "9223372036854775808",
    "9" * 400,
    "9" * 5000,
    "1_000",
    "١٢٣",  # Arabic-Indic digits, which int() accepts
    "１２",  # full-width digits
    " 7 ",
    "+7",
    "7.5",
    "0x10",
]
EXTENSIONS = [".docx", ".pdf", ".csv", ".txt", ".png", ".jpg", ".xlsx", ".DOCX", ".PDF", "", ".exe"]


def long_text():
    # Up to ~5,000 characters without asking hypothesis to draw each one.
    return st.builds(
        lambda c, n: c * n, st.characters(blacklist_categories=["Cs"]), st.integers(200, 5000)
    )


TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=300),
    long_text(),
)
EMAILS = st.one_of(st.emails().map(str), TEXT)
URLS = st.one_of(st.builds("https://{}.example/{}".format, st.text(max_size=20), TEXT), TEXT)


def mostly(odd: list[str], *others):
    """One of the odd values, more often than anything else: they are the point."""
    return st.sampled_from([True, True, False]).flatmap(
        lambda pick: st.sampled_from(odd) if pick else st.one_of(*others)
    )


DATES = mostly(BAD_DATES, st.dates().map(date.isoformat), TEXT)
DATETIMES = mostly(BAD_DATETIMES, st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")), TEXT)
NUMBERS = mostly(BAD_NUMBERS, st.integers().map(str), st.floats().map(str), TEXT)
WILD = {
    "text": TEXT,
    "email": EMAILS,
    "url": URLS,
    "date": DATES,
    "datetime-local": DATETIMES,
    "number": NUMBERS,
}
# What a careful person types, by kind of field and, where the kind says too little, by name:
# a request must get past the first check to reach the code behind it.
WORDS = st.text("abcdefghijklmnopqrstuvwxyzé ", min_size=1, max_size=15).map(lambda w: w + "x")
PLAUSIBLE = {
    "text": WORDS,
    "email": st.builds("{}@example.org".format, st.text("abcdefgh", min_size=1, max_size=8)),
    "url": st.just("https://example.com/privacy"),
    "date": st.dates(date(2000, 1, 1), date(2030, 12, 31)).map(date.isoformat),
    "datetime-local": st.datetimes(datetime(2000, 1, 1), datetime(2030, 12, 31)).map(
        lambda d: d.strftime("%Y-%m-%dT%H:%M")
    ),
    "number": st.integers(1, 20).map(str),
}
PLAUSIBLE_BY_NAME = {
    "subdivision": st.sampled_from(["", "", "CA-QC"]),
    "contract_start": st.dates(date(2000, 1, 1), date(2015, 12, 31)).map(date.isoformat),
    "contract_end": st.dates(date(2016, 1, 1), date(2030, 12, 31)).map(date.isoformat),
    "due_on": st.dates(date(2027, 1, 1), date(2030, 12, 31)).map(date.isoformat),
    "locations": st.sampled_from(["CA", "CA-QC, US", "DE;FR", ""]),
    "home_jurisdiction": st.sampled_from(["CA-QC", "CA", "FR"]),
    "password": st.just(PASSWORD),
    "confirm": st.just(PASSWORD),
    "current": st.just(PASSWORD),
    "country": st.sampled_from(["CA", "CA", "FR"]),
    "file": st.deferred(lambda: st.tuples(csv_files(), st.just("vendors.csv"))),
}
SCALAR_KINDS = frozenset(WILD)
# Names forms build from patterns (the review's conditions and checklist, the addendum's clauses
# and omission reasons), sent whether or not the page has them.
STRAY_NAMES = [
    "conditions-0-text",
    "conditions-9-due_on",
    "conditions-99-text",
    "conditions--1-text",
    "conditions-x-text",
    "conditions-²-text",  # a digit to str.isdigit(), not to int()
    "conditions-" + "9" * 5000 + "-text",
    "\r",  # garbles a multipart header: the part arrives with no name at all
    "a\nb",
    "check_unknown",
    "clauses",
    "omit_unknown",
    "action",
    "csrf_token",
    "next",
]


def minimal_docx() -> bytes:
    out = io.BytesIO()
    document = Document()
    document.add_paragraph("Signed")
    document.save(out)
    return out.getvalue()


def minimal_pdf() -> bytes:
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return out.getvalue()


DOCX, PDF, PNG = minimal_docx(), minimal_pdf(), b"\x89PNG\r\n\x1a\n" + bytes(32)


def damaged(original: bytes):
    """A file cut short, or with some of its bytes changed, mostly near its start, where a zip
    keeps its first parts and a PDF its header."""
    cut = st.integers(0, len(original)).map(lambda n: original[:n])
    position = st.one_of(
        st.integers(0, min(len(original), 600) - 1), st.integers(0, len(original) - 1)
    )
    flips = st.lists(st.tuples(position, st.integers(0, 255)), min_size=1, max_size=8)
    return st.one_of(cut, flips.map(lambda changes: _flip(original, changes)))


def _flip(data: bytes, changes) -> bytes:
    data = bytearray(data)
    for position, value in changes:
        data[position] = value
    return bytes(data)


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


# A zip that looks like a .docx from outside, with anything inside.
FAKE_DOCX = st.dictionaries(
    st.sampled_from(
        [
            "[Content_Types].xml",
            "[content_types].xml",
            "word/document.xml",
            "WORD/Document.xml",
            "word/_rels/document.xml.rels",
            "_rels/.rels",
            "word/vbaProject.bin",
            "word/styles.xml",
        ]
    ),
    st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)),
).map(zip_of)
DOCX_LIKE = st.one_of(st.just(DOCX), damaged(DOCX), FAKE_DOCX, FAKE_DOCX.flatmap(damaged))
PDF_LIKE = st.one_of(
    st.just(PDF), damaged(PDF), st.binary(max_size=2000).map(lambda b: b"%PDF-1.7\n" + b)
)
ANY_BYTES = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from(
        [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]
    ),
)
# Any character a multipart header can carry (not line breaks or quotes), and names too long.
NAME_CHARACTERS = st.characters(blacklist_categories=["Cs"], blacklist_characters='"\r\n')
STEMS = st.one_of(
    st.text(NAME_CHARACTERS, max_size=30),
    st.builds(lambda c, n: c * n, NAME_CHARACTERS, st.integers(250, 400)),
)


def named(contents, extensions):
    return st.tuples(contents, st.builds(str.__add__, STEMS, st.sampled_from(extensions)))


# Mostly a file whose name says what it nearly is, so that it reaches the check of that kind.
FILES = st.one_of(
    named(DOCX_LIKE, [".docx", ".DOCX"]),
    named(PDF_LIKE, [".pdf", ".PDF"]),
    named(st.one_of(DOCX_LIKE, PDF_LIKE, ANY_BYTES), EXTENSIONS),
)


# --- Reading the forms off the pages -----------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # an input type, "textarea", "select", "file", or "choice" (radio, button)
    options: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # what the page sends if left as it is
    multiple: bool = False


@dataclass
class HtmlForm:
    action: str
    method: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)


class FormReader(HTMLParser):
    """Every <form> of a page with its fields, as a browser would submit them."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.select: Field | None = None
        self.option: dict | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            self.form = HtmlForm(
                urlsplit(a.get("action") or self.page_url).path,
                (a.get("method") or "get").upper(),
                a.get("enctype") == "multipart/form-data",
            )
            self.forms.append(self.form)
        elif self.form is None or (not a.get("name") and tag != "option"):
            return
        elif tag == "input":
            self._input(a)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._add(a["name"], "choice", a.get("value", ""), not self._has(a["name"]))
        elif tag == "select":
            self.select = self._field(a["name"], "select")
            self.select.multiple = "multiple" in a
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea":
            self.textarea = self._field(a["name"], "textarea")
            self.textarea.shown = [""]

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea.shown[0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option" and self.option is not None:
            value = self.option["value"]
            value = self.option["text"].strip() if value is None else value
            self.select.options.append(value)
            if self.option["selected"]:
                self.select.shown.append(value)
            self.option = None
        elif tag == "select" and self.select is not None:
            if not self.select.shown and self.select.options and not self.select.multiple:
                self.select.shown = self.select.options[:1]  # a browser sends the first
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the newline that starts a textarea's content.
            text = self.textarea.shown[0]
            self.textarea.shown[0] = (
                text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            )
            self.textarea = None

    def _input(self, a):
        kind = a.get("type", "text").lower()
        name = a["name"]
        if kind in ("checkbox", "radio"):
            value = a.get("value", "on")
            self._add(name, "checkbox" if kind == "checkbox" else "choice", value, "checked" in a)
        elif kind in ("submit", "image"):
            self._add(name, "choice", a.get("value", ""), not self._has(name))
        elif kind == "file":
            self._field(name, "file").multiple = "multiple" in a
        elif kind not in ("reset", "button"):
            scalar = kind if kind in SCALAR_KINDS else "text"
            self._field(name, scalar).shown = [a.get("value", "")]

    def _has(self, name: str) -> bool:
        return name in self.form.fields

    def _field(self, name: str, kind: str) -> Field:
        return self.form.fields.setdefault(name, Field(name, kind))

    def _add(self, name: str, kind: str, value: str, shown: bool) -> None:
        f = self._field(name, kind)
        f.options.append(value)
        f.multiple = kind == "checkbox"
        if shown:
            f.shown.append(value)


def forms_on(client, page_url: str) -> list[HtmlForm]:
    response = client.get(page_url)
    assert response.status_code == 200, f"GET {page_url}: {response.status_code}"
    reader = FormReader(page_url)
    reader.feed(response.get_data(as_text=True))
    return reader.forms


def form_for(client, page_url: str, action: str, method: str) -> HtmlForm:
    """The fields of every form on the page that sends to action (the calendar page has one form
    per button), merged."""
    found = [f for f in forms_on(client, page_url) if f.action == action and f.method == method]
    assert found, f"no {method} form sending to {action} on {page_url}"
    merged = HtmlForm(action, method, any(f.multipart for f in found))
    for form in found:
        for name, f in form.fields.items():
            if name not in merged.fields:
                merged.fields[name] = f
            else:
                merged.fields[name].options += f.options
    merged.fields.pop("csrf_token", None)  # the tests' forms carry no token
    return merged


# --- Turning a form into requests --------------------------------------------------------------


def plausible(f: Field):
    """A value the page would accept, or at least one a person would send."""
    by_name = PLAUSIBLE_BY_NAME.get(f.name.rpartition("-")[2])  # conditions-0-due_on: due_on
    if by_name is not None:
        return by_name.map(lambda v: [v])
    if f.kind == "file":  # a damaged file is a plausible upload too: a download cut short
        good = [[], [(DOCX, "signed.docx")], [(PDF, "signed.pdf")], [(PNG, "e.png")]]
        return st.one_of(st.sampled_from(good), FILES.map(lambda file: [file]))
    if f.kind == "checkbox":
        return st.lists(st.sampled_from(f.options), unique=True)
    if f.options:  # an empty choice is mostly "required" or "none": wild() sends it
        return st.sampled_from([o for o in f.options if o] or f.options).map(lambda v: [v])
    typed = PLAUSIBLE.get(f.kind, WORDS).map(lambda v: [v])
    return st.one_of(st.just(f.shown), typed) if any(v.strip() for v in f.shown) else typed


def wild(f: Field):
    """Anything at all: odd values, the field left out, or sent several times."""
    if f.kind == "file":
        one = FILES
    elif f.options:
        one = st.one_of(TEXT, st.sampled_from(f.options))
    else:
        one = WILD.get(f.kind, TEXT)
    return st.sampled_from(["one", "one", "one", "missing", "twice"]).flatmap(
        lambda how: {
            "one": one.map(lambda v: [v]),
            "missing": st.just([]),
            "twice": st.lists(one, min_size=2, max_size=3),
        }[how]
    )


@st.composite
def submissions(draw, form: HtmlForm, always_odd=frozenset()):
    """Whole submissions of the form: plausible, but for a few fields sent anything at all, and
    now and then a field it never asked for."""
    names = sorted(form.fields)
    odd = draw(st.sets(st.sampled_from(names), max_size=3)) if names else set()
    odd |= always_odd
    values = {
        name: draw(wild(f) if name in odd else plausible(f)) for name, f in form.fields.items()
    }
    stray = st.one_of(st.sampled_from(STRAY_NAMES), st.text(max_size=10))
    for name, value in draw(st.dictionaries(stray, TEXT, max_size=2)).items():
        values.setdefault(name, [value])
    return values


def as_request(values: dict[str, list]) -> dict[str, list]:
    """Werkzeug's test client data: files as (stream, name), a fresh stream per request."""
    return {
        name: [(io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for v in items]
        for name, items in values.items()
        if items
    }


class ErrorLog(logging.Handler):
    """Keeps what the app logged while failing, so that a failure shows the trace."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record):
        self.records.append(self.format(record))


@pytest.fixture
def error_log(app):
    handler = ErrorLog()
    app.logger.addHandler(handler)
    yield handler
    app.logger.removeHandler(handler)


def check(response, what: str, error_log: ErrorLog) -> None:
    body = response.get_data()
    logged = "\n".join(error_log.records[-1:])
    error_log.records.clear()
    assert response.status_code < 500, f"{what} -> {response.status_code}\n{logged}"
    assert b"Traceback" not in body, f"{what} showed a stack trace"


def send(client, form: HtmlForm, values: dict, error_log: ErrorLog) -> None:
    data = as_request(values)
    if form.method == "GET":
        query = [(name, v) for name, items in data.items() for v in items]
        response = client.get(form.action, query_string=query)
    else:
        content_type = "multipart/form-data" if form.multipart else None
        response = client.post(form.action, data=data, content_type=content_type)
    check(response, f"{form.method} {form.action}", error_log)


# --- The routes --------------------------------------------------------------------------------

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Case:
    endpoint: str  # where the form is sent
    role: str  # who fills it in
    page: str | None  # the page the form is on; None: SCRIPTED says what is sent
    method: str = "POST"
    form_of: str | None = None  # whose form is sent here, when not this endpoint's own

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint} as {self.role}"


GET = "GET"
CASES = [
    Case("accounts.setup", ANONYMOUS, "accounts.setup"),
    Case("accounts.login", ANONYMOUS, "accounts.login"),
    Case("accounts.language", ANONYMOUS, "accounts.login"),
    Case("accounts.account", "admin", "accounts.account"),
    Case("accounts.password", "admin", "accounts.password"),
    Case("accounts.create", "admin", "accounts.create"),
    Case("accounts.edit", "admin", "accounts.edit"),
    Case("vendors.create", "admin", "vendors.create"),
    Case("vendors.edit", "admin", "vendors.edit"),
    Case("vendors.edit", "owner", "vendors.edit"),  # without owner and "terminated"
    Case("vendors.terminate", "admin", "vendors.terminate"),
    Case("vendors.risk", "admin", "vendors.risk"),
    Case("vendors.sharing_create", "admin", "vendors.sharing_create"),
    Case("vendors.sharing_edit", "owner", "vendors.sharing_edit"),
    Case("vendors.sharing_delete", "admin", "vendors.detail"),
    Case("vendors.sub_processor_create", "owner", "vendors.sub_processor_create"),
    Case("vendors.sub_processor_edit", "admin", "vendors.sub_processor_edit"),
    Case("vendors.sub_processor_delete", "admin", "vendors.detail"),
    Case("vendors.change_create", "owner", "vendors.change_create"),
    Case("vendors.change_decide", "legal", "vendors.change_decide"),
    Case("vendors.import_csv", "manager", "vendors.import_csv"),
    Case("addenda.create", "legal", "addenda.create"),
    Case("addenda.sent", "legal", "addenda.detail"),
    Case("addenda.sign", "legal", "addenda.detail"),
    Case("addenda.language", "legal", "addenda.detail"),
    Case("addenda.regenerate_batch", "legal", None),  # sent by the outdated page's script
    Case("contracts.upload", "legal", "contracts.review"),
    Case("contracts.decision", "legal", "contracts.review"),
    Case("contracts.remove", "admin", "contracts.review"),
    Case("contracts.gap", "legal", "contracts.review"),
    Case("contracts.recheck", "legal", "contracts.review"),
    Case("organisation.edit", "admin", "organisation.edit"),
    Case("reviews.create", "owner", "reviews.create"),
    Case("reviews.incident", "legal", "reviews.index"),
    Case("reviews.condition_met", "admin", "reviews.detail"),
    Case("reviews.policy", "admin", "reviews.policy"),
    Case("feeds.index", "owner", "feeds.index"),
    Case("questionnaires.send", "owner", "questionnaires.send"),
    Case("assurance.create", "owner", "assurance.create"),
    Case("assurance.remove", "admin", "vendors.detail"),
    Case("assurance.policy", "admin", "assurance.policy"),
    Case("questionnaires.resend", "legal", "questionnaires.resend"),
    Case("questionnaires.revoke_link", "manager", "questionnaires.request_detail"),
    Case("questionnaires.keep_file", "legal", "questionnaires.keep_file"),
    # The vendor's pages, by link without an account.
    Case("vendor_link.save", ANONYMOUS, "vendor_link.answer"),
    Case("vendor_link.file_remove", ANONYMOUS, "vendor_link.answer"),
    Case("vendor_link.language", ANONYMOUS, "vendor_link.answer"),
    # The search forms, and the exports that take the same filters.
    Case("vendors.index", "owner", "vendors.index", GET),
    Case("vendors.export", "manager", "vendors.index", GET, form_of="vendors.index"),
    Case("vendors.export_xlsx", "admin", "vendors.index", GET, form_of="vendors.index"),
    Case("audit.index", "admin", "audit.index", GET),
    Case("audit.export", "admin", "audit.index", GET, form_of="audit.index"),
    Case("reminders.index", "admin", None, GET),  # its pager's links
]
# What is sent where no <form> says it: a page's script, a pager's links.
SCRIPTED = {
    "addenda.regenerate_batch": {"after": Field("after", "number")},
    "reminders.index": {"page": Field("page", "number")},
}
# Routes whose form is about a submitted questionnaire: the scene's submitted one's ids.
SUBMITTED = {"questionnaires.keep_file"}
# Forms whose valid submissions send mail (to the tests' SMTP server).
MAILING = {"questionnaires.send", "questionnaires.resend"}
# Fields always sent at random: set-up succeeds only once, and then answers 404.
ALWAYS_ODD = {"accounts.setup": frozenset({"confirm"})}
# Routes taking a POST that are not fuzzed, and why.
NOT_FUZZED = {
    "accounts.logout": "no fields; it would end the session the other requests need",
    "demo.load": "no fields; it loads the whole sample register, a slow and fixed action",
    "reminders.run": "no fields; it sends the due reminders (tests/reminders covers it)",
}


@pytest.fixture
def scene(
    app,
    create_user,
    create_vendor,
    create_addendum,
    create_review,
    create_agreement,
    create_questionnaire,
    create_document,
):
    """One of each thing the forms act on, and the people who fill them in."""
    people = {role.value: create_user(role) for role in Role}
    settings = dict.fromkeys(SETTINGS_FIELDS, "Example Inc.")
    settings.update(
        privacy_officer_email="privacy@example.org",
        home_jurisdiction="CA-QC",
        breach_notice_hours=72,
        access_forwarding_days=10,
        ccpa_business=True,
        uncapped_liability=True,
        governing_law="CA-QC",
        sub_processor_notice_days=30,
        acts_as_processor=False,
        eu_member_state="IE",
        eu_representative="Example Europe Ltd., Dublin",
        swiss_transfers=False,
        uk_transfers=False,
    )
    with app_context(app):
        save_settings(settings, None, people["admin"], "CA")
        db.session.commit()
    someone = create_user(Role.OWNER, name="Someone Else")
    vendor = create_vendor(
        owner_id=people["owner"].id,  # not the row: the factories' commits would expire it
        sharings=[{"category": "health"}],
        sub_processors=[{}],
        contract_start=date(2025, 1, 1),
        contract_end=date(2027, 12, 31),
        notice_period_days=60,
    )
    agreement = create_agreement(vendor)
    with app_context(app):
        document_id = db.session.scalar(select(AgreementDocument.id))
    ids = {
        "vendor_id": vendor.id,
        "sharing_id": vendor.sharings[0].id,
        "sub_id": vendor.sub_processors[0].id,
        "addendum_id": create_addendum(vendor).id,
        "user_id": someone.id,
        "code": "fr",
        "document_id": document_id,
        "finding_id": agreement.findings[1].id,
        **create_review(vendor),
        **create_questionnaire(vendor),
        # A submitted questionnaire, whose files can be kept (SUBMITTED).
        **{
            f"submitted_{k}": v
            for k, v in create_questionnaire(vendor, submitted_at=utcnow()).items()
        },
        "doc_id": create_document(vendor),
        "change_id": create_change(app, vendor),
    }
    return people, ids


@pytest.fixture
def fuzz(request) -> settings:
    return settings(FUZZ, max_examples=request.config.getoption("fuzz_examples"))


def url(app, endpoint: str, ids: dict) -> str:
    with app.test_request_context():
        rule = next(app.url_map.iter_rules(endpoint))
        return url_for(endpoint, **{name: ids[name] for name in rule.arguments})


def test_every_route_taking_a_post_is_fuzzed_or_says_why_not(app):
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    fuzzed = {case.endpoint for case in CASES if case.method == "POST"}
    guide = "add a Case to CASES, or say in NOT_FUZZED why not (CONTRIBUTING.md, 'Adding a route')"
    assert sorted(posts - fuzzed - NOT_FUZZED.keys()) == [], guide
    assert sorted((fuzzed | NOT_FUZZED.keys()) - posts) == [], "a case names a route that is gone"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_no_form_answers_with_a_server_error(app, request, case, error_log, fuzz):
    ids = {"vendor_id": 1, "sharing_id": 1, "addendum_id": 1, "user_id": 1, "code": "fr"}
    client = app.test_client()
    if case.endpoint != "accounts.setup":  # set-up is for an installation with nobody in it yet
        people, ids = request.getfixturevalue("scene")
        if case.role != ANONYMOUS:
            client = request.getfixturevalue("client_for")(people[case.role])
    if case.endpoint in MAILING:
        request.getfixturevalue("smtp")
    if case.endpoint in SUBMITTED:
        ids = {
            **ids,
            "request_id": ids["submitted_request_id"],
            "file_id": ids["submitted_file_id"],
        }
    target = url(app, case.endpoint, ids)
    if case.page is None:
        form = HtmlForm(target, case.method, False, SCRIPTED[case.endpoint])
    else:
        action = url(app, case.form_of or case.endpoint, ids)
        form = form_for(client, url(app, case.page, ids), action, case.method)
        form.action = target

    @fuzz
    @given(submissions(form, ALWAYS_ODD.get(case.endpoint, frozenset())))
    def fill_in(values):
        send(client, form, values, error_log)

    fill_in()


# --- The vendor import -------------------------------------------------------------------------

# Two rows a spreadsheet user would write: a vendor alone, and a vendor with one kind of data.
VENDOR_ROW = {
    "vendor_name": "Acme",
    "country": "CA",
    "subdivision": "CA-QC",
    "status": "active",
    "criticality": "high",
    "website": "https://acme.example",
    "contact_email": "privacy@acme.example",
    "contract_start": "2025-01-01",
    "contract_end": "2027-12-31",
    "notice_period_days": "60",
    "auto_renewal": "yes",
}
SHARING_ROW = {
    **VENDOR_ROW,
    "category": "health",
    "data_subjects": "customers;employees",
    "purpose": "Payroll",
    "locations": "CA-QC;US",
    "subjects_in_quebec": "oui",
    "consent_basis": "express",
    "retention_months": "24",
    "record_count": "1000",
    "shared_since": "2025-02-01",
}
# What else a cell may hold, by column: anything, and the odd values of its kind.
WILD_CELLS = {
    "vendor_name": st.one_of(st.sampled_from(["ACME ", "Émile", "ß" * 200, "ﷺ" * 100]), TEXT),
    "country": st.one_of(st.sampled_from(["fr", "ZZ", "C", "CAN"]), TEXT),
    "subdivision": st.one_of(st.sampled_from(["US-CA", "CA-ZZ", "ca-qc"]), TEXT),
    "website": st.one_of(URLS, st.sampled_from(["http://[::1", "https://x", "https://a.b c"])),
    "status": st.one_of(st.sampled_from(["Terminated", "prospect"]), TEXT),
    "criticality": st.one_of(st.sampled_from(["low", "CRITICAL"]), TEXT),
    "owner_email": st.one_of(st.sampled_from(["nobody@example.org", "USER1@EXAMPLE.ORG"]), EMAILS),
    "contact_email": EMAILS,
    "contract_start": DATES,
    "contract_end": DATES,
    "shared_since": DATES,
    "notice_period_days": NUMBERS,
    "retention_months": NUMBERS,
    "record_count": NUMBERS,
    "retention_until_contract_end": st.one_of(st.just("yes"), TEXT),
    "category": st.one_of(st.sampled_from(["financial", "Health", "identity_contact"]), TEXT),
    "data_subjects": st.one_of(st.sampled_from(["customers;x", ";;"]), TEXT),
    "locations": st.one_of(st.sampled_from(["ZZ", "CA,,FR", "ca-qc"]), TEXT),
    "consent_basis": st.one_of(st.sampled_from(["opt-out", "implied", "OPT_OUT"]), TEXT),
}
HEADERS = st.sampled_from(["plain", "plain", "plain", "export", "shuffled", "odd"]).flatmap(
    lambda kind: {
        "plain": st.just(COLUMN_NAMES),
        "export": st.just(EXPORT_COLUMN_NAMES),
        "shuffled": st.permutations(COLUMN_NAMES),
        "odd": st.lists(
            st.sampled_from([*EXPORT_COLUMN_NAMES, "", "extra", "VENDOR_NAME "]), max_size=40
        ),
    }[kind]
)
NAMES = ["Acme", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "acme", "Éta"]


@st.composite
def csv_rows(draw, header: list[str]) -> list[str]:
    """A plausible row with a few cells changed to anything, and sometimes cells too many."""
    row = dict(draw(st.sampled_from([VENDOR_ROW, SHARING_ROW])))
    row["vendor_name"] = draw(st.sampled_from(NAMES))
    for name in draw(st.sets(st.sampled_from(header), max_size=2)) if header else ():
        row[name] = draw(WILD_CELLS.get(name, TEXT))
    extra = draw(st.sampled_from([[], [], [], [""], ["surplus"]]))
    return [row.get(name, "") for name in header] + extra


@st.composite
def csv_files(draw) -> bytes:
    header = draw(HEADERS)
    rows = draw(st.lists(csv_rows(header), max_size=3))
    delimiter = draw(st.sampled_from([",", ";"]))
    text = io.StringIO(newline="")
    ending = draw(st.sampled_from(["\r\n", "\n"]))
    writer = csv.writer(text, delimiter=delimiter, lineterminator=ending)
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "utf-16", "latin-1"]))
    return text.getvalue().encode(encoding, errors="replace")


IMPORT_FILES = st.one_of(
    st.tuples(csv_files(), st.just("vendors.csv")),
    st.tuples(st.binary(max_size=3000), st.sampled_from(["vendors.csv", "vendors.txt", "v.xlsx"])),
    st.tuples(
        st.binary(max_size=500).map((",".join(COLUMN_NAMES) + "\r\n").encode().__add__),
        st.just("vendors.csv"),
    ),
    # The workbook export, sent back as it is or renamed: the import reads CSV only.
    named(st.just(xlsx_bytes([["Acme"] + [""] * (len(EXPORT_COLUMN_NAMES) - 1)])), EXTENSIONS),
)


def test_the_import_never_answers_with_a_server_error(app, scene, client_for, error_log, fuzz):
    people, _ids = scene
    client = client_for(people["admin"])
    target = url(app, "vendors.import_csv", {})

    @fuzz
    @given(IMPORT_FILES)
    def upload(file):
        data, name = file
        response = client.post(
            target, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
        )
        check(response, f"import of {len(data)} bytes as {name!r}", error_log)

    upload()
