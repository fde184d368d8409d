"""CSV import and export from the command line and from the web."""

import csv
import io
import re

import pytest
from sqlalchemy import select

from tests.helpers import count
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.register.csvcolumns import COLUMN_NAMES, EXPORT_COLUMN_NAMES
from vendortrack.register.models import DataSharing, Level, Vendor, VendorStatus
from vendortrack.trail.models import AuditEntry

IMPORT_COLUMNS = [name for name in COLUMN_NAMES if name != "risk_tier"]
CAFE_SHARING = {
    "category": "identity_contact",
    "data_subjects": "customers",
    "purpose": "Orders",
    "locations": "CA-QC",
    "subjects_in_quebec": "yes",
    "consent_basis": "implied",
    "retention_months": "24",
}


def to_csv(*rows: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(IMPORT_COLUMNS)
    writer.writerows([cells.get(name, "") for name in IMPORT_COLUMNS] for cells in rows)
    return out.getvalue().encode("utf-8")


GOOD = to_csv(
    {"vendor_name": "Café Montréal", "country": "CA", "status": "active", **CAFE_SHARING},
    {"vendor_name": "Berlin GmbH", "country": "DE"},
)
BAD = to_csv(
    {"vendor_name": "Good Vendor", "country": "CA"},
    {"vendor_name": "Bad Vendor", "country": "CA", "contract_end": "2025-13-01"},
)


def vendor_names(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(Vendor.name).order_by(Vendor.name)).all()


# The command line.


def test_import_command_writes_the_file_and_prints_a_summary(app, runner, tmp_path):
    path = tmp_path / "vendors.csv"
    path.write_bytes(GOOD)

    result = runner.invoke(args=["vendors", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert "Vendors added: 2, updated: 0. Data sharing rows saved: 1, removed: 0." in result.stdout
    assert vendor_names(app) == ["Berlin GmbH", "Café Montréal"]
    with app.app_context():
        cafe = db.session.scalar(select(Vendor).where(Vendor.country == "CA"))
        assert cafe.sharings[0].location_codes == ["CA-QC"]
        assert cafe.sharings[0].subjects_in_quebec is True


def test_import_command_lists_every_problem_and_writes_nothing(app, runner, tmp_path):
    path = tmp_path / "vendors.csv"
    path.write_bytes(BAD)

    result = runner.invoke(args=["vendors", "import", str(path)])

    assert result.exit_code == 1
    assert "Row 3, column contract_end: 2025-13-01 is not a date" in result.stderr
    assert "1 problem(s) found" in result.stderr
    assert "nothing was imported" in result.stderr
    assert vendor_names(app) == []


def test_import_command_refuses_a_file_in_another_encoding(app, runner, tmp_path):
    path = tmp_path / "vendors.csv"
    path.write_bytes(GOOD.decode("utf-8").encode("cp1252"))

    result = runner.invoke(args=["vendors", "import", str(path)])

    assert result.exit_code == 1
    assert "Row 2, column vendor_name: This is not UTF-8 text." in result.stderr
    assert vendor_names(app) == []


def test_import_command_refuses_a_file_larger_than_an_upload_may_be(app, runner, tmp_path):
    app.config["MAX_CONTENT_LENGTH"] = 100
    path = tmp_path / "vendors.csv"
    path.write_bytes(GOOD)

    result = runner.invoke(args=["vendors", "import", str(path)])

    assert result.exit_code == 1
    assert "larger than the 100 bytes" in result.stderr
    assert vendor_names(app) == []


def test_export_command_writes_clean_csv_to_stdout(runner, create_vendor):
    create_vendor(name="Acme Émile & Fils", sharings=[{"category": "health"}])
    create_vendor(name="Zeta")

    result = runner.invoke(args=["vendors", "export"])

    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == EXPORT_COLUMN_NAMES
    assert [(r[0], r[COLUMN_NAMES.index("category")]) for r in rows[1:]] == [
        ("Acme Émile & Fils", "health"),
        ("Zeta", ""),
    ]
    assert "Exporting" in result.stderr  # the progress bar stays out of the CSV


def test_export_to_a_file_then_import_it_changes_nothing(app, runner, create_vendor, tmp_path):
    create_vendor(name="Émile & Fils", sharings=[{"category": "health"}, {}])
    path = tmp_path / "out.csv"

    exported = runner.invoke(args=["vendors", "export", str(path)])
    imported = runner.invoke(args=["vendors", "import", str(path)])

    assert exported.exit_code == 0
    assert "Exported 2 rows" in exported.stderr
    assert imported.exit_code == 0, imported.output
    assert "added: 0, updated: 1" in imported.stdout
    with app.app_context():
        assert count(DataSharing) == 2


# The web.


def upload(client, data: bytes, filename: str = "vendors.csv"):
    return client.post(
        "/vendors/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER])
def test_admins_and_managers_import_from_the_web(app, signed_in, role):
    client = signed_in(role)

    page = client.get("/vendors/import")
    response = upload(client, GOOD)

    assert page.status_code == 200
    assert "retention_until_contract_end" in page.text
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/vendors/")
    assert "Vendors added: 2" in client.get("/vendors/").text
    assert vendor_names(app) == ["Berlin GmbH", "Café Montréal"]


@pytest.mark.parametrize("role", [Role.OWNER, Role.LEGAL])
def test_owners_and_legal_may_neither_import_nor_export(app, signed_in, role):
    client = signed_in(role)

    assert client.get("/vendors/import").status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert client.get("/vendors/export.csv").status_code == 403
    assert vendor_names(app) == []


def test_the_web_lists_every_error_and_writes_nothing(app, signed_in):
    client = signed_in(Role.MANAGER)

    response = upload(client, BAD)

    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert "Row 3, column contract_end: 2025-13-01 is not a date" in response.text
    assert vendor_names(app) == []


def test_a_french_user_sees_the_errors_in_their_language(app, signed_in):
    # The French catalogue may not have these messages yet: the page must still list them.
    client = signed_in(Role.ADMIN, language="fr")

    response = upload(client, BAD.replace(b"vendor_name", b"vendor_nom"))

    assert response.status_code == 200
    assert 'lang="fr"' in response.text
    assert "vendor_nom" in response.text
    assert "vendor_name" in response.text
    assert vendor_names(app) == []


def test_a_french_user_reads_the_import_summary_with_french_numbers(signed_in):
    client = signed_in(Role.MANAGER, language="fr")
    data = to_csv(*({"vendor_name": f"Vendor {n}", "country": "CA"} for n in range(1000)))

    assert upload(client, data).status_code == 302
    [summary] = re.findall(r'role="alert">(.*?)</div>', client.get("/vendors/").text, re.S)

    # The sentence may still await its French translation; its numbers are French already.
    assert re.search("1[\u202f\xa0]000", summary), summary
    assert "1,000" not in summary


def test_the_upload_must_be_a_csv_file(app, signed_in):
    client = signed_in(Role.ADMIN)

    response = upload(client, b"PK\x03\x04", filename="vendors.xlsx")

    assert response.status_code == 200
    assert "CSV UTF-8" in response.text
    assert vendor_names(app) == []


def test_an_upload_over_the_size_limit_is_refused(app, signed_in):
    client = signed_in(Role.ADMIN)
    app.config["MAX_CONTENT_LENGTH"] = 100

    assert upload(client, GOOD).status_code == 413
    assert vendor_names(app) == []


def test_the_web_export_is_a_utf8_attachment_of_the_filtered_list(signed_in, create_vendor):
    create_vendor(name="Active Émile", status=VendorStatus.ACTIVE, criticality=Level.HIGH)
    create_vendor(name="Prospect Ltd", status=VendorStatus.PROSPECT)
    client = signed_in(Role.MANAGER)

    response = client.get("/vendors/export.csv?status=active&page=3")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="vendors-')
    assert response.is_streamed
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets then read the accents as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [(r["vendor_name"], r["criticality"]) for r in rows] == [("Active Émile", "high")]


def test_the_web_export_reads_back_as_an_import(signed_in, create_vendor):
    create_vendor(name="Émile <&> Fils", sharings=[{"category": "health"}])
    client = signed_in(Role.ADMIN)

    data = client.get("/vendors/export.csv").get_data()
    response = upload(client, data)

    assert response.status_code == 302
    assert "added: 0, updated: 1" in client.get("/vendors/").text


def test_an_export_records_the_filters_it_understood_not_the_raw_address(app, signed_in):
    # The raw address once went into the trail: PostgreSQL refused its NUL.
    client = signed_in(Role.MANAGER)
    client.get(
        "/vendors/export.csv", query_string={"status": "active", "q": "a\x00b", "junk": "x" * 5000}
    ).get_data()
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
        assert entry.changes == {"filters": [None, {"q": "ab", "status": "active"}]}


@pytest.mark.parametrize("export", ["/vendors/export.csv", "/vendors/export.xlsx"])
def test_an_export_searched_by_a_contacts_email_keeps_the_email_out_of_the_trail(
    app, signed_in, export
):
    client = signed_in(Role.MANAGER)
    client.get(export, query_string={"q": "Ana.Silva@example.org"}).get_data()
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
        assert entry.changes == {"filters": [None, {"q": "(a contact's email)"}]}


@pytest.mark.parametrize("column", ["vendor_name", "notes", "purpose", "contact_name"])
def test_an_imported_cell_holding_a_nul_character_is_refused_by_row_and_column(
    app, signed_in, column
):
    client = signed_in(Role.MANAGER)
    cells = {
        "vendor_name": "Acme",
        "country": "CA",
        "category": "health",
        "purpose": "Payroll",
        "consent_basis": "express",
        "retention_months": "12",
    }

    response = upload(client, to_csv(cells | {column: "Pay\x00roll"}))

    assert response.status_code == 200
    assert (
        f"Row 2, column {column}: This cell holds an invisible character (NUL) that cannot be "
        "saved; type the cell again."
    ) in response.text
    with app.app_context():
        assert count(Vendor) == 0
