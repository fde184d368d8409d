"""Storage full while a document is stored (documents are kept in the database): a plain 507
page, and no record left without its file, no audit entry for it, the vendor as it was.

Neither database can be given a full disk cheaply. SQLite is capped at its size
(PRAGMA max_page_count); PostgreSQL, which has no such cap, is made to answer a row too large for
one of its pages as its storage manager does on a full disk: SQLSTATE 53100, disk_full.
"""

import io
import logging
import os
import re
import zipfile

import docx
import pytest
from sqlalchemy import event, select, text

from tests.helpers import count, generate
from vendortrack.accounts.models import Role
from vendortrack.addenda.models import Addendum, AddendumStatus
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.register.models import Vendor
from vendortrack.reviews.checklist import CHECKLIST
from vendortrack.reviews.models import EvidenceFile, Review, ReviewCondition
from vendortrack.trail.models import AuditEntry

FULL_MESSAGE = "The server ran out of storage space; nothing was saved."
# How each database says so, as the log line quotes it.
NO_ROOM = {"sqlite": "database or disk is full", "postgresql": "No space left on device"}
# A row larger than a PostgreSQL page (8 kB) needs new pages (in its TOAST table): no room.
NO_ROOM_FUNCTION = """
CREATE FUNCTION no_room() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF octet_length(NEW::text) > 8192 THEN
        RAISE EXCEPTION 'could not extend file: No space left on device'
            USING ERRCODE = 'disk_full';
    END IF;
    RETURN NEW;
END $$
"""
# Far more than the free room left in a page or two of the file: storing it needs new pages.
LARGE = 200_000


def row(model, id_) -> dict:
    """The row as the database holds it now, not as the session remembers it."""
    return db.session.execute(select(model.__table__).where(model.id == id_)).one()._asdict()


def large_docx(text: str = "Signed") -> bytes:
    """A genuine .docx carrying a large scan, as a signed copy or a letterhead with a logo."""
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/media/scan.bin", os.urandom(LARGE))
    return buffer.getvalue()


def large_png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + os.urandom(LARGE)


def assert_full_page(response):
    assert response.status_code == 507
    assert FULL_MESSAGE in response.text
    assert "Traceback" not in response.text
    assert "OperationalError" not in response.text


@pytest.fixture
def disk_full(app, caplog):
    """disk_full(): from then on the database cannot grow by a single page, as on a full disk,
    so that SQLite answers "database or disk is full" (SQLITE_FULL) to a write needing room,
    and PostgreSQL disk_full to a row needing pages of its own."""

    def no_room(dbapi_connection, record):
        # A limit below the file's size leaves it at its size: not one page more.
        dbapi_connection.execute("PRAGMA max_page_count = 1")

    def fill():
        caplog.set_level(logging.ERROR)
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                refuse_large_rows()
                return
            db.engine.dispose()  # every connection from now on is opened with the limit
            event.listen(db.engine, "connect", no_room)

    yield fill
    with app.app_context():
        if event.contains(db.engine, "connect", no_room):
            event.remove(db.engine, "connect", no_room)


def refuse_large_rows() -> None:
    """Make PostgreSQL refuse, as disk_full, any row written larger than a page."""
    with db.engine.begin() as connection:
        connection.execute(text(NO_ROOM_FUNCTION))
        for table in db.metadata.sorted_tables:
            connection.execute(
                text(
                    f'CREATE TRIGGER no_room BEFORE INSERT OR UPDATE ON "{table.name}" '
                    "FOR EACH ROW EXECUTE FUNCTION no_room()"
                )
            )


@pytest.fixture
def vendor(create_vendor):
    sharing = {"category": "health", "subjects_in_quebec": True, "locations": ["CA-QC"]}
    return create_vendor(name="Clinique Nord", subdivision="CA-QC", sharings=[sharing])


def test_a_signed_copy_that_cannot_be_stored_leaves_the_addendum_unsigned(
    app, signed_in, settings, vendor, disk_full, caplog
):
    legal = signed_in(Role.LEGAL)
    generate(legal, vendor, "fr")
    with app.app_context():
        addendum_id = db.session.scalar(select(Addendum.id))
    legal.post(f"/addenda/{addendum_id}/sent")
    with app.app_context():
        before = row(Addendum, addendum_id), row(Vendor, vendor.id), count(AuditEntry)

    disk_full()
    upload = {"signed_copy": (io.BytesIO(large_docx()), "signed.docx"), "signed_on": "2026-11-01"}
    response = legal.post(
        f"/addenda/{addendum_id}/sign", data=upload, content_type="multipart/form-data"
    )

    assert_full_page(response)
    with app.app_context():
        after = row(Addendum, addendum_id), row(Vendor, vendor.id), count(AuditEntry)
        no_room = NO_ROOM[db.engine.dialect.name]
    assert after == before
    assert after[0]["status"] == AddendumStatus.SENT.value
    assert after[0]["signed_copy"] is None
    # For us, in the log: what failed and why.
    assert any(
        "POST /addenda/" in r.getMessage() and no_room in r.getMessage() for r in caplog.records
    )


def test_an_addendum_that_cannot_be_stored_is_not_generated(
    app, signed_in, settings, vendor, disk_full
):
    legal = signed_in(Role.LEGAL)
    page = legal.get(f"/vendors/{vendor.id}/addenda/new").text
    clauses = re.findall(r'value="(\w+)" id="clause-\w+" checked', page)
    with app.app_context():
        before = row(Vendor, vendor.id), count(AuditEntry)

    disk_full()
    response = generate(legal, vendor, "fr", clauses=clauses)

    assert_full_page(response)
    with app.app_context():
        assert count(Addendum) == 0
        assert (row(Vendor, vendor.id), count(AuditEntry)) == before


def test_evidence_that_cannot_be_stored_leaves_no_review(app, signed_in, create_vendor, disk_full):
    owner = signed_in(Role.OWNER)
    vendor = create_vendor(owner_id=owner.user.id)
    with app.app_context():
        before = row(Vendor, vendor.id), count(AuditEntry)

    disk_full()
    form = {f"check_{code}": "yes" for code in CHECKLIST} | {
        "outcome": "approved_with_conditions",
        "completed_on": "2026-10-15",
        "conditions-0-text": "Send the SOC 2 report",
        "conditions-0-due_on": "2027-01-15",
        "evidence": (io.BytesIO(large_png()), "scan.png"),
    }
    response = owner.post(
        f"/vendors/{vendor.id}/reviews/new", data=form, content_type="multipart/form-data"
    )

    assert_full_page(response)
    with app.app_context():
        assert (count(Review), count(ReviewCondition), count(EvidenceFile)) == (0, 0, 0)
        # The next review date stays where it was: no review was recorded to move it.
        assert (row(Vendor, vendor.id), count(AuditEntry)) == before


def test_a_letterhead_that_cannot_be_stored_leaves_the_settings_as_they_were(
    app, signed_in, settings, disk_full
):
    admin = signed_in(Role.ADMIN)
    with app.app_context():
        before = row(OrganisationSettings, 1), count(AuditEntry)

    disk_full()
    form = {
        "legal_name": "Centres Sportifs Boréal inc.",
        "address": "1 rue du Parc\nMontréal",
        "privacy_officer_name": "Amélie Roy",
        "privacy_officer_email": "vie.privee@boreal.example",
        "home_jurisdiction": "ca-qc",
        "breach_notice_hours": "24",
        "access_forwarding_days": "10",
        "signatory_name": "Louis Tremblay",
        "signatory_title": "Directeur général",
        "sub_processor_notice_days": "30",
        "letterhead": (io.BytesIO(large_docx("BORÉAL")), "letterhead.docx"),
    }
    response = admin.post("/settings/", data=form, content_type="multipart/form-data")

    assert_full_page(response)
    with app.app_context():
        assert (row(OrganisationSettings, 1), count(AuditEntry)) == before
