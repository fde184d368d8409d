"""The vendor pages: create, edit, terminate, data sharing, risk override."""

import re
from datetime import date
from html import unescape
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests.helpers import count
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.register.models import ConsentBasis, DataSharing, Level, Vendor, VendorStatus

VENDOR = {
    "name": "Nouvelle Entreprise",
    "legal_name": "Nouvelle Entreprise inc.",
    "website": "https://nouvelle.example.com",
    "country": "CA",
    "subdivision": "ca-qc",
    "services": "Payroll",
    "status": "active",
    "criticality": "low",
    "owner_id": "0",
    "contact_name": "Nadia",
    "contact_email": "nadia@nouvelle.example.com",
    "contact_phone": "+1 514 555 0100",
    "contract_reference": "C-2025-01",
    "contract_start": "2025-01-01",
    "contract_end": "2026-12-31",
    "notice_period_days": "60",
    "auto_renewal": "y",
    "notes": "Signed by the board",
}
SHARING = {
    "category": "identity_contact",
    "data_subjects": ["customers", "employees"],
    "purpose": "Run the payroll",
    "locations": "ca-qc; US , ca-qc",
    "subjects_in_quebec": "y",
    "consent_basis": "implied",
    "retention_months": "36",
    "record_count": "2500",
    "shared_since": "2025-02-01",
}


def risk_badge(html) -> str:
    """The tier shown on a vendor's page."""
    card = html.split('id="risk"', 1)[1]
    return re.search(r'class="badge badge-level-\d">([^<]+)<', card).group(1)


def form_of(vendor, **changes):
    values = {
        "name": vendor.name,
        "country": vendor.country,
        "subdivision": vendor.subdivision or "",
        "status": vendor.status.value,
        "criticality": vendor.criticality.code,
        "owner_id": str(vendor.owner_id or 0),
    }
    values.update(changes)
    return values


@pytest.fixture
def editor(signed_in):
    return signed_in(Role.MANAGER)


# --- vendors --------------------------------------------------------------------------------


def test_create_a_vendor(app, editor, create_user):
    olive = create_user(Role.OWNER, name="Olive", password=None)
    response = editor.post("/vendors/new", data=VENDOR | {"owner_id": str(olive.id)})
    with app.app_context():
        vendor = db.session.scalar(select(Vendor))
        assert urlsplit(response.location).path == f"/vendors/{vendor.id}"
        assert (vendor.name, vendor.subdivision, vendor.status) == (
            "Nouvelle Entreprise",
            "CA-QC",
            VendorStatus.ACTIVE,
        )
        assert (vendor.contract_start, vendor.contract_end) == (
            date(2025, 1, 1),
            date(2026, 12, 31),
        )
        assert (vendor.notice_period_days, vendor.auto_renewal, vendor.owner.id) == (
            60,
            True,
            olive.id,
        )
        assert vendor.risk_tier == Level.LOW

    page = editor.get(response.location)
    assert "Vendor Nouvelle Entreprise is added." in page.text
    assert "Signed by the board" in page.text
    assert "Olive" in page.text


def test_edit_a_vendor(app, editor, create_vendor):
    vendor = create_vendor(name="Old name", criticality=Level.LOW)
    data = form_of(vendor, name="New name", criticality="high", notes="Renegotiated")
    response = editor.post(f"/vendors/{vendor.id}/edit", data=data)
    assert urlsplit(response.location).path == f"/vendors/{vendor.id}"
    with app.app_context():
        saved = db.session.get(Vendor, vendor.id)
        assert (saved.name, saved.criticality, saved.notes) == (
            "New name",
            Level.HIGH,
            "Renegotiated",
        )
        assert saved.risk_tier == Level.HIGH  # the tier follows the criticality


def test_edit_form_shows_the_current_values(editor, create_vendor):
    vendor = create_vendor(name="Shown", criticality=Level.HIGH, notice_period_days=45)
    page = editor.get(f"/vendors/{vendor.id}/edit").text
    assert 'value="Shown"' in page
    assert '<option selected value="high">' in page
    assert 'value="45"' in page


def test_manager_assigns_and_removes_the_owner(app, editor, create_vendor, create_user):
    olive = create_user(Role.OWNER, password=None)
    vendor = create_vendor()
    editor.post(f"/vendors/{vendor.id}/edit", data=form_of(vendor, owner_id=str(olive.id)))
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).owner.id == olive.id
    editor.post(f"/vendors/{vendor.id}/edit", data=form_of(vendor, owner_id="0"))
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).owner is None


def test_owner_edits_their_vendor_but_cannot_give_it_away(
    app, signed_in, create_vendor, create_user
):
    owner = signed_in(Role.OWNER)
    someone_else = create_user(Role.OWNER, password=None)
    vendor = create_vendor(owner=owner.user, services="Old")
    page = owner.get(f"/vendors/{vendor.id}/edit")
    assert 'name="owner_id"' not in page.text

    data = form_of(vendor, services="New", owner_id=str(someone_else.id))
    response = owner.post(f"/vendors/{vendor.id}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Vendor, vendor.id)
        assert saved.services == "New"
        assert saved.owner_id == owner.user.id
    assert owner.get(f"/vendors/{vendor.id}/edit").status_code == 200  # still theirs


def test_owner_cannot_end_or_revive_the_relationship(app, signed_in, create_vendor):
    owner = signed_in(Role.OWNER)
    vendor = create_vendor(owner=owner.user, status=VendorStatus.ACTIVE)
    assert 'value="terminated"' not in owner.get(f"/vendors/{vendor.id}/edit").text

    response = owner.post(f"/vendors/{vendor.id}/edit", data=form_of(vendor, status="terminated"))
    assert response.status_code == 200  # refused: not one of the choices
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).status == VendorStatus.ACTIVE

    ended = create_vendor(owner=owner.user, status=VendorStatus.TERMINATED)
    assert 'name="status"' not in owner.get(f"/vendors/{ended.id}/edit").text
    owner.post(f"/vendors/{ended.id}/edit", data=form_of(ended, status="active", notes="Back?"))
    with app.app_context():
        saved = db.session.get(Vendor, ended.id)
        assert (saved.status, saved.notes) == (VendorStatus.TERMINATED, "Back?")


def test_a_vendor_whose_owner_left_can_still_be_saved(app, editor, create_vendor, create_user):
    gone = create_user(Role.OWNER, name="Gone Owner", active=False)
    vendor = create_vendor(owner=gone)
    page = editor.get(f"/vendors/{vendor.id}/edit").text
    assert re.search(rf'<option selected value="{gone.id}">Gone Owner', page) or re.search(
        rf'<option value="{gone.id}" selected>Gone Owner', page
    )
    response = editor.post(f"/vendors/{vendor.id}/edit", data=form_of(vendor, services="Kept"))
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Vendor, vendor.id)
        assert (saved.owner_id, saved.services) == (gone.id, "Kept")


def test_terminate_keeps_everything(app, editor, create_vendor):
    vendor = create_vendor(name="Leaving", sharings=[{"category": "health"}])
    page = editor.get(f"/vendors/{vendor.id}/terminate")
    assert "Nothing is deleted" in page.text
    with app.app_context():  # asking changes nothing
        assert db.session.get(Vendor, vendor.id).status == VendorStatus.ACTIVE

    response = editor.post(f"/vendors/{vendor.id}/terminate")
    assert urlsplit(response.location).path == f"/vendors/{vendor.id}"
    with app.app_context():
        saved = db.session.get(Vendor, vendor.id)
        assert saved.status == VendorStatus.TERMINATED
        assert [s.category for s in saved.sharings] == ["health"]
        assert (count(Vendor), count(DataSharing)) == (1, 1)
    detail = editor.get(f"/vendors/{vendor.id}").text
    assert "Terminated" in detail
    assert f"/vendors/{vendor.id}/terminate" not in detail
    assert "Leaving" in editor.get("/vendors/?status=terminated").text


# --- data sharing ---------------------------------------------------------------------------


def test_add_a_data_sharing_row(app, editor, create_vendor):
    vendor = create_vendor(criticality=Level.LOW)
    response = editor.post(f"/vendors/{vendor.id}/sharing/new", data=SHARING)
    assert urlsplit(response.location).path == f"/vendors/{vendor.id}"
    with app.app_context():
        [row] = db.session.get(Vendor, vendor.id).sharings
        assert row.category == "identity_contact"
        assert row.data_subjects == ["customers", "employees"]
        assert row.location_codes == ["CA-QC", "US"]
        assert (row.subjects_in_quebec, row.subjects_in_eu) == (True, False)
        assert (row.consent_basis, row.retention_months, row.record_count) == (
            ConsentBasis.IMPLIED,
            36,
            2500,
        )
        assert row.shared_since == date(2025, 2, 1)
    page = editor.get(f"/vendors/{vendor.id}").text
    assert "Run the payroll" in page
    assert "Quebec (Canada), United States" in page


def test_edit_a_data_sharing_row(app, editor, create_vendor):
    vendor = create_vendor(sharings=[{"category": "identity_contact", "locations": ["CA"]}])
    row = vendor.sharings[0]
    url = f"/vendors/{vendor.id}/sharing/{row.id}/edit"
    assert 'value="CA"' in editor.get(url).text
    response = editor.post(url, data=SHARING | {"purpose": "Send pay slips", "locations": "DE"})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(DataSharing, row.id)
        assert (saved.purpose, saved.location_codes) == ("Send pay slips", ["DE"])
        assert count(DataSharing) == 1


def test_remove_a_data_sharing_row(app, editor, create_vendor):
    vendor = create_vendor(sharings=[{"category": "health"}, {"category": "financial"}])
    health = vendor.sharings[0]
    response = editor.post(f"/vendors/{vendor.id}/sharing/{health.id}/delete")
    assert urlsplit(response.location).path == f"/vendors/{vendor.id}"
    with app.app_context():
        assert [s.category for s in db.session.get(Vendor, vendor.id).sharings] == ["financial"]
    assert "The data sharing row is removed." in editor.get(response.location).text


def test_risk_tier_follows_the_data_sharing(app, editor, create_vendor):
    vendor = create_vendor(criticality=Level.LOW, sharings=[{"category": "business_contact"}])
    assert risk_badge(editor.get(f"/vendors/{vendor.id}").text) == "Low"

    editor.post(f"/vendors/{vendor.id}/sharing/new", data=SHARING | {"category": "health"})
    assert risk_badge(editor.get(f"/vendors/{vendor.id}").text) == "Critical"
    assert editor.get("/vendors/?risk=critical").text.count(f'href="/vendors/{vendor.id}"') == 1

    with app.app_context():
        sharings = db.session.get(Vendor, vendor.id).sharings
        health_id = next(s.id for s in sharings if s.category == "health")
    editor.post(f"/vendors/{vendor.id}/sharing/{health_id}/delete")
    assert risk_badge(editor.get(f"/vendors/{vendor.id}").text) == "Low"

    with app.app_context():
        business_id = db.session.get(Vendor, vendor.id).sharings[0].id
    url = f"/vendors/{vendor.id}/sharing/{business_id}/edit"
    editor.post(url, data=SHARING | {"category": "business_contact", "locations": "US"})
    assert risk_badge(editor.get(f"/vendors/{vendor.id}").text) == "Medium"  # abroad: one up


def test_sharing_of_another_vendor_is_not_found(app, editor, create_vendor):
    vendor = create_vendor(sharings=[{"category": "health"}])
    other = create_vendor(sharings=[{"category": "health"}])
    foreign = other.sharings[0].id
    assert editor.get(f"/vendors/{vendor.id}/sharing/{foreign}/edit").status_code == 404
    assert (
        editor.post(f"/vendors/{vendor.id}/sharing/{foreign}/edit", data=SHARING).status_code == 404
    )
    assert editor.post(f"/vendors/{vendor.id}/sharing/{foreign}/delete").status_code == 404
    with app.app_context():
        assert count(DataSharing) == 2
        assert db.session.get(Vendor, other.id).sharings[0].purpose == "Deliver orders"


# --- risk override --------------------------------------------------------------------------


def test_risk_override_needs_a_reason(app, signed_in, create_vendor, field_errors):
    admin = signed_in(Role.ADMIN)
    vendor = create_vendor(criticality=Level.LOW)
    response = admin.post(f"/vendors/{vendor.id}/risk", data={"tier": "high", "reason": "  "})
    assert response.status_code == 200
    assert field_errors(response.text, "reason") == [
        "Give the reason for overriding the risk tier."
    ]
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).risk_override is None


def test_risk_override_is_shown_with_who_set_it_and_can_be_cleared(app, signed_in, create_vendor):
    admin = signed_in(Role.ADMIN, name="Ada Admin")
    vendor = create_vendor(criticality=Level.LOW)
    reason = "Breach reported in the news"
    response = admin.post(f"/vendors/{vendor.id}/risk", data={"tier": "critical", "reason": reason})
    assert urlsplit(response.location).path == f"/vendors/{vendor.id}"
    page = admin.get(f"/vendors/{vendor.id}").text
    assert risk_badge(page) == "Critical"
    assert "Set by Ada Admin on" in page
    assert "instead of the computed Low" in page
    assert reason in page
    listing = admin.get("/vendors/?risk=critical").text
    assert f'href="/vendors/{vendor.id}"' in listing
    assert 'title="Set by an administrator"' in listing

    admin.post(f"/vendors/{vendor.id}/risk", data={"tier": "", "reason": reason})
    with app.app_context():
        saved = db.session.get(Vendor, vendor.id)
        assert (saved.risk_override, saved.risk_override_reason, saved.risk_override_by) == (
            None,
            None,
            None,
        )
    page = admin.get(f"/vendors/{vendor.id}").text
    assert risk_badge(page) == "Low"
    assert "Set by" not in page


def test_risk_override_survives_changes_to_the_sharing(signed_in, create_vendor):
    admin = signed_in(Role.ADMIN)
    vendor = create_vendor(criticality=Level.LOW)
    admin.post(f"/vendors/{vendor.id}/risk", data={"tier": "medium", "reason": "Audit finding"})
    admin.post(f"/vendors/{vendor.id}/sharing/new", data=SHARING | {"category": "health"})
    page = admin.get(f"/vendors/{vendor.id}").text
    assert risk_badge(page) == "Medium"
    assert "instead of the computed Critical" in page


# --- text and missing things ----------------------------------------------------------------

TRICKY = "Café «Ünïcode» & <Sons> \"quoted\" 'single' 🚀"


def test_text_comes_out_exactly_as_typed(app, editor):
    data = VENDOR | {"name": TRICKY, "notes": TRICKY + "\n<script>alert(1)</script>"}
    response = editor.post("/vendors/new", data=data)
    with app.app_context():
        vendor = db.session.scalar(select(Vendor))
        assert vendor.name == TRICKY
        assert vendor.notes == TRICKY + "\n<script>alert(1)</script>"
        vendor_id = vendor.id

    for page in (editor.get(response.location).text, editor.get("/vendors/").text):
        assert "<Sons>" not in page
        assert "<script>alert(1)</script>" not in page
        assert "&lt;Sons&gt;" in page
        assert unescape(page).count(TRICKY) >= 1
    edit = editor.get(f"/vendors/{vendor_id}/edit").text
    assert re.search(r'name="name" [^>]*value="([^"]*)"', edit).group(1) == (
        "Café «Ünïcode» &amp; &lt;Sons&gt; &#34;quoted&#34; &#39;single&#39; 🚀"
    )


def test_search_finds_the_tricky_name(editor, create_vendor):
    create_vendor(name=TRICKY)
    page = editor.get("/vendors/", query_string={"q": "«ünïcode» & <sons>"}).text
    assert "&lt;Sons&gt;" in page


def test_a_website_that_is_not_a_web_address_is_not_a_link(editor, create_vendor):
    vendor = create_vendor(website="javascript:alert(1)")  # e.g. from an old import
    page = editor.get(f"/vendors/{vendor.id}").text
    assert 'href="javascript:' not in page
    assert "javascript:alert(1)" in page
    safe = create_vendor(website="https://safe.example.com/")
    assert 'href="https://safe.example.com/"' in editor.get(f"/vendors/{safe.id}").text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/vendors/999"),
        ("GET", "/vendors/999/edit"),
        ("POST", "/vendors/999/edit"),
        ("GET", "/vendors/999/terminate"),
        ("POST", "/vendors/999/terminate"),
        ("GET", "/vendors/999/risk"),
        ("GET", "/vendors/999/sharing/new"),
        ("GET", "/vendors/999/sharing/1/edit"),
        ("POST", "/vendors/999/sharing/1/delete"),
    ],
)
def test_unknown_vendor_is_not_found(app, signed_in, method, path):
    response = signed_in(Role.ADMIN).open(path, method=method, data=VENDOR)
    assert response.status_code == 404
    assert "This page does not exist, or what it showed has been removed." in response.text
    assert "Traceback" not in response.text
    with app.app_context():
        assert count(Vendor) == 0


def test_the_vendor_page_costs_the_same_queries_whatever_it_shares(
    signed_in, create_vendor, count_queries
):
    client = signed_in(Role.OWNER)
    small = create_vendor(sharings=[{"category": "health", "locations": ["CA"]}])
    large = create_vendor(
        sharings=[
            {"category": code, "locations": ["CA-QC", "US", "DE"]}
            for code in ("health", "financial", "biometric", "children", "precise_location")
        ]
    )
    small_url, large_url = f"/vendors/{small.id}", f"/vendors/{large.id}"
    for page in ("", "/edit", "/sharing/new"):
        small_count = count_queries(lambda p=page: client.get(small_url + p))
        assert count_queries(lambda p=page: client.get(large_url + p)) == small_count, page
