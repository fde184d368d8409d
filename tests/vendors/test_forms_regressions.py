"""Input that once made the vendor pages answer with a server error, found by tests/test_fuzz.py.

Most of these failed only on PostgreSQL, which stores no NUL character and compares ids only with
numbers an id column holds; on SQLite they pass either way, on PostgreSQL they are the proof.
"""

import csv
import io

import pytest
from sqlalchemy import func, select

from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.register.csvcolumns import COLUMN_NAMES
from vendortrack.register.models import DataSharing, Vendor
from vendortrack.trail.models import AuditEntry

NUL_REFUSED = (
    "Type this text again rather than pasting it: it holds an invisible character (NUL) that "
    "cannot be saved."
)
VENDOR = {"name": "Acme", "country": "CA", "status": "active", "criticality": "low"}
SHARING = {
    "category": "financial",
    "data_subjects": ["customers"],
    "purpose": "Take payments",
    "locations": "CA",
    "consent_basis": "express",
    "retention_months": "12",
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def manager(signed_in):
    return signed_in(Role.MANAGER)


@pytest.mark.parametrize("field", ["name", "legal_name", "contact_email", "notes", "subdivision"])
def test_a_nul_character_in_the_vendor_form_is_refused_next_to_its_field(
    manager, field_errors, field
):
    response = manager.post("/vendors/new", data=VENDOR | {field: "Ac\x00me"})
    assert response.status_code == 200
    assert field_errors(response.text, field) == [NUL_REFUSED]
    assert count(Vendor) == 0


def test_a_nul_character_in_a_data_sharing_row_is_refused(manager, create_vendor, field_errors):
    vendor = create_vendor()
    response = manager.post(
        f"/vendors/{vendor.id}/sharing/new", data=SHARING | {"purpose": "Take\x00payments"}
    )
    assert field_errors(response.text, "purpose") == [NUL_REFUSED]
    assert count(DataSharing) == 0


def test_a_search_ignores_a_nul_character(manager, create_vendor):
    create_vendor(name="Acme")
    create_vendor(name="Other")
    response = manager.get("/vendors/", query_string={"q": "Ac\x00me"})
    assert response.status_code == 200
    assert "Acme" in response.text and "Other" not in response.text


@pytest.mark.parametrize("owner", ["2147483648", "999999999999999999"])
def test_an_owner_no_id_can_reach_is_ignored_with_a_notice(manager, create_vendor, owner):
    create_vendor(name="Acme")
    response = manager.get("/vendors/", query_string={"owner": owner})
    assert response.status_code == 200
    assert "were not understood and are ignored: owner." in response.text
    assert "Acme" in response.text


def test_an_export_records_the_filters_it_understood_not_the_raw_address(manager):
    manager.get(
        "/vendors/export.csv", query_string={"status": "active", "q": "a\x00b", "junk": "x" * 5000}
    ).get_data()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.changes == {"filters": [None, {"q": "ab", "status": "active"}]}


@pytest.mark.parametrize("export", ["/vendors/export.csv", "/vendors/export.xlsx"])
def test_an_export_searched_by_a_contacts_email_keeps_the_email_out_of_the_trail(manager, export):
    manager.get(export, query_string={"q": "Ana.Silva@example.org"}).get_data()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.changes == {"filters": [None, {"q": "(a contact's email)"}]}


def import_file(**cells) -> tuple[io.BytesIO, str]:
    row = {
        "vendor_name": "Acme",
        "country": "CA",
        "category": "health",
        "purpose": "Payroll",
        "consent_basis": "express",
        "retention_months": "12",
        **cells,
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_NAMES)
    writer.writerow([row.get(name, "") for name in COLUMN_NAMES])
    return io.BytesIO(out.getvalue().encode()), "vendors.csv"


@pytest.mark.parametrize("column", ["vendor_name", "notes", "purpose", "contact_name"])
def test_an_imported_cell_holding_a_nul_character_is_refused_by_row_and_column(manager, column):
    response = manager.post(
        "/vendors/import",
        data={"file": import_file(**{column: "Pay\x00roll"})},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert (
        f"Row 2, column {column}: This cell holds an invisible character (NUL) that cannot be "
        "saved; type the cell again."
    ) in response.text
    assert count(Vendor) == 0
