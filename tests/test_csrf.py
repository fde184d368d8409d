"""Cross-site request forgery: every route that changes something refuses a request without the
form's token, and saves nothing.

The walk covers every route in the URL map, so a route added later is held to the same rule
without a line here; one exempt from the token must be listed in EXEMPT with its reason.
"""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.helpers import PASSWORD, app_context, build_url
from vendortrack.accounts.models import Role
from vendortrack.extensions import db

EXPIRED = "The form expired or was sent from elsewhere. Please reload the page and try again."
CHANGING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# endpoint -> why a request from another site may change something there. None today.
EXEMPT: dict[str, str] = {}

# endpoint -> a complete form that changes the database once it carries its token: proof that
# what the walk sends without a token is a real forgery, refused for the token alone. The other
# routes get an empty form (they are refused before the form is read).
FORGERIES = {
    "accounts.account": {"name": "Forged name", "language": "fr"},
    "accounts.password": {
        "current": PASSWORD,
        "password": "forged pass phrase 2026",
        "confirm": "forged pass phrase 2026",
    },
    "accounts.language": {},
    "accounts.create": {
        "name": "Forged admin",
        "email": "forged@example.org",
        "role": "admin",
        "language": "en",
        "active": "y",
        "password": "forged pass phrase 2026",
    },
    "vendors.create": {"name": "Forged", "country": "CA", "status": "active", "criticality": "low"},
    "vendors.terminate": {},
    "vendors.risk": {"tier": "critical", "reason": "Forged"},
    "vendors.sharing_delete": {},
    "addenda.sent": {},
    "reviews.condition_met": {},
    "reviews.incident": {"raised_on": "2025-01-06", "detail": "Forged incident"},
    "reviews.policy": {
        "months_low": 30,
        "months_medium": 20,
        "months_high": 10,
        "months_critical": 5,
    },
    "feeds.index": {"action": "create"},
    "vendor_link.save": {"answer-passwords": "no", "action": "save"},
    "vendor_link.language": {},
    "vendor_link.file_remove": {},
    "questionnaires.revoke_link": {},
    "assurance.policy": {"require_critical_soc2": "y"},
    "assurance.remove": {},
    "vendors.change_decide": {"decision": "objected", "reason": "Forged"},
    "questionnaires.resend": {
        "contact_email": "forged@example.org",
        "language": "en",
        "due_on": (date.today() + timedelta(days=10)).isoformat(),
        "link_days": "30",
    },
    "demo.load": {},
}
# What reading a page may write: who read what (the audit trail's views and exports), the
# dashboard's daily compliance snapshot, taken by the first visit of the day, and the stored
# compliance statuses a page judges again when their day has passed (or the rules' files changed).
READ_RECORDS = {"audit_entries": {"view", "export"}}
READ_TABLES = {"compliance_snapshots", "compliance_basis"}
# GET routes whose reading is itself a fact worth keeping: the vendor opening a questionnaire's
# link marks it opened (its status, for the sender), and the link pages count every request
# against their rate limits. Only who holds the link can cause either.
READ_WRITES = {"vendor_link.answer": {"questionnaire_requests", "link_hits", "audit_entries"}}
READ_COLUMNS = {
    "compliance_status",
    "compliance_reasons",
    "compliance_judged_on",
    "compliance_valid_until",
}
# The language the walk chooses: the admin reads English, so choosing French is a change.
CHANGED_LANGUAGE = "fr"


@pytest.fixture
def app_settings():
    """The shared fixtures' app, with the CSRF protection that the test settings turn off."""
    return {"WTF_CSRF_ENABLED": True}


def csrf_token(page) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert found, f"no CSRF token on {page.request.path}"
    return found.group(1)


def sign_in(app, user):
    """A client signed in as the user through the real form, token and all."""
    client = app.test_client()
    token = csrf_token(client.get("/login"))
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, "sign-in failed"
    return client


@pytest.fixture
def admin(create_user):
    return create_user(Role.ADMIN)


def changing_routes(app):
    """(endpoint, rule, method) for every route that accepts a state-changing method."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        for method in sorted(rule.methods & CHANGING_METHODS):
            if rule.endpoint not in EXEMPT:
                yield rule.endpoint, rule, method


def database_state(app) -> dict[str, list[tuple]]:
    """Every row of every table, as committed (read on a connection of its own), but for the
    columns a read may write."""
    with app_context(app), db.engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(
                    select(*(c for c in table.columns if c.name not in READ_COLUMNS)).order_by(
                        *table.primary_key.columns
                    )
                )
            ]
            for table in db.metadata.sorted_tables
        }


def changed_tables(before, after) -> list[str]:
    return sorted(name for name in before if before[name] != after[name])


def test_the_walk_covers_every_changing_route(app):
    endpoints = {endpoint for endpoint, _rule, _method in changing_routes(app)}
    assert len(endpoints) > 20, f"only {len(endpoints)} routes found: is the walk still walking?"
    assert set(FORGERIES) <= endpoints, "a forgery names a route that is gone"
    assert not set(EXEMPT) - {rule.endpoint for rule in app.url_map.iter_rules()}


def test_every_changing_route_refuses_a_request_without_its_token(app, admin, url_values, smtp):
    client = sign_in(app, admin)
    problems = []
    for endpoint, rule, method in changing_routes(app):
        with app.app_context():  # url_values reads its vendor after another factory's commit
            url = build_url(app, rule, url_values(language=CHANGED_LANGUAGE))
        before = database_state(app)
        response = client.open(url, method=method, data=FORGERIES.get(endpoint, {}))
        if response.status_code != 400 or EXPIRED not in response.text:
            problems.append(f"{method} {url}: {response.status_code}, not the expired-form page")
        if changed := changed_tables(before, database_state(app)):
            problems.append(f"{method} {url}: changed {changed} without a token")
    assert not problems, "\n".join(problems)
    assert client.get("/account").status_code == 200  # the refused logout left us signed in
    assert not smtp.messages  # nor did the refused "Send due reminders now" send anything


def test_the_same_requests_with_their_token_are_accepted(app, create_user, url_values, smtp):
    """The walk is not vacuous: with the token, the same requests go through, and the forgeries
    change the database. A fresh admin for each, since some sign out or change the password."""
    problems = []
    for endpoint, rule, method in changing_routes(app):
        with app.app_context():  # url_values reads its vendor after another factory's commit
            url = build_url(app, rule, url_values(language=CHANGED_LANGUAGE))
        client = sign_in(app, create_user(Role.ADMIN))
        token = csrf_token(client.get("/account"))
        before = database_state(app)
        data = FORGERIES.get(endpoint, {}) | {"csrf_token": token}
        response = client.open(url, method=method, data=data)
        if response.status_code == 400 or EXPIRED in response.text:
            problems.append(f"{method} {url}: refused with its token ({response.status_code})")
        if endpoint in FORGERIES and not changed_tables(before, database_state(app)):
            problems.append(f"{method} {url}: the forgery changes nothing even with its token")
    assert not problems, "\n".join(problems)


def test_the_sign_in_form_refuses_a_post_without_its_token(app, admin):
    client = app.test_client()
    client.get("/login")  # a session of its own, as a browser that opened the page
    before = database_state(app)
    response = client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert response.status_code == 400
    assert EXPIRED in response.text
    assert changed_tables(before, database_state(app)) == []  # no sign-in time recorded
    assert client.get("/account").headers["Location"].startswith("/login")  # not signed in


def test_a_token_from_another_session_is_refused(app, admin, create_vendor):
    """An attacker's own valid token does not sign the victim's forged request."""
    attacker_token = csrf_token(app.test_client().get("/login"))
    victim = sign_in(app, admin)
    vendor = create_vendor()
    before = database_state(app)
    response = victim.post(f"/vendors/{vendor.id}/terminate", data={"csrf_token": attacker_token})
    assert response.status_code == 400
    assert EXPIRED in response.text
    assert changed_tables(before, database_state(app)) == []


def test_reading_a_page_records_only_who_read_it(app, admin, url_values, smtp):
    """Safe methods stay safe: no GET route changes the register, so a link or an image on
    another site cannot make a change that the token would have stopped."""
    client = sign_in(app, admin)
    problems = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        with app.app_context():  # url_values reads its vendor after another factory's commit
            url = build_url(app, rule, url_values(language=CHANGED_LANGUAGE))
        before = database_state(app)
        client.get(url).close()
        after = database_state(app)
        for table in changed_tables(before, after):
            if table in READ_TABLES or only_read_records(table, before[table], after[table]):
                continue
            if table in READ_WRITES.get(rule.endpoint, ()):
                continue
            problems.append(f"GET {url}: changed {table}")
    assert not problems, "\n".join(problems)


def only_read_records(table, before, after) -> bool:
    """Whether the rows added to this table are all records of somebody reading."""
    actions = READ_RECORDS.get(table)
    if actions is None or after[: len(before)] != before:
        return False
    action = db.metadata.tables[table].columns.keys().index("action")
    return all(row[action] in actions for row in after[len(before) :])
