"""The role test: every route in the URL map, requested by anonymous and by every role.

A route added without a line in EXPECTED fails here, and so does a route whose view declares no
rule, or one that lets somebody through whom the policy (README, *Roles*) keeps out.
"""

from urllib.parse import urlsplit

import pytest

from tests.helpers import build_url
from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db

PUBLIC = "public"
EVERYONE = frozenset({"admin", "legal", "manager", "owner"})
EDITORS = frozenset({"admin", "legal", "manager"})
ADMIN = frozenset({"admin"})
CSV = frozenset({"admin", "manager"})
LEGAL = frozenset({"admin", "legal"})
REVIEWERS = frozenset({"admin", "legal", "owner"})  # owners: only for the vendors they own

# endpoint -> who may open it. Owners pass the role check on vendor editing routes, and are then
# held to the vendors they own (test_owner_edits_only_the_vendors_they_own).
GUIDE = " (CONTRIBUTING.md, 'Adding a route')"
EXPECTED = {
    "accounts.home": PUBLIC,
    "accounts.setup": PUBLIC,  # and a 404 once anybody has an account
    "accounts.login": PUBLIC,
    "accounts.language": PUBLIC,
    "accounts.logout": EVERYONE,
    "accounts.account": EVERYONE,
    "accounts.password": EVERYONE,
    "accounts.users": ADMIN,
    "accounts.create": ADMIN,
    "accounts.edit": ADMIN,
    "vendors.index": EVERYONE,
    "vendors.detail": EVERYONE,
    "vendors.create": EDITORS,
    "vendors.edit": EVERYONE,
    "vendors.terminate": EDITORS,
    "vendors.risk": ADMIN,
    "vendors.sharing_create": EVERYONE,
    "vendors.sharing_edit": EVERYONE,
    "vendors.sharing_delete": EVERYONE,
    # As the data sharing: whoever edits the vendor (can_edit) keeps its list.
    "vendors.sub_processor_create": EVERYONE,
    "vendors.sub_processor_edit": EVERYONE,
    "vendors.sub_processor_delete": EVERYONE,
    # Whoever edits the vendor records its notice of a change; legal decides on it.
    "vendors.change_create": EVERYONE,
    "vendors.change_decide": LEGAL,
    "vendors.import_csv": CSV,
    "vendors.export": CSV,
    "vendors.export_xlsx": CSV,
    "demo.load": ADMIN,
    "addenda.index": EVERYONE,
    "addenda.create": LEGAL,
    "addenda.detail": EVERYONE,
    "addenda.download": EVERYONE,
    "addenda.signed_copy": EVERYONE,
    "addenda.sent": LEGAL,
    "addenda.sign": LEGAL,
    "addenda.language": LEGAL,
    "addenda.outdated": LEGAL,
    "addenda.regenerate_batch": LEGAL,
    # A vendor's own agreement: everyone reads it, legal keeps it and decides on its findings.
    "contracts.review": EVERYONE,
    "contracts.download": EVERYONE,
    "contracts.upload": LEGAL,
    "contracts.remove": LEGAL,
    "contracts.decision": LEGAL,
    "contracts.recheck": LEGAL,
    "questionnaires.index": EVERYONE,
    "questionnaires.preview": EVERYONE,
    # Legal, managers, administrators, and owners for the vendors they own, send and follow up.
    "questionnaires.send": EVERYONE,
    "questionnaires.request_detail": EVERYONE,
    "questionnaires.file_download": EVERYONE,
    "questionnaires.revoke_link": EVERYONE,
    "questionnaires.resend": EVERYONE,
    "questionnaires.keep_file": EVERYONE,
    # The vendor's documents: everyone reads them; whoever edits the vendor keeps them.
    "assurance.create": EVERYONE,
    "assurance.download": EVERYONE,
    "assurance.remove": EVERYONE,
    "assurance.policy": ADMIN,
    # The vendor's pages: its link is the key.
    "vendor_link.answer": PUBLIC,
    "vendor_link.save": PUBLIC,
    "vendor_link.file_remove": PUBLIC,
    "vendor_link.language": PUBLIC,
    "contracts.gap": LEGAL,
    "organisation.edit": ADMIN,
    "reviews.index": EVERYONE,
    "reviews.detail": EVERYONE,
    "reviews.evidence": EVERYONE,
    "reviews.create": REVIEWERS,
    "reviews.incident": REVIEWERS,
    "reviews.condition_met": REVIEWERS,
    "reviews.policy": ADMIN,
    "reminders.index": ADMIN,
    "reminders.detail": ADMIN,
    "reminders.html": ADMIN,
    "reminders.run": ADMIN,
    "feeds.index": EVERYONE,
    "feeds.feed": PUBLIC,
    "audit.index": ADMIN,
    "audit.export": ADMIN,
    "evidence.pack": EDITORS,
    "dashboard.index": EDITORS,  # the secret token in its address is the key
}
# Routes an allowed user may legitimately find missing.
# feeds.feed: an invented token; questionnaires.keep_file: a draft's file, kept once submitted
# (tests/questionnaires/test_in_review.py).
NOT_FOUND_IS_RIGHT = {"accounts.setup", "feeds.feed", "questionnaires.keep_file"}
# Vendor routes an owner may open for a vendor they do not own; every other one is refused.
OWNER_READS_ANY_VENDOR = {
    "vendors.detail",
    "assurance.download",
    "addenda.index",
    "reviews.index",
    "contracts.review",
    "contracts.download",
}


def routes(app):
    """(endpoint, rule, method) for every route, static files aside."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, rule, method


@pytest.fixture
def people(create_user):
    return {role.value: create_user(role) for role in Role}


def values_for(app, url_values, owner_id):
    """url_values for a vendor of that user, made in one context: url_values reads the vendor's
    sharings after the addendum factory has used it. The owner is fetched afresh so that the
    test's own row of them stays as it was loaded (the factories' commits would expire it)."""
    with app.app_context():
        return url_values(db.session.get(User, owner_id))


def is_login_redirect(response):
    """The answer to somebody who must sign in first: to the sign-in page, then back here."""
    target = urlsplit(response.location or "")
    return response.status_code == 302 and target.path == "/login" and "next=" in target.query


def test_every_route_has_a_rule_in_the_app_and_in_this_table(app):
    endpoints = {endpoint for endpoint, _rule, _method in routes(app)}
    assert endpoints, "the URL map is empty"
    missing_here = sorted(endpoints - EXPECTED.keys())
    assert not missing_here, f"new routes: say in EXPECTED who may open them{GUIDE}: {missing_here}"
    no_rule = sorted(e for e in endpoints if not hasattr(app.view_functions[e], "allowed_roles"))
    assert not no_rule, f"views without allow()/public()/signed_in(){GUIDE}: {no_rule}"


def test_anonymous_reaches_only_public_routes(app, client, people, url_values):
    problems = []
    for endpoint, rule, method in routes(app):
        url = build_url(app, rule, values_for(app, url_values, people["owner"].id))
        response = client.open(url, method=method)
        if EXPECTED.get(endpoint) == PUBLIC:
            if is_login_redirect(response) or response.status_code == 403:
                problems.append(f"{method} {url}: public but gave {response.status_code}")
            elif response.status_code >= 500:
                problems.append(f"{method} {url}: {response.status_code}")
        elif not is_login_redirect(response):
            problems.append(f"{method} {url}: anonymous got {response.status_code}, not sign-in")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_each_role_reaches_exactly_its_routes(app, people, url_values, client_for, role, smtp):
    # smtp: the administrator's walk loads the demo data and presses "Send due reminders now".
    user = people[role]
    client = client_for(user)
    problems = []
    for endpoint, rule, method in routes(app):
        allowed = EXPECTED.get(endpoint)
        url = build_url(app, rule, values_for(app, url_values, people["owner"].id))
        response = client.open(url, method=method)
        response.close()  # a streamed export holds its request's context until closed
        status = response.status_code
        if allowed == PUBLIC or role in (allowed or ()):
            refused = status == 403 or is_login_redirect(response)
            missing = status == 404 and endpoint not in NOT_FOUND_IS_RIGHT
            if refused or missing or status >= 500:
                problems.append(f"{method} {url}: {role} is allowed but got {status}")
        elif status != 403:
            problems.append(f"{method} {url}: {role} must get 403, got {status}")
        if endpoint == "accounts.logout":
            client = client_for(user)
    assert not problems, "\n".join(problems)


def test_owner_edits_only_the_vendors_they_own(app, people, url_values, create_user, client_for):
    client = client_for(people["owner"])
    problems = []
    for endpoint, rule, method in routes(app):
        allowed = EXPECTED.get(endpoint)
        if "vendor_id" not in rule.arguments or "owner" not in (allowed or ()):
            continue
        someone = create_user(Role.OWNER, password=None)
        url = build_url(app, rule, values_for(app, url_values, someone.id))
        response = client.open(url, method=method)
        expected = 200 if endpoint in OWNER_READS_ANY_VENDOR else 403
        if response.status_code != expected:
            problems.append(f"{method} {url}: someone else's vendor gave {response.status_code}")
    assert not problems, "\n".join(problems)


def test_owner_edits_their_own_vendor(people, create_vendor, client_for):
    owner = people["owner"]
    vendor = create_vendor(owner=owner, sharings=[{"category": "health"}])
    client = client_for(owner)
    page = client.get(f"/vendors/{vendor.id}")
    assert f'href="/vendors/{vendor.id}/edit"' in page.text
    assert client.get(f"/vendors/{vendor.id}/edit").status_code == 200
    assert client.get(f"/vendors/{vendor.id}/sharing/new").status_code == 200


def test_owner_sees_no_edit_buttons_on_someone_elses_vendor(people, create_vendor, client_for):
    vendor = create_vendor(owner=None, sharings=[{"category": "health"}])
    client = client_for(people["owner"])
    page = client.get(f"/vendors/{vendor.id}")
    assert page.status_code == 200
    assert f"/vendors/{vendor.id}/edit" not in page.text
    assert f"/vendors/{vendor.id}/sharing/new" not in page.text
    assert f"/vendors/{vendor.id}/terminate" not in page.text
