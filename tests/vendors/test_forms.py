"""What the vendor and data sharing forms refuse: the reason next to the field, nothing saved."""

import pytest
from sqlalchemy import select

from tests.helpers import count
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.register.models import DataSharing, Vendor

VENDOR = {
    "name": "Nouvelle Entreprise",
    "country": "CA",
    "subdivision": "CA-QC",
    "status": "active",
    "criticality": "medium",
    "owner_id": "0",
    "website": "https://nouvelle.example.com",
    "contact_email": "contact@nouvelle.example.com",
    "contract_start": "2025-01-01",
    "contract_end": "2026-12-31",
    "notice_period_days": "30",
}
SHARING = {
    "category": "financial",
    "data_subjects": ["customers"],
    "purpose": "Take payments",
    "locations": "CA",
    "consent_basis": "express",
    "retention_months": "12",
    "record_count": "500",
}


@pytest.fixture
def editor(signed_in):
    return signed_in(Role.LEGAL)


VENDOR_REFUSALS = [
    ({"name": "  "}, "name", "This field is required."),
    (
        {"contract_start": "2026-01-01", "contract_end": "2025-12-31"},
        "contract_end",
        "The contract cannot end before it starts.",
    ),
    ({"contact_email": "not-an-email"}, "contact_email", "Enter a valid email address."),
    (
        {"country": "ZZ", "subdivision": ""},
        "country",
        "Enter a two-letter ISO 3166 country code, such as CA or FR.",
    ),
    (
        {"country": "CA", "subdivision": "US-CA"},
        "subdivision",
        "This province or state is not in the chosen country.",
    ),
    (
        {"subdivision": "CA-ZZ"},
        "subdivision",
        "Unknown ISO 3166-2 code; use one such as CA-QC or US-CA.",
    ),
    ({"notice_period_days": "-1"}, "notice_period_days", "Enter zero or a positive number."),
    (
        {"notice_period_days": "99999999999999999999"},
        "notice_period_days",
        "Enter a number no larger than 2,000,000,000.",
    ),
    (
        {"website": "javascript:alert(1)"},
        "website",
        "Enter a full address such as https://example.com.",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), VENDOR_REFUSALS)
def test_new_vendor_refused(app, editor, field_errors, changes, field, message):
    response = editor.post("/vendors/new", data=VENDOR | changes)
    assert response.status_code == 200
    assert message in field_errors(response.text, field)
    with app.app_context():
        assert count(Vendor) == 0


@pytest.mark.parametrize(("changes", "field", "message"), VENDOR_REFUSALS)
def test_vendor_edit_refused(app, editor, create_vendor, field_errors, changes, field, message):
    vendor = create_vendor(name="Before", country="FR", notice_period_days=10)
    response = editor.post(f"/vendors/{vendor.id}/edit", data=VENDOR | changes)
    assert response.status_code == 200
    assert message in field_errors(response.text, field)
    with app.app_context():
        vendor = db.session.get(Vendor, vendor.id)
        assert (vendor.name, vendor.country, vendor.notice_period_days) == ("Before", "FR", 10)


def test_zero_notice_period_is_accepted(app, editor):
    response = editor.post("/vendors/new", data=VENDOR | {"notice_period_days": "0"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Vendor.notice_period_days)) == 0


@pytest.mark.parametrize("name", ["acmé", "ACME", "  Acme  ", "ACME\u00a0", "Ácme"])
def test_duplicate_vendor_name_is_refused_whatever_its_case_or_accents(
    app, editor, create_vendor, field_errors, name
):
    create_vendor(name="Acme")
    response = editor.post("/vendors/new", data=VENDOR | {"name": name})
    assert field_errors(response.text, "name") == ["Another vendor already has this name."]
    with app.app_context():
        assert count(Vendor) == 1


def test_renaming_onto_another_vendors_name_is_refused(app, editor, create_vendor, field_errors):
    create_vendor(name="Acme Corp")
    vendor = create_vendor(name="Other")
    response = editor.post(f"/vendors/{vendor.id}/edit", data=VENDOR | {"name": "acme  CORP"})
    assert field_errors(response.text, "name") == ["Another vendor already has this name."]
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).name == "Other"


def test_a_vendor_may_change_the_case_of_its_own_name(app, editor, create_vendor):
    vendor = create_vendor(name="acme")
    response = editor.post(f"/vendors/{vendor.id}/edit", data=VENDOR | {"name": "ACME"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).name == "ACME"


SHARING_REFUSALS = [
    ({"purpose": "   "}, "purpose", "Say why the vendor receives this information."),
    (
        {"locations": "CA, ZZ, US-XX"},
        "locations",
        "Unknown country or region code: ZZ, US-XX. Use ISO 3166 codes such as CA, CA-QC or DE.",
    ),
    (
        {"retention_months": "12", "retention_until_contract_end": "y"},
        "retention_months",
        "Give a number of months or tick “until the contract ends”, not both.",
    ),
    (
        {"retention_months": ""},
        "retention_months",
        "Say how long the vendor keeps this information.",
    ),
    ({"retention_months": "0"}, "retention_months", "Enter a positive number."),
    ({"record_count": "0"}, "record_count", "Enter a positive number."),
    ({"record_count": "-20"}, "record_count", "Enter a positive number."),
    (
        {"record_count": "3000000000"},
        "record_count",
        "Enter a number no larger than 2,000,000,000.",
    ),
    (
        {"retention_months": "99999999999999999999"},
        "retention_months",
        "Enter a number no larger than 2,000,000,000.",
    ),
    ({"consent_basis": ""}, "consent_basis", "Choose the kind of consent."),
    ({"category": ""}, "category", "This field is required."),
]


@pytest.mark.parametrize(("changes", "field", "message"), SHARING_REFUSALS)
def test_new_sharing_refused(app, editor, create_vendor, field_errors, changes, field, message):
    vendor = create_vendor()
    response = editor.post(f"/vendors/{vendor.id}/sharing/new", data=SHARING | changes)
    assert response.status_code == 200
    assert message in field_errors(response.text, field)
    with app.app_context():
        assert count(DataSharing) == 0


@pytest.mark.parametrize(("changes", "field", "message"), SHARING_REFUSALS)
def test_sharing_edit_refused(app, editor, create_vendor, field_errors, changes, field, message):
    vendor = create_vendor(sharings=[{"category": "financial", "purpose": "Before"}])
    sharing = vendor.sharings[0]
    url = f"/vendors/{vendor.id}/sharing/{sharing.id}/edit"
    response = editor.post(url, data=SHARING | changes)
    assert response.status_code == 200
    assert message in field_errors(response.text, field)
    with app.app_context():
        sharing = db.session.get(DataSharing, sharing.id)
        assert (sharing.purpose, sharing.retention_months) == ("Before", 24)


def test_retention_until_the_contract_ends_alone_is_accepted(app, editor, create_vendor):
    vendor = create_vendor()
    data = SHARING | {"retention_months": "", "retention_until_contract_end": "y"}
    assert editor.post(f"/vendors/{vendor.id}/sharing/new", data=data).status_code == 302
    with app.app_context():
        vendor = db.session.get(Vendor, vendor.id)
        assert vendor.sharings[0].retention_until_contract_end
        assert vendor.sharings[0].retention_months is None


def test_second_row_for_the_same_category_is_refused(app, editor, create_vendor, field_errors):
    vendor = create_vendor(sharings=[{"category": "financial"}])
    response = editor.post(f"/vendors/{vendor.id}/sharing/new", data=SHARING)
    assert field_errors(response.text, "category") == [
        "This vendor already receives this category; edit that row instead."
    ]
    with app.app_context():
        assert count(DataSharing) == 1


def test_changing_a_row_to_a_category_already_shared_is_refused(
    app, editor, create_vendor, field_errors
):
    vendor = create_vendor(sharings=[{"category": "financial"}, {"category": "health"}])
    health = vendor.sharings[1]
    url = f"/vendors/{vendor.id}/sharing/{health.id}/edit"
    response = editor.post(url, data=SHARING | {"category": "financial"})
    assert field_errors(response.text, "category") == [
        "This vendor already receives this category; edit that row instead."
    ]
    with app.app_context():
        assert db.session.get(DataSharing, health.id).category == "health"


def test_the_same_category_may_go_to_two_vendors(app, editor, create_vendor):
    create_vendor(sharings=[{"category": "financial"}])
    other = create_vendor()
    assert editor.post(f"/vendors/{other.id}/sharing/new", data=SHARING).status_code == 302
    with app.app_context():
        assert count(DataSharing) == 2


def test_a_row_posted_without_its_locations_field_is_not_a_server_error(
    app, editor, create_vendor, field_errors
):
    vendor = create_vendor(sharings=[{"category": "financial", "locations": ["CA-QC", "US"]}])
    sharing = vendor.sharings[0]
    data = {k: v for k, v in SHARING.items() if k != "locations"}
    response = editor.post(f"/vendors/{vendor.id}/sharing/{sharing.id}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(DataSharing, sharing.id).location_codes == ["CA-QC", "US"]


def test_text_in_a_number_field_gets_one_error(editor, create_vendor, field_errors):
    vendor = create_vendor()
    response = editor.post(
        f"/vendors/{vendor.id}/sharing/new", data=SHARING | {"record_count": "lots"}
    )
    assert field_errors(response.text, "record_count") == ["Not a valid integer value."]


def test_the_form_comes_back_after_an_error_ready_to_send_again(app, editor, create_vendor):
    vendor = create_vendor()
    url = f"/vendors/{vendor.id}/sharing/new"
    response = editor.post(url, data=SHARING | {"locations": "ca-qc; US", "purpose": ""})
    assert 'value="CA-QC, US"' in response.text  # the codes as typed, not a Python list
    assert editor.post(url, data=SHARING | {"locations": "CA-QC, US"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(DataSharing)).location_codes == ["CA-QC", "US"]


# Found by tests/test_fuzz.py: text holding a NUL character once made these pages fail with a
# server error on PostgreSQL, which stores no NUL (on SQLite these pass either way; on
# PostgreSQL they are the proof).
NUL_REFUSED = (
    "Type this text again rather than pasting it: it holds an invisible character (NUL) that "
    "cannot be saved."
)


@pytest.mark.parametrize("field", ["name", "legal_name", "contact_email", "notes", "subdivision"])
def test_a_nul_character_in_the_vendor_form_is_refused_next_to_its_field(
    app, editor, field_errors, field
):
    response = editor.post("/vendors/new", data=VENDOR | {field: "Ac\x00me"})
    assert response.status_code == 200
    assert field_errors(response.text, field) == [NUL_REFUSED]
    with app.app_context():
        assert count(Vendor) == 0


def test_a_nul_character_in_a_data_sharing_row_is_refused(app, editor, create_vendor, field_errors):
    vendor = create_vendor()
    response = editor.post(
        f"/vendors/{vendor.id}/sharing/new", data=SHARING | {"purpose": "Take\x00payments"}
    )
    assert field_errors(response.text, "purpose") == [NUL_REFUSED]
    with app.app_context():
        assert count(DataSharing) == 0
