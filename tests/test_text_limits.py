"""Every text a person writes has a maximum length: the form refuses more next to the field, the
CSV import names the row and column, the database refuses it whatever wrote it, and the audit
trail keeps a long value as its size and hash rather than copying it into every entry."""

import hashlib
from datetime import date

import pytest
from sqlalchemy import CheckConstraint, Text, select, update
from sqlalchemy.exc import DataError, IntegrityError
from wtforms.validators import Length

from tests.fixtures.factories import create_change
from tests.helpers import app_context, count
from tests.vendors.test_csv import read, row, sharing
from tests.vendors.test_views import form_of
from vendortrack.accounts.forms import AccountForm, ProfileFields
from vendortrack.accounts.models import Role
from vendortrack.assurance.forms import DocumentFields
from vendortrack.contracts.forms import DecisionForm
from vendortrack.extensions import db
from vendortrack.organisation.forms import SettingsForm
from vendortrack.questionnaires import answering
from vendortrack.questionnaires.forms import InvitationForm
from vendortrack.register.models import SUB_PROCESSOR_TEXT_LIMITS, Vendor
from vendortrack.reviews.forms import ConditionForm, IncidentForm, ReviewForm
from vendortrack.reviews.models import ReviewTrigger, TriggerKind
from vendortrack.trail.models import AuditEntry
from vendortrack.vendors.forms import (
    ChangeDecisionForm,
    ChangeForm,
    RiskOverrideForm,
    SharingForm,
    SubProcessorForm,
    VendorForm,
)

# The guarantee, in characters (not bytes): what the README promises.
LIMITS = {
    ("vendors", "name"): 200,
    ("vendors", "legal_name"): 200,
    ("vendors", "website"): 300,
    ("vendors", "services"): 5_000,
    ("vendors", "contract_reference"): 100,
    ("vendors", "notes"): 20_000,
    ("vendors", "risk_override_reason"): 2_000,
    ("vendors", "pia_measures"): 5_000,
    ("vendors", "pia_measures_fr"): 5_000,
    ("vendors", "address"): 1_000,
    ("vendors", "signatory_name"): 120,
    ("vendors", "signatory_title"): 120,
    ("data_sharings", "purpose"): 2_000,
    ("data_sharings", "purpose_fr"): 2_000,
    ("sub_processors", "name"): 200,
    ("sub_processors", "address"): 1_000,
    ("sub_processors", "processing"): 2_000,
    ("sub_processors", "processing_fr"): 2_000,
    ("reviews", "notes"): 10_000,
    ("review_conditions", "text"): 2_000,
    ("agreement_findings", "reason"): 2_000,
    ("review_triggers", "detail"): 5_000,
    ("organisation_settings", "legal_name"): 200,
    ("organisation_settings", "address"): 1_000,
    ("organisation_settings", "privacy_officer_name"): 120,
    ("organisation_settings", "privacy_officer_title"): 120,
    ("organisation_settings", "privacy_officer_email"): 254,
    ("organisation_settings", "signatory_name"): 120,
    ("organisation_settings", "signatory_title"): 120,
    ("organisation_settings", "forum"): 120,
    ("organisation_settings", "eu_representative"): 1_000,
    ("users", "name"): 120,
    ("users", "email"): 254,
    ("questionnaire_requests", "message"): 2_000,
    ("questionnaire_answers", "comment"): 5_000,
    ("vendor_documents", "issuer"): 200,
    ("sub_processor_changes", "name"): 200,
    ("sub_processor_changes", "processing"): 2_000,
    ("sub_processor_changes", "notice"): 2_000,
    ("sub_processor_changes", "reason"): 2_000,
}
# Unbounded text that no person types: written by the application (mail, errors), or by no form
# yet (an addendum's notes). A form that starts writing one must give it a limit.
APP_WRITTEN = {
    ("addenda", "notes"),
    # Quoted from the vendor's document by the check, cut at QUOTE_LIMIT and CONTEXT_LIMIT.
    ("agreement_findings", "quote"),
    ("agreement_findings", "context"),
    ("reminders", "last_error"),
    ("questionnaire_notices", "last_error"),
    ("mail_messages", "text_body"),
    ("mail_messages", "html_body"),
    ("mail_messages", "error"),
    ("sweep_runs", "error"),
}
# The form field that writes each limited column.
FORM_FIELDS = {
    ("agreement_findings", "reason"): (DecisionForm, "reason"),
    ("vendors", "name"): (VendorForm, "name"),
    ("vendors", "legal_name"): (VendorForm, "legal_name"),
    ("vendors", "website"): (VendorForm, "website"),
    ("vendors", "services"): (VendorForm, "services"),
    ("vendors", "contract_reference"): (VendorForm, "contract_reference"),
    ("vendors", "notes"): (VendorForm, "notes"),
    ("vendors", "risk_override_reason"): (RiskOverrideForm, "reason"),
    ("vendors", "pia_measures"): (VendorForm, "pia_measures"),
    ("vendors", "pia_measures_fr"): (VendorForm, "pia_measures_fr"),
    ("vendors", "address"): (VendorForm, "address"),
    ("vendors", "signatory_name"): (VendorForm, "signatory_name"),
    ("vendors", "signatory_title"): (VendorForm, "signatory_title"),
    ("data_sharings", "purpose"): (SharingForm, "purpose"),
    ("data_sharings", "purpose_fr"): (SharingForm, "purpose_fr"),
    **{("sub_processors", name): (SubProcessorForm, name) for name in SUB_PROCESSOR_TEXT_LIMITS},
    ("reviews", "notes"): (ReviewForm, "notes"),
    ("review_conditions", "text"): (ConditionForm, "text"),
    ("review_triggers", "detail"): (IncidentForm, "detail"),
    **{
        ("organisation_settings", name): (SettingsForm, name)
        for name in [
            "legal_name",
            "address",
            "privacy_officer_name",
            "privacy_officer_title",
            "privacy_officer_email",
            "signatory_name",
            "signatory_title",
            "forum",
            "eu_representative",
        ]
    },
    ("users", "name"): (ProfileFields, "name"),
    ("users", "email"): (ProfileFields, "email"),
    ("questionnaire_requests", "message"): (InvitationForm, "message"),
    ("vendor_documents", "issuer"): (DocumentFields, "issuer"),
    **{("sub_processor_changes", n): (ChangeForm, n) for n in ("name", "processing", "notice")},
    ("sub_processor_changes", "reason"): (ChangeDecisionForm, "reason"),
}
# Limited columns written by a page that is no WTForms form (the vendor's questionnaire, whose
# fields follow its questions), with the limit that page's reading holds them to.
PAGE_FIELDS = {("questionnaire_answers", "comment"): answering.COMMENT_LIMIT}
FOUR_MB = 4 * 1024 * 1024


def column_limits() -> dict[tuple[str, str], int]:
    """The limits the models' CHECK constraints hold the database to."""
    return {
        (table.name, c.info["column"]): c.info["max_length"]
        for table in db.metadata.sorted_tables
        for c in table.constraints
        if isinstance(c, CheckConstraint) and "max_length" in c.info
    }


def length_max(form_class, name: str) -> int | None:
    validators = getattr(form_class, name).kwargs.get("validators", [])
    (length,) = [v for v in validators if isinstance(v, Length)] or [None]
    return length.max if length else None


def test_every_text_a_person_writes_has_its_limit_in_the_database(app):
    assert column_limits() == LIMITS


def test_no_other_column_holds_text_of_any_length(app):
    unbounded = {
        (table.name, column.name)
        for table in db.metadata.sorted_tables
        for column in table.columns
        if type(column.type) is Text
    }
    assert unbounded - set(LIMITS) == APP_WRITTEN


def test_each_form_field_allows_what_its_column_holds(app):
    assert set(FORM_FIELDS) | set(PAGE_FIELDS) == set(LIMITS)
    allowed = {column: length_max(*field) for column, field in FORM_FIELDS.items()}
    assert allowed | PAGE_FIELDS == column_limits()
    assert length_max(AccountForm, "name") == LIMITS["users", "name"]


def test_four_megabytes_of_notes_are_refused_next_to_the_field_and_nothing_is_written(
    app, signed_in, create_vendor, field_errors
):
    editor = signed_in(Role.MANAGER)
    vendor = create_vendor(notes="Short")
    with app.app_context():
        before = count(AuditEntry)

    response = editor.post(f"/vendors/{vendor.id}/edit", data=form_of(vendor, notes="x" * FOUR_MB))

    assert response.status_code == 200
    assert field_errors(response.text, "notes") == ["Write at most 20,000 characters."]
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).notes == "Short"
        assert count(AuditEntry, AuditEntry.action != "view") == before


def test_a_french_reader_sees_the_limit_written_their_way(signed_in, create_vendor, field_errors):
    editor = signed_in(Role.MANAGER, language="fr")
    vendor = create_vendor()
    response = editor.post(f"/vendors/{vendor.id}/edit", data=form_of(vendor, notes="x" * 20_001))
    (error,) = field_errors(response.text, "notes")
    assert error.replace("\u202f", " ").replace("\xa0", " ") == "Écrivez au plus 20 000 caractères."


def test_the_limit_itself_is_allowed(app, signed_in, create_vendor):
    editor = signed_in(Role.MANAGER)
    vendor = create_vendor()
    editor.post(f"/vendors/{vendor.id}/edit", data=form_of(vendor, notes="é" * 20_000))
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).notes == "é" * 20_000


def test_a_long_value_is_kept_whole_on_the_record_and_as_size_and_hash_in_the_trail(
    app, signed_in, create_vendor
):
    editor = signed_in(Role.MANAGER)
    vendor = create_vendor()
    notes = "Clause 7 " * 600  # 5,400 characters

    editor.post(f"/vendors/{vendor.id}/edit", data=form_of(vendor, notes=notes))

    with app.app_context():
        assert db.session.get(Vendor, vendor.id).notes == notes.strip()
        (entry,) = db.session.scalars(
            select(AuditEntry).filter_by(action="update", entity="vendor", entity_id=vendor.id)
        )
        digest = hashlib.sha256(notes.strip().encode()).hexdigest()
        assert entry.changes["notes"] == [None, f"(5,399 characters, SHA-256 {digest})"]
    page = signed_in(Role.ADMIN).get("/audit")
    assert f"(5,399 characters, SHA-256 {digest})" in page.text


def test_a_short_value_is_still_recorded_as_written(app, signed_in, create_vendor):
    editor = signed_in(Role.MANAGER)
    vendor = create_vendor()
    editor.post(f"/vendors/{vendor.id}/edit", data=form_of(vendor, notes="n" * 1_000))
    with app.app_context():
        (entry,) = db.session.scalars(
            select(AuditEntry).filter_by(action="update", entity="vendor")
        )
        assert entry.changes["notes"] == [None, "n" * 1_000]


@pytest.fixture
def one_row_of_each(
    app,
    create_user,
    create_vendor,
    create_review,
    create_agreement,
    create_questionnaire,
    create_document,
    settings,
):
    create_user(Role.ADMIN)
    vendor = create_vendor(sharings=[{}], sub_processors=[{}])
    create_review(vendor)
    create_agreement(vendor)
    create_questionnaire(vendor)
    create_document(vendor)
    create_change(app, vendor)
    with app_context(app):
        db.session.add(
            ReviewTrigger(
                vendor_id=vendor.id, kind=TriggerKind.INCIDENT, raised_on=date(2026, 1, 5)
            )
        )
        db.session.commit()


def test_the_database_refuses_text_over_its_limit_whatever_writes_it(app, one_row_of_each):
    # Straight SQL, past the forms and the import: a script, a future form, a CLI command.
    # Accented letters count as one character each, as people count them.
    tables = {table.name: table for table in db.metadata.sorted_tables}
    accepted, refused = [], []
    with app.app_context():
        for (table_name, column), limit in LIMITS.items():
            table = tables[table_name]
            with db.session.begin_nested():
                db.session.execute(update(table).values({column: "é" * limit}))
                accepted.append((table_name, column))
            try:
                with db.session.begin_nested():
                    db.session.execute(update(table).values({column: "é" * (limit + 1)}))
            # PostgreSQL's VARCHAR(n) refuses first (DataError) where the column has a length.
            except (IntegrityError, DataError):
                refused.append((table_name, column))
    assert accepted == list(LIMITS)
    assert refused == list(LIMITS)


def test_the_orm_cannot_save_over_long_notes(app, create_vendor):
    with pytest.raises(IntegrityError):
        create_vendor(notes="x" * 20_001)
    with app.app_context():
        assert count(Vendor) == 0


@pytest.mark.parametrize(
    ("cells", "column", "limit"),
    [
        ({"notes": "n" * 20_001}, "notes", "20,000"),
        ({"services": "s" * 5_001}, "services", "5,000"),
        (sharing(purpose="p" * 2_001), "purpose", "2,000"),
    ],
)
def test_an_over_long_csv_cell_is_refused_with_its_row_and_column(cells, column, limit):
    parsed = read(row(), row(vendor_name="Beta", **cells))
    assert [str(e) for e in parsed.errors] == [
        f"Row 3, column {column}: Write at most {limit} characters."
    ]


def test_a_csv_cell_of_many_lines_within_its_limit_is_read(app):
    parsed = read(row(notes="line one\nline two"))
    assert parsed.errors == []
    assert parsed.vendors[0].values["notes"] == "line one\nline two"
