"""The vendor export with compliance status and reasons, as CSV and XLSX, from the page and the
command line; and an export still reads back as an import."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from vendortrack.accounts.models import Role
from vendortrack.compliance.register import count_rows, export_rows_with_compliance, with_compliance
from vendortrack.compliance.rules import BY_CODE
from vendortrack.extensions import db
from vendortrack.i18n import local_today
from vendortrack.register.bulk import import_vendors
from vendortrack.register.csvcolumns import EXPORT_COLUMN_NAMES
from vendortrack.register.listing import VendorFilter, parse_filter
from vendortrack.register.models import VendorStatus
from vendortrack.spreadsheet import csv_chunks
from vendortrack.trail.models import AuditEntry

TODAY = date(2026, 12, 1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def register(app, create_vendor):
    """One vendor of each status, relative to the real today, so the web and the command line
    (which know no other day) see the same ones as TODAY does."""
    with app.app_context():  # the app's time zone
        today = local_today()
    return {
        "overdue": create_vendor(
            name="Overdue Co",
            review_due_on=today - timedelta(days=10),
            contract_start=date(2024, 1, 31),
            sharings=[{}, {"category": "health"}],
        ),
        "action": create_vendor(name="Action Co"),  # active, nothing shared documented
        "compliant": create_vendor(name="Compliant Co", status=VendorStatus.PROSPECT),
        "terminated": create_vendor(name="Terminated Co", status=VendorStatus.TERMINATED),
    }


def exported(f=None, today=None) -> list[dict]:
    rows = export_rows_with_compliance(f or VendorFilter(), today or local_today())
    return list(csv.DictReader(io.StringIO("".join(csv_chunks(rows, header=EXPORT_COLUMN_NAMES)))))


def compliance(rows: list[dict]) -> list[tuple[str, str, str, str]]:
    return [
        (r["vendor_name"], r["category"], r["compliance_status"], r["compliance_reasons"])
        for r in rows
    ]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8").removeprefix("\ufeff"))))


def workbook_rows(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


# The rows and their two new columns.


def test_each_row_ends_with_its_vendors_status_and_reason_codes(app, register):
    with app.app_context():
        assert compliance(exported()) == [
            ("Action Co", "", "action", "sharing_undocumented"),
            ("Compliant Co", "", "compliant", ""),
            # A vendor's status repeats on each of its rows; codes in the rules' order.
            ("Overdue Co", "identity_contact", "overdue", "review_overdue; unsigned"),
            ("Overdue Co", "health", "overdue", "review_overdue; unsigned"),
            ("Terminated Co", "", "", ""),  # a terminated vendor is not assessed
        ]


def test_reasons_are_codes_whatever_the_language(app, register):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        rows = exported()

    reasons = {code for r in rows for code in r["compliance_reasons"].split("; ") if code}
    assert reasons == {"sharing_undocumented", "review_overdue", "unsigned"}
    assert reasons <= set(BY_CODE)
    assert {r["compliance_status"] for r in rows} == {"overdue", "action", "compliant", ""}


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("overdue", ["Overdue Co", "Overdue Co"]),
        ("action", ["Action Co"]),
        ("compliant", ["Compliant Co"]),
    ],
)
def test_the_compliance_filter_narrows_the_export_to_whole_vendors(app, register, status, names):
    f = parse_filter({"compliance": status})

    with app.app_context():
        rows = exported(f)

        assert [r["vendor_name"] for r in rows] == names
        assert {r["compliance_status"] for r in rows} == {status}
        assert count_rows(f, local_today()) == len(names)


def test_a_category_filter_exports_every_row_of_the_vendors_it_selects(app, register):
    # The file is the truth for the vendors it names: exporting only the matching rows would
    # make a re-import remove the others.
    f = parse_filter({"category": "health"})

    with app.app_context():
        assert [r["category"] for r in exported(f)] == ["identity_contact", "health"]
        assert count_rows(f, local_today()) == 2


def test_the_export_is_assessed_a_batch_of_vendors_at_a_time():
    asked = []

    def assessor(ids):
        asked.append(ids)
        return {vendor_id: ["unsigned"] for vendor_id in ids if vendor_id != 4}

    records = [(v, [f"row of {v}"]) for v in (1, 1, 2, 3, 3, 4, 5)]

    rows = list(with_compliance(records, assessor, batch=2))

    assert asked == [[1, 2], [3, 4], [5]]
    assert rows == [
        *[["row of 1", "action", "unsigned"]] * 2,
        ["row of 2", "action", "unsigned"],
        *[["row of 3", "action", "unsigned"]] * 2,
        ["row of 4", "", ""],
        ["row of 5", "action", "unsigned"],
    ]


def test_the_statements_do_not_grow_with_the_vendors(app, create_vendor):
    def statements(vendors: int) -> int:
        for n in range(vendors):
            create_vendor(name=f"Vendor {vendors}-{n:02}", sharings=[{}, {"category": "health"}])
        sent = []

        def count(*args):
            sent.append(args[2])

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
            list(export_rows_with_compliance(VendorFilter(), TODAY))
            event.remove(db.engine, "before_cursor_execute", count)
        return len(sent)

    assert statements(3) == statements(40)


# An empty selection.


def test_an_empty_selection_gives_only_the_header(app, signed_in, register):
    client = signed_in(Role.MANAGER)

    text = client.get("/vendors/export.csv?q=nobody").get_data().decode("utf-8")
    workbook = client.get("/vendors/export.xlsx?q=nobody").get_data()

    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [EXPORT_COLUMN_NAMES]
    assert workbook_rows(workbook) == [tuple(EXPORT_COLUMN_NAMES)]


# The workbook.


def test_the_workbook_has_a_bold_frozen_header_dates_and_the_filtered_rows(signed_in, register):
    client = signed_in(Role.MANAGER)

    response = client.get("/vendors/export.xlsx?compliance=overdue&page=2")

    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"].startswith("attachment; filename=vendors-")
    assert response.headers["Content-Disposition"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    rows = [dict(zip(EXPORT_COLUMN_NAMES, r, strict=True)) for r in workbook_rows(response.data)]
    header, first, second = rows
    assert list(header.values()) == EXPORT_COLUMN_NAMES
    assert [(r["vendor_name"], r["category"]) for r in (first, second)] == [
        ("Overdue Co", "identity_contact"),
        ("Overdue Co", "health"),
    ]
    assert first["compliance_status"] == second["compliance_status"] == "overdue"
    assert first["compliance_reasons"] == "review_overdue; unsigned"
    assert isinstance(first["contract_start"], datetime)  # a date, not text
    assert first["contract_start"].date() == date(2024, 1, 31)
    assert first["contract_end"] is None


def test_no_workbook_cell_is_a_formula(signed_in, create_vendor):
    formula = '=HYPERLINK("http://evil.example","Click")'
    create_vendor(
        name="@SUM(A1)", notes=formula, contact_phone="+1 514 555 0100", services="-5 offices"
    )
    client = signed_in(Role.ADMIN)

    sheet = load_workbook(io.BytesIO(client.get("/vendors/export.xlsx").data)).active
    cells = dict(zip(EXPORT_COLUMN_NAMES, sheet[2], strict=True))

    # Each keeps exactly what was typed (no apostrophe, unlike the CSV), typed as text.
    for name, value in [
        ("vendor_name", "@SUM(A1)"),
        ("notes", formula),
        ("services", "-5 offices"),
        ("contact_phone", "+1 514 555 0100"),
    ]:
        assert (cells[name].value, cells[name].data_type) == (value, "s"), name
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_the_workbook_export_is_recorded_with_its_filters(app, signed_in, register):
    client = signed_in(Role.MANAGER)

    client.get("/vendors/export.xlsx?compliance=action")

    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
        assert entry.entity == "vendor"
        assert entry.changes == {"filters": [None, {"compliance": "action"}]}


@pytest.mark.parametrize("role", [Role.OWNER, Role.LEGAL])
def test_owners_and_legal_may_not_export_a_workbook(signed_in, role):
    assert signed_in(role).get("/vendors/export.xlsx").status_code == 403


def test_the_list_offers_both_exports_with_its_filters(signed_in, register):
    manager, owner = signed_in(Role.MANAGER), signed_in(Role.OWNER)

    page = manager.get("/vendors/?compliance=action&sort=country").text
    owners_page = owner.get("/vendors/").text

    assert 'href="/vendors/export.csv?compliance=action&amp;sort=country"' in page
    assert 'href="/vendors/export.xlsx?compliance=action&amp;sort=country"' in page
    assert "export.xlsx" not in owners_page


# The command line.


def test_export_command_writes_the_statuses_as_csv(app, runner, register):
    result = runner.invoke(args=["vendors", "export"])

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    with app.app_context():
        assert compliance(rows) == compliance(exported())
    assert "Exporting" in result.stderr


def test_export_command_writes_a_workbook_to_a_file(runner, register, tmp_path):
    path = tmp_path / "vendors.xlsx"

    result = runner.invoke(args=["vendors", "export", str(path), "--format", "xlsx"])

    assert result.exit_code == 0, result.output
    assert "Exported 5 rows" in result.stderr
    rows = workbook_rows(path.read_bytes())
    assert rows[0] == tuple(EXPORT_COLUMN_NAMES)
    status = EXPORT_COLUMN_NAMES.index("compliance_status")
    assert [(r[0], r[status]) for r in rows[1:]] == [
        ("Action Co", "action"),
        ("Compliant Co", "compliant"),
        ("Overdue Co", "overdue"),
        ("Overdue Co", "overdue"),
        ("Terminated Co", None),
    ]


def test_export_command_of_an_empty_register_writes_only_the_header(runner, tmp_path):
    path = tmp_path / "vendors.xlsx"

    csv_result = runner.invoke(args=["vendors", "export"])
    xlsx_result = runner.invoke(args=["vendors", "export", str(path), "--format", "xlsx"])

    assert csv_result.stdout.splitlines() == [",".join(EXPORT_COLUMN_NAMES)]
    assert xlsx_result.exit_code == 0, xlsx_result.output
    assert workbook_rows(path.read_bytes()) == [tuple(EXPORT_COLUMN_NAMES)]


def test_a_workbook_is_never_printed_to_standard_output(runner, register):
    result = runner.invoke(args=["vendors", "export", "--format", "xlsx"])

    assert result.exit_code == 2
    assert "--format xlsx needs a FILE" in result.stderr
    assert result.stdout == ""


# Reading an export back.


def test_an_export_with_statuses_imports_back_unchanged(app, register):
    with app.app_context():
        before = exported()
        text = "".join(
            csv_chunks(
                export_rows_with_compliance(VendorFilter(), local_today()),
                header=EXPORT_COLUMN_NAMES,
            )
        )

        summary = import_vendors(text.encode("utf-8"), app.config["HOME_COUNTRY"])
        db.session.commit()

    assert (summary.created, summary.updated, summary.sharing_rows, summary.removed) == (0, 4, 2, 0)
    with app.app_context():
        assert exported() == before


def test_an_import_ignores_what_the_compliance_columns_say(app, register):
    with app.app_context():
        rows = exported()
        for row in rows:
            row["compliance_status"], row["compliance_reasons"] = "nonsense", "=not a code"
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMN_NAMES)
        writer.writeheader()
        writer.writerows(rows)

        summary = import_vendors(out.getvalue().encode("utf-8"), app.config["HOME_COUNTRY"])

        assert (summary.created, summary.updated) == (0, 4)


def test_the_web_export_with_statuses_reads_back_as_an_import(signed_in, register):
    client = signed_in(Role.ADMIN)
    data = client.get("/vendors/export.csv").get_data()

    response = client.post(
        "/vendors/import",
        data={"file": (io.BytesIO(data), "vendors.csv")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    assert "added: 0, updated: 4" in client.get("/vendors/").text
    # The register's columns read back the same; the status may move, as the import refreshes
    # the review dates (the overdue date here was set by hand).
    again = client.get("/vendors/export.csv").get_data()
    register_columns = len(EXPORT_COLUMN_NAMES) - 2
    assert [r[:register_columns] for r in csv_rows(again)] == [
        r[:register_columns] for r in csv_rows(data)
    ]
