"""The vendor CSV format: reading and checking an import, writing it, and the round trip."""

import csv
import io
import re
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import delete, event, select

from tests.helpers import count
from vendortrack.accounts.models import Role, User
from vendortrack.database import MAX_INTEGER
from vendortrack.extensions import db
from vendortrack.register.bulk import (
    ImportRejected,
    count_export_rows,
    export_rows,
    import_vendors,
)
from vendortrack.register.csvcolumns import COLUMN_NAMES
from vendortrack.register.csvfile import read_vendor_csv
from vendortrack.register.listing import VendorFilter, parse_filter
from vendortrack.register.models import ConsentBasis, DataSharing, Level, Vendor, VendorStatus
from vendortrack.register.services import save_sharing, save_vendor
from vendortrack.reviews.services import new_vendor_schedule, refresh_review_due
from vendortrack.spreadsheet import csv_chunks
from vendortrack.trail.models import AuditEntry

IMPORT_COLUMNS = [name for name in COLUMN_NAMES if name != "risk_tier"]
SHARING = {
    "category": "identity_contact",
    "data_subjects": "customers",
    "purpose": "Deliver orders",
    "locations": "CA",
    "consent_basis": "implied",
    "retention_months": "24",
}


def sharing(**changes) -> dict:
    return {**SHARING, **changes}


def row(**cells) -> dict:
    return {"vendor_name": "Acme", "country": "CA", **cells}


def to_csv(*rows: dict, columns=IMPORT_COLUMNS, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    for cells in rows:
        writer.writerow([cells.get(name, "") for name in columns])
    return out.getvalue().encode("utf-8")


def read(*rows: dict, owners=None, **options):
    return read_vendor_csv(to_csv(*rows, **options), owners or {})


def messages(parsed) -> list[str]:
    return [str(error) for error in parsed.errors]


def exported(f=None) -> str:
    return "".join(csv_chunks(export_rows(f or VendorFilter()), COLUMN_NAMES))


# Reading and checking, without a database.


def test_a_vendor_with_two_sharing_rows_is_read_in_the_models_terms():
    same = {
        "status": "Active",
        "criticality": "high",
        "contract_start": "2024-01-31",
        "notice_period_days": "30",
    }
    health = {
        "category": "health",
        "data_subjects": "patients; customers",
        "purpose": "Care",
        "locations": "ca-qc;US",
        "consent_basis": "express",
        "retention_until_contract_end": "1",
        "record_count": "150000",
        "shared_since": "2023-05-01",
    }
    parsed = read(
        row(
            **same,
            auto_renewal="yes",
            owner_email=" Ann@Example.org ",
            **sharing(subjects_in_quebec="oui"),
        ),
        row(**same, auto_renewal="true", owner_email="ann@example.org", **health),
        owners={"ann@example.org": 7},
    )

    assert parsed.errors == []
    [vendor] = parsed.vendors
    assert vendor.values["status"] is VendorStatus.ACTIVE
    assert vendor.values["criticality"] is Level.HIGH
    assert vendor.values["contract_start"] == date(2024, 1, 31)
    assert vendor.values["notice_period_days"] == 30
    assert vendor.values["auto_renewal"] is True
    assert vendor.values["owner_id"] == 7
    first, second = (s.values for s in vendor.sharings)
    assert first["subjects_in_quebec"] is True
    assert first["retention_months"] == 24
    assert second["data_subjects"] == ["patients", "customers"]
    assert second["location_codes"] == ["CA-QC", "US"]
    assert second["consent_basis"] is ConsentBasis.EXPRESS
    assert second["retention_until_contract_end"] is True
    assert second["record_count"] == 150_000
    assert second["shared_since"] == date(2023, 5, 1)


def test_a_vendor_without_data_sharing_is_one_row_with_empty_sharing_columns():
    parsed = read(row(subdivision="ca-qc"))

    assert parsed.errors == []
    [vendor] = parsed.vendors
    assert vendor.sharings == []
    assert vendor.values["subdivision"] == "CA-QC"
    assert vendor.values["status"] is VendorStatus.PROSPECT
    assert vendor.values["criticality"] is Level.LOW
    assert vendor.values["owner_id"] is None


def test_a_bad_date_is_reported_with_its_row_and_column():
    parsed = read(
        row(), row(vendor_name="Beta"), row(vendor_name="Gamma", contract_end="31/12/2025")
    )

    assert messages(parsed) == [
        "Row 4, column contract_end: 31/12/2025 is not a date; write dates as YYYY-MM-DD, "
        "for example 2025-03-31."
    ]


def test_every_problem_of_every_row_is_reported():
    parsed = read(
        row(website="example.com", notice_period_days="-1"),
        row(vendor_name="Beta", country="Canada", **SHARING),
        row(vendor_name="", country="CA"),
    )

    assert [(e.row, e.column) for e in parsed.errors] == [
        (2, "website"),
        (2, "notice_period_days"),
        (3, "country"),
        (4, "vendor_name"),
    ]


def test_latin1_text_is_refused_naming_the_first_row_and_column_that_is_not_utf8():
    data = to_csv(row(), row(vendor_name="Café Inc")).decode().encode("latin-1")

    parsed = read_vendor_csv(data, {})

    assert parsed.vendors == []
    [error] = parsed.errors
    assert (error.row, error.column) == (3, "vendor_name")
    assert "not UTF-8" in str(error)
    assert "CSV UTF-8" in str(error)


def test_the_encoding_error_names_the_column_in_a_file_separated_by_semicolons():
    data = to_csv(row(notes="Déjà vu"), delimiter=";").decode().encode("latin-1")

    [error] = read_vendor_csv(data, {}).errors

    assert (error.row, error.column) == (2, "notes")


def test_a_utf8_byte_order_mark_is_accepted():
    parsed = read_vendor_csv(b"\xef\xbb\xbf" + to_csv(row(vendor_name="Café Noël")), {})

    assert parsed.errors == []
    assert parsed.vendors[0].values["name"] == "Café Noël"


def test_a_missing_column_is_refused_by_name():
    parsed = read(row(), columns=[c for c in IMPORT_COLUMNS if c != "purpose"])

    assert messages(parsed) == [
        "Row 1, column purpose: This column is missing. Every column except risk_tier is "
        "required, even when its cells are empty."
    ]
    assert parsed.vendors == []


def test_unknown_and_repeated_columns_are_refused():
    parsed = read(row(), columns=[*IMPORT_COLUMNS, "colour", "notes"])

    assert [(e.row, e.column) for e in parsed.errors] == [(1, "colour"), (1, "notes")]
    assert "Unknown column" in str(parsed.errors[0])
    assert "more than once" in str(parsed.errors[1])


def test_an_empty_file_is_refused():
    assert messages(read_vendor_csv(b"", {})) == [
        "Row 1: The file is empty: its first row must name the columns."
    ]


def test_header_names_ignore_case_and_order_and_risk_tier_is_optional():
    columns = list(reversed([name.upper() for name in IMPORT_COLUMNS]))

    parsed = read_vendor_csv(to_csv(row(), columns=columns).replace(b"ACME", b"Acme"), {})

    assert parsed.errors == []


def test_risk_tier_is_read_only_and_ignored():
    parsed = read(row(risk_tier="nonsense"), columns=COLUMN_NAMES)

    assert parsed.errors == []
    assert "risk_tier" not in parsed.vendors[0].values


def test_rows_of_one_vendor_must_agree_on_the_vendor_columns():
    parsed = read(
        row(notes="First", **SHARING),
        row(vendor_name="ACME", notes="First", **sharing(category="health")),
        row(notes="Second", **sharing(category="financial")),
    )

    assert [(e.row, e.column) for e in parsed.errors] == [(3, "vendor_name"), (4, "notes")]
    assert "Differs from row 2 of the same vendor" in str(parsed.errors[1])


def test_a_vendor_may_not_list_a_category_twice():
    parsed = read(row(**SHARING), row(**SHARING))

    assert messages(parsed) == [
        "Row 3, column category: Row 2 already gives identity_contact for this vendor; a vendor "
        "has one row per category."
    ]


def test_a_row_with_a_category_needs_purpose_consent_and_one_retention():
    parsed = read(
        row(**sharing(purpose="", consent_basis="", retention_months="")),
        row(vendor_name="Beta", **SHARING, retention_until_contract_end="yes"),
    )

    assert [(e.row, e.column) for e in parsed.errors] == [
        (2, "purpose"),
        (2, "consent_basis"),
        (2, "retention_months"),
        (3, "retention_months"),
    ]
    assert "not both" in str(parsed.errors[-1])


def test_sharing_columns_without_a_category_are_refused():
    parsed = read(row(purpose="Payroll"))

    assert [(e.row, e.column) for e in parsed.errors] == [(2, "purpose")]
    assert "no category" in str(parsed.errors[0])


@pytest.mark.parametrize(
    ("cells", "column", "fragment"),
    [
        ({"website": "ftp://example.com"}, "website", "https://example.com"),
        ({"country": "XX"}, "country", "Unknown country code XX"),
        ({"subdivision": "US-CA"}, "subdivision", "US-CA is not in the country CA"),
        ({"subdivision": "CA-ZZ"}, "subdivision", "Unknown province or state code"),
        ({"contact_email": "not an email"}, "contact_email", "valid email address"),
        ({"owner_email": "nobody@example.org"}, "owner_email", "No user has the email"),
        ({"status": "dormant"}, "status", "prospect, active, offboarding, terminated"),
        ({"criticality": "extreme"}, "criticality", "low, medium, high, critical"),
        (
            {"contract_start": "2025-02-01", "contract_end": "2025-01-31"},
            "contract_end",
            "cannot end before it starts",
        ),
        ({"contract_start": "2025-02-30"}, "contract_start", "is not a date"),
        ({"notice_period_days": "ten"}, "notice_period_days", "not a whole number"),
        ({"auto_renewal": "maybe"}, "auto_renewal", "not yes or no"),
        ({"vendor_name": "x" * 201}, "vendor_name", "at most 200 characters"),
        ({**SHARING, "category": "gossip"}, "category", "Unknown category gossip"),
        ({**SHARING, "data_subjects": "customers;aliens"}, "data_subjects", "aliens"),
        ({**SHARING, "locations": "CA;Mars"}, "locations", "MARS"),
        ({**SHARING, "consent_basis": "tacit"}, "consent_basis", "express, implied, opt_out"),
        ({**SHARING, "retention_months": "0"}, "retention_months", "positive number"),
        ({**SHARING, "record_count": "-5"}, "record_count", "positive number"),
        ({**SHARING, "record_count": "99999999999"}, "record_count", "no larger than"),
    ],
)
def test_the_forms_rules_apply_to_each_cell(cells, column, fragment):
    parsed = read(row(**cells))

    assert [e.column for e in parsed.errors] == [column]
    assert fragment in str(parsed.errors[0])


def test_a_file_from_a_french_spreadsheet_may_separate_cells_with_semicolons():
    parsed = read(row(vendor_name="Émile", **sharing(locations="CA-QC;FR")), delimiter=";")

    assert parsed.errors == []
    assert parsed.vendors[0].sharings[0].values["location_codes"] == ["CA-QC", "FR"]


def test_blank_rows_are_skipped_and_short_rows_are_padded():
    data = to_csv(row()) + b",,,,\r\n\r\nBeta,,,CA\r\n"

    parsed = read_vendor_csv(data, {})

    assert parsed.errors == []
    assert [v.values["name"] for v in parsed.vendors] == ["Acme", "Beta"]


def test_a_row_longer_than_the_header_is_refused():
    parsed = read_vendor_csv(to_csv(row()) + b"Beta" + b",x" * len(IMPORT_COLUMNS) + b"\r\n", {})

    assert messages(parsed) == ["Row 3: This row has more cells than the first row has columns."]


def test_too_many_rows_are_refused():
    parsed = read_vendor_csv(to_csv(*(row(vendor_name=f"V{n}") for n in range(4))), {}, max_rows=3)

    assert messages(parsed) == [
        "Row 5: The file has more than 3 rows; split it into smaller files."
    ]


def test_numbers_past_what_the_database_holds_are_refused_with_their_row_and_column():
    parsed = read(
        row(notice_period_days=str(MAX_INTEGER)),
        row(vendor_name="Beta", notice_period_days=str(MAX_INTEGER + 1)),
        row(vendor_name="Gamma", **sharing(record_count=str(MAX_INTEGER + 1))),
    )

    assert messages(parsed) == [
        "Row 3, column notice_period_days: Enter a number no larger than 2,000,000,000.",
        "Row 4, column record_count: Enter a number no larger than 2,000,000,000.",
    ]
    assert parsed.vendors[0].values["notice_period_days"] == MAX_INTEGER


def test_a_cell_too_long_for_the_csv_reader_is_refused_in_our_words():
    limit = csv.field_size_limit()

    parsed = read(row(), row(vendor_name="Beta", notes="x" * (limit + 1)))

    assert messages(parsed) == [f"Row 3: A cell is longer than {limit:,} characters."]


def test_numbers_in_messages_are_written_the_readers_way(app):
    rows = to_csv(*(row(vendor_name=f"V{n}") for n in range(1001)))
    too_many = read_vendor_csv(rows, {}, max_rows=1000)
    too_long = read(row(notes="x" * 131_073))

    # The messages were made in English; they are shown in French, numbers included.
    with app.app_context():  # force_locale changes nothing outside one
        with force_locale("fr"):
            shown = [str(too_many.errors[0].message), str(too_long.errors[0].message)]
        english = str(too_many.errors[0].message)

    assert re.search("1[\u202f\xa0]000", shown[0]), shown[0]
    assert re.search("131[\u202f\xa0]072", shown[1]), shown[1]
    assert "1,000" in english


# Writing to the database and reading back.


@pytest.fixture
def register(create_user, create_vendor):
    owner = create_user(Role.OWNER, email="owner@example.org")
    tricky = create_vendor(
        name='Gestion Émile & Fils <inc> "Québec" 🎉',
        legal_name="Gestion Émile & Fils inc.",
        website="https://émile.example.ca",
        subdivision="CA-QC",
        owner=owner,
        contact_email="émile@example.ca",
        contract_start=date(2024, 1, 1),
        contract_end=date(2026, 12, 31),
        notice_period_days=60,
        auto_renewal=True,
        notes="Two lines,\nwith a comma; a semicolon & <tags> and ✓",
        sharings=[
            {
                "category": "health",
                "data_subjects": ["patients", "customers"],
                "locations": ["US", "CA-QC"],
                "consent_basis": ConsentBasis.EXPRESS,
                "retention_months": None,
                "retention_until_contract_end": True,
                "record_count": 120_000,
                "shared_since": date(2023, 3, 1),
                "subjects_in_quebec": True,
                "purpose": "Soins «infirmiers» à domicile",
            },
            {"category": "identity_contact"},
        ],
    )
    plain = create_vendor(name="Zeta Ltd", country="FR", status=VendorStatus.PROSPECT)
    return tricky, plain


def test_export_then_import_changes_nothing(app, register):
    with app.app_context():
        before = exported()
        stamps = db.session.execute(select(Vendor.id, Vendor.updated_at)).all()
        sharing_stamps = db.session.execute(select(DataSharing.id, DataSharing.updated_at)).all()

        summary = import_vendors(before.encode("utf-8"), app.config["HOME_COUNTRY"])
        db.session.commit()

    assert (summary.created, summary.updated, summary.sharing_rows, summary.removed) == (0, 2, 2, 0)
    with app.app_context():
        assert exported() == before
        assert db.session.execute(select(Vendor.id, Vendor.updated_at)).all() == stamps
        assert (
            db.session.execute(select(DataSharing.id, DataSharing.updated_at)).all()
            == sharing_stamps
        )


def test_accents_symbols_and_emoji_survive_the_round_trip(app, register):
    tricky, _ = register
    with app.app_context():
        text = exported()
        db.session.delete(db.session.get(Vendor, tricky.id))
        db.session.commit()

        import_vendors(text.encode("utf-8"), app.config["HOME_COUNTRY"])
        db.session.commit()

    with app.app_context():
        vendor = db.session.scalar(select(Vendor).where(Vendor.name.like("Gestion%")))
        assert vendor.name == 'Gestion Émile & Fils <inc> "Québec" 🎉'
        assert vendor.notes == "Two lines,\nwith a comma; a semicolon & <tags> and ✓"
        assert vendor.owner.email == "owner@example.org"
        health = next(s for s in vendor.sharings if s.category == "health")
        assert health.purpose == "Soins «infirmiers» à domicile"
        assert health.location_codes == ["CA-QC", "US"]
        assert exported() == text


def test_reimporting_updates_the_vendor_found_by_name_instead_of_adding_one(app, create_vendor):
    vendor = create_vendor(name="Acme Cloud", criticality=Level.LOW, sharings=[{}])
    data = to_csv(
        row(
            vendor_name="  ACME   cloud ",
            criticality="high",
            **sharing(purpose="New purpose", record_count="500"),
        )
    )

    for _ in range(2):
        with app.app_context():
            summary = import_vendors(data, app.config["HOME_COUNTRY"])
            db.session.commit()

    assert (summary.created, summary.updated) == (0, 1)
    with app.app_context():
        assert count(Vendor) == 1
        assert count(DataSharing) == 1
        vendor = db.session.get(Vendor, vendor.id)
        assert vendor.name == "ACME   cloud"
        assert vendor.criticality is Level.HIGH
        assert vendor.risk_tier is Level.HIGH  # the tier is refreshed, not imported
        assert vendor.sharings[0].purpose == "New purpose"
        assert vendor.sharings[0].record_count == 500


def test_the_file_is_the_truth_for_the_vendors_it_names_and_only_those(app, create_vendor):
    named = create_vendor(
        name="Acme", sharings=[{"category": "identity_contact"}, {"category": "health"}]
    )
    other = create_vendor(name="Other", sharings=[{"category": "health"}])

    with app.app_context():
        summary = import_vendors(to_csv(row(**SHARING)), app.config["HOME_COUNTRY"])
        db.session.commit()

    assert (summary.sharing_rows, summary.removed) == (1, 1)
    with app.app_context():
        named = db.session.get(Vendor, named.id)
        assert [s.category for s in named.sharings] == ["identity_contact"]
        assert named.risk_tier is Level.MEDIUM  # no longer raised by health information
        other = db.session.get(Vendor, other.id)
        assert [s.category for s in other.sharings] == ["health"]


def test_new_vendors_are_created_with_their_sharing(app, create_user):
    create_user(Role.MANAGER, email="manager@example.org")
    data = to_csv(
        row(owner_email="MANAGER@example.org", **SHARING),
        row(owner_email="MANAGER@example.org", **sharing(category="financial")),
        row(vendor_name="Solo", country="FR"),
    )

    with app.app_context():
        summary = import_vendors(data, app.config["HOME_COUNTRY"])
        db.session.commit()

    assert (summary.created, summary.updated, summary.sharing_rows) == (2, 0, 2)
    with app.app_context():
        acme = db.session.scalar(select(Vendor).where(Vendor.name == "Acme"))
        assert acme.owner.email == "manager@example.org"
        assert sorted(s.category for s in acme.sharings) == ["financial", "identity_contact"]
        assert acme.risk_tier is Level.HIGH  # financial information is highly sensitive


def test_a_new_vendor_of_an_import_is_stored_and_recorded_as_the_services_save_it(app, create_user):
    """The import inserts new vendors as rows, past the session, dated as they go in: what it
    stores and what the audit trail records must be what saving the same values through the
    services, then working out the next review, gives."""
    owner = create_user(Role.OWNER, email="owner@example.org")
    cells = {
        "country": "CA",
        "subdivision": "CA-QC",
        "owner_email": "owner@example.org",
        "contact_email": "Dana@Example.org",
        "contract_end": "2027-06-30",
        "notice_period_days": "60",
        "notes": "x" * 1_500,  # recorded as its size and digest
    }
    rows = [
        row(vendor_name=name, **cells, **sharing(locations="ca;fr;CA", record_count="50"))
        for name in ("Imported", "Saved")
    ]
    rows += [
        row(vendor_name=n, **cells, **sharing(category="health")) for n in ("Imported", "Saved")
    ]
    with app.app_context():
        parsed = read_vendor_csv(to_csv(*rows), {owner.email: owner.id})
        saved = parsed.vendors[1]
        vendor = save_vendor(Vendor(), saved.values, "CA")
        for item in saved.sharings:
            save_sharing(vendor, DataSharing(), item.values, "CA")
        refresh_review_due(vendor)
        import_vendors(to_csv(rows[0], rows[2]), "CA", new_vendor_schedule())
        db.session.commit()

        def stored(name: str) -> tuple:
            vendor = db.session.scalar(select(Vendor).where(Vendor.name == name))
            # Not the version: the services' flushes (vendor, then each row) move it on.
            columns = _columns(vendor, skip={"id", "name", "name_key", "version", *TIMES})
            places = [[p.code for p in s.locations] for s in vendor.sharings]
            sharings = [_columns(s, skip={"id", "vendor_id", *TIMES}) for s in vendor.sharings]
            return columns, sharings, places, _entries(vendor.id)

        assert stored("Imported") == stored("Saved")


TIMES = {"created_at", "updated_at"}


def _columns(row, skip: set) -> dict:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key not in skip}


def _entries(vendor_id: int) -> list:
    """The vendor's audit entries, without what differs between two vendors (ids, names)."""
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.vendor_id == vendor_id).order_by(AuditEntry.id)
    )
    ids = {"name", "vendor_id", "data_sharing_id"}
    return sorted(
        (e.action, e.entity, sorted((k, v) for k, v in e.changes.items() if k not in ids))
        for e in entries
    )


def test_one_bad_row_among_good_ones_writes_nothing(app, create_vendor):
    create_vendor(name="Acme", notes="Untouched")
    data = to_csv(
        row(notes="Changed"),
        row(vendor_name="New one"),
        row(vendor_name="Broken", contract_end="tomorrow"),
    )

    with app.app_context():
        with pytest.raises(ImportRejected) as rejected:
            import_vendors(data, app.config["HOME_COUNTRY"])
        db.session.rollback()

    assert [str(e) for e in rejected.value.errors] == [
        "Row 4, column contract_end: tomorrow is not a date; write dates as YYYY-MM-DD, for "
        "example 2025-03-31."
    ]
    with app.app_context():
        assert db.session.scalars(select(Vendor.name)).all() == ["Acme"]
        assert db.session.scalar(select(Vendor.notes)) == "Untouched"


def test_a_vendor_whose_owner_was_deactivated_exports_and_imports_unchanged(
    app, create_user, create_vendor
):
    owner = create_user(Role.OWNER, email="gone@example.org")
    vendor = create_vendor(name="Acme", owner=owner, sharings=[{}])
    with app.app_context():
        db.session.get(User, owner.id).active = False
        db.session.commit()

    with app.app_context():
        before = exported()
        summary = import_vendors(before.encode("utf-8"), app.config["HOME_COUNTRY"])
        db.session.commit()

    assert (summary.created, summary.updated) == (0, 1)
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).owner.email == "gone@example.org"
        assert exported() == before


def test_any_user_may_be_named_owner_but_an_unknown_email_is_refused(app, create_user):
    create_user(Role.OWNER, email="gone@example.org", active=False)
    data = to_csv(
        row(owner_email="gone@example.org"), row(vendor_name="Beta", owner_email="new@example.org")
    )

    with app.app_context(), pytest.raises(ImportRejected) as rejected:
        import_vendors(data, app.config["HOME_COUNTRY"])

    assert [str(e) for e in rejected.value.errors] == [
        "Row 3, column owner_email: No user has the email new@example.org."
    ]


def test_the_export_has_one_row_per_sharing_row_and_the_computed_risk_tier(app, register):
    with app.app_context():
        rows = list(csv.DictReader(io.StringIO(exported())))

    assert [(r["vendor_name"][:7], r["category"]) for r in rows] == [
        ("Gestion", "health"),
        ("Gestion", "identity_contact"),
        ("Zeta Lt", ""),
    ]
    assert rows[0]["risk_tier"] == "critical"
    assert rows[0]["locations"] == "CA-QC;US"
    assert rows[0]["data_subjects"] == "patients;customers"
    assert rows[0]["owner_email"] == "owner@example.org"
    assert rows[2]["subjects_in_quebec"] == ""
    assert rows[2]["auto_renewal"] == "no"


def test_the_export_honours_the_lists_filters(app, register):
    f = parse_filter({"status": "prospect"})

    with app.app_context():
        rows = list(csv.DictReader(io.StringIO(exported(f))))

        assert [r["vendor_name"] for r in rows] == ["Zeta Ltd"]
        assert count_export_rows(f) == 1
        assert count_export_rows(VendorFilter()) == 3


def test_the_export_runs_one_query_whatever_the_number_of_vendors(app, create_vendor):
    for n in range(30):
        create_vendor(name=f"Vendor {n:02}", sharings=[{}, {"category": "health"}])
    statements = []

    def count(*args):
        statements.append(args[2])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        rows = list(export_rows(VendorFilter()))
        event.remove(db.engine, "before_cursor_execute", count)

    assert len(rows) == 60
    assert len(statements) == 1


def test_cells_a_spreadsheet_would_run_as_formulas_are_exported_as_text(app, create_vendor):
    formula = '=HYPERLINK("http://evil.example","Click")'
    create_vendor(
        name="@SUM(A1)", notes=formula, contact_phone="+1 514 555 0100", services="-5 offices"
    )
    with app.app_context():
        rows = list(csv.DictReader(io.StringIO(exported())))
    assert rows[0]["vendor_name"] == "'@SUM(A1)"
    assert rows[0]["notes"] == "'" + formula
    assert rows[0]["services"] == "'-5 offices"
    assert rows[0]["contact_phone"] == "+1 514 555 0100"  # a phone number is not a formula

    with app.app_context():
        text = exported()
        db.session.execute(delete(Vendor))
        db.session.commit()
        import_vendors(text.encode("utf-8"), app.config["HOME_COUNTRY"])
        db.session.commit()
    with app.app_context():
        vendor = db.session.scalar(select(Vendor))
        assert (vendor.name, vendor.notes, vendor.services) == ("@SUM(A1)", formula, "-5 offices")


def statements_sent(fn) -> int:
    """How many statements fn() sends, counting those SQLAlchemy executes (before_execute).

    Not cursor executions: SQLite cannot return the ids of a many-row INSERT in order, so one
    flush's INSERT of a table reaches SQLite one row at a time (PostgreSQL gets it in pages).
    What must not grow with the vendors is what the import asks for: lookups, loads and flushes.
    """
    statements = []

    def record(conn, clauseelement, *args):
        statements.append(clauseelement)

    db.session.expunge_all()  # an import starts from an empty session, as a command does
    event.listen(db.engine, "before_execute", record)
    try:
        fn()
        db.session.commit()
    finally:
        event.remove(db.engine, "before_execute", record)
    return len(statements)


@pytest.mark.parametrize("again", [False, True], ids=["first import", "re-import"])
def test_an_import_sends_statements_per_batch_not_per_vendor(app, again):
    def count(name: str, vendors: int) -> int:
        data = to_csv(*(row(vendor_name=f"{name} {n}", **SHARING) for n in range(vendors)))
        if again:
            import_vendors(data, app.config["HOME_COUNTRY"])
            db.session.commit()
        return statements_sent(lambda: import_vendors(data, app.config["HOME_COUNTRY"]))

    with app.app_context():
        small, large = count("Small", 50), count("Large", 500)

    # One batch each; a statement per vendor would make the large count ten times the small one.
    assert large < 2 * small, (small, large)


@pytest.mark.parametrize("text", ["Acme\nSubject: pay now", "Acme\rCo", "Acme\u2028Co", "Acme\tCo"])
def test_line_breaks_and_control_characters_are_refused_in_one_line_cells(text):
    parsed = read(row(vendor_name=text))

    assert messages(parsed) == [
        "Row 2, column vendor_name: Remove the line breaks or control characters from this cell."
    ]
