"""The evidence pack: a zip an auditor can read on its own, holding one vendor's signed addendum,
data-sharing schedule, reviews and audit trail, and saying so when nothing is signed."""

import csv
import io
import zipfile
from datetime import UTC, date, datetime

from sqlalchemy import select

from vendortrack.accounts.models import Role
from vendortrack.addenda.models import AddendumStatus
from vendortrack.evidence.pack import build_pack
from vendortrack.extensions import db
from vendortrack.register.models import ConsentBasis
from vendortrack.reviews.models import EvidenceFile, Review
from vendortrack.trail.models import AuditEntry
from vendortrack.uploads import stored_name

TODAY = date(2026, 5, 4)
NOTHING_SIGNED_EN = "No addendum with this vendor is signed."
NOTHING_SIGNED_FR = "Aucun avenant avec ce fournisseur n’est signé."


def pack(app, vendor_id: int) -> bytes:
    """The vendor's pack as built on TODAY, in a context of its own as a download's would be."""
    with app.app_context():
        return build_pack(vendor_id, TODAY)


def open_pack(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return archive


def read_csv(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    text = archive.read(name).decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets then open the accents as written
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def readme(archive: zipfile.ZipFile) -> str:
    return archive.read("README.txt").decode("utf-8")


def sign(create_addendum, vendor, **overrides):
    values = {"status": AddendumStatus.SIGNED, "signed_on": date(2026, 1, 15)}
    return create_addendum(vendor, **(values | overrides))


def test_a_signed_addendum_is_in_the_pack_as_signed_and_as_generated(
    app, create_vendor, create_addendum
):
    vendor = create_vendor(name="Acme")
    sign(create_addendum, vendor, signed_on=date(2025, 1, 1), signed_copy=b"%PDF old")
    sign(create_addendum, vendor, filename="addendum-acme-en-2026-01-01.docx")

    archive = open_pack(pack(app, vendor.id))

    assert archive.namelist()[0] == "README.txt"
    assert archive.read("addendum/signed.pdf") == b"%PDF-1.4 fake %%EOF"  # the newest one
    assert archive.read("addendum/addendum-acme-en-2026-01-01.docx") == b"PK fake document"
    assert read_csv(archive, "addendum/clauses.csv") == [
        ["clause_id", "version"],
        ["protection", "1"],
    ]
    text = readme(archive)
    assert "Evidence pack: Acme" in text
    assert "Dossier de preuves : Acme" in text
    assert "signed on 2026-01-15" in text
    assert "signé le 2026-01-15" in text
    assert NOTHING_SIGNED_EN not in text
    assert "addendum/signed.pdf" in text  # the README lists every file


def test_a_pack_without_a_signed_addendum_says_so_in_both_languages(
    app, create_vendor, create_addendum
):
    vendor = create_vendor()
    create_addendum(vendor, status=AddendumStatus.SENT)

    archive = open_pack(pack(app, vendor.id))

    text = readme(archive)
    assert NOTHING_SIGNED_EN in text
    assert NOTHING_SIGNED_FR in text
    assert "was sent to the vendor and awaits its signature" in text
    assert "a été envoyé au fournisseur et attend sa signature" in text
    assert not [name for name in archive.namelist() if name.startswith("addendum/")]


def test_a_superseded_addendum_does_not_count_as_signed(app, create_vendor, create_addendum):
    vendor = create_vendor()
    create_addendum(vendor, status=AddendumStatus.SUPERSEDED, signed_on=date(2025, 1, 1))

    archive = open_pack(pack(app, vendor.id))

    assert NOTHING_SIGNED_EN in readme(archive)
    assert "addendum/signed.pdf" not in archive.namelist()


def test_the_data_sharing_schedule_has_one_row_per_category(app, create_vendor):
    vendor = create_vendor(
        sharings=[
            {
                "category": "identity_contact",
                "data_subjects": ["customers", "employees"],
                "locations": ["CA-QC", "US"],
                "subjects_in_quebec": True,
                "record_count": 1200,
                "shared_since": date(2024, 3, 1),
            },
            {
                "category": "financial",
                "purpose": '=HYPERLINK("http://evil.example","Pay")',
                "consent_basis": ConsentBasis.EXPRESS,
                "retention_months": None,
                "retention_until_contract_end": True,
            },
        ]
    )

    rows = read_csv(open_pack(pack(app, vendor.id)), "data-sharing.csv")

    header, *sharings = rows
    by_category = {row[0]: dict(zip(header, row, strict=True)) for row in sharings}
    assert set(by_category) == {"identity_contact", "financial"}
    contact = by_category["identity_contact"]
    assert contact["data_subjects"] == "customers; employees"
    assert contact["places"] == "CA-QC; US"
    assert contact["subjects_in_quebec"] == "yes"
    assert contact["subjects_in_eu"] == "no"
    assert contact["retention_months"] == "24"
    assert contact["record_count"] == "1200"
    assert contact["shared_since"] == "2024-03-01"
    assert contact["category_en"]
    assert contact["category_fr"]
    financial = by_category["financial"]
    assert financial["purpose"] == '\'=HYPERLINK("http://evil.example","Pay")'  # stays text
    assert financial["consent_basis"] == "express"
    assert financial["retention_until_contract_end"] == "yes"


def test_reviews_come_newest_first_with_their_conditions_and_evidence(
    app, create_vendor, create_review, create_user
):
    vendor = create_vendor()
    reviewer = create_user(Role.LEGAL, email="ana@example.org")
    older = create_review(vendor)["review_id"]
    newer = create_review(vendor)["review_id"]
    with app.app_context():
        first, second = db.session.get(Review, older), db.session.get(Review, newer)
        first.superseded_by_id = newer
        second.completed_on = date(2026, 4, 1)
        second.completed_by_id = reviewer.id
        second.notes = "@SUM(1+1) looked fine"
        second.evidence.append(
            EvidenceFile(
                filename="../../etc/report.pdf",
                content_type="application/pdf",
                size=4,
                sha256="1" * 64,
                data=b"%PDF",
            )
        )
        db.session.commit()

    archive = open_pack(pack(app, vendor.id))

    assert read_csv(archive, "reviews.csv") == [
        ["review_id", "completed_on", "completed_by", "outcome", "notes", "superseded"],
        [
            str(newer),
            "2026-04-01",
            "ana@example.org",
            "approved_with_conditions",
            "'@SUM(1+1) looked fine",
            "no",
        ],
        [str(older), "2026-01-10", "", "approved_with_conditions", "", "yes"],
    ]
    conditions = read_csv(archive, "review-conditions.csv")
    assert conditions[0] == ["review_id", "text", "due_on", "met_on"]
    assert [str(newer), "Send the latest audit report", "2026-03-01", ""] in conditions
    assert len(conditions) == 3
    checklists = read_csv(archive, "review-checklists.csv")
    assert [str(older), "signed_addendum", "yes", "", ""] in checklists
    assert archive.read(f"reviews/{older}/e.png") == b"\x89PNG\r\n\x1a\n"
    assert archive.read(f"reviews/{newer}/report.pdf") == b"%PDF"  # no way out of its folder


def test_the_audit_trail_holds_this_vendors_entries_only_oldest_first(app, create_vendor):
    vendor, other = create_vendor(name="Acme"), create_vendor(name="Other")
    with app.app_context():
        for minute, vendor_id in ((2, vendor.id), (1, vendor.id), (3, other.id)):
            db.session.add(
                AuditEntry(
                    at=datetime(2020, 1, 1, 12, minute, tzinfo=UTC),
                    user_email="=cmd@example.org",
                    ip_address="192.0.2.1",
                    action="update",
                    entity="vendor",
                    entity_id=vendor_id,
                    vendor_id=vendor_id,
                    changes={"name": ["Old", "New"], "criticality": ["low", "high"]},
                )
            )
        db.session.commit()

    rows = read_csv(open_pack(pack(app, vendor.id)), "audit-trail.csv")

    assert rows[0] == [
        "time_utc",
        "user_email",
        "ip_address",
        "actor",
        "action",
        "entity",
        "entity_id",
        "changes",
    ]
    assert rows[1] == [
        "2020-01-01T12:01:00+00:00",
        "'=cmd@example.org",
        "192.0.2.1",
        "",
        "update",
        "vendor",
        str(vendor.id),
        '{"criticality": ["low", "high"], "name": ["Old", "New"]}',
    ]
    assert rows[2][0] == "2020-01-01T12:02:00+00:00"
    assert {row[6] for row in rows[1:]} == {str(vendor.id)}  # the vendor's creation is there too
    assert any(row[4] == "create" for row in rows[1:])
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])


def test_the_same_records_on_the_same_day_give_the_same_pack(app, create_vendor, create_review):
    vendor = create_vendor()
    create_review(vendor)
    assert pack(app, vendor.id) == pack(app, vendor.id)


def test_the_pack_reads_the_database_in_a_fixed_number_of_queries(
    app, create_vendor, create_review, count_queries
):
    small, large = create_vendor(), create_vendor()
    create_review(small)
    for _ in range(4):
        create_review(large)
    small_id, large_id = small.id, large.id
    assert count_queries(lambda: pack(app, small_id)) == count_queries(lambda: pack(app, large_id))


def test_uploaded_names_cannot_leave_their_folder():
    assert stored_name("../../etc/passwd") == "passwd"
    assert stored_name("C:\\Users\\ana\\report.pdf") == "report.pdf"
    assert stored_name("..") == "file"
    assert stored_name("a\x00b.pdf") == "ab.pdf"


def test_legal_downloads_the_pack_and_the_download_is_recorded(
    app, signed_in, create_vendor, create_addendum
):
    client = signed_in(Role.LEGAL)
    vendor = create_vendor(name="Émile & Fils")
    sign(create_addendum, vendor)

    response = client.get(f"/vendors/{vendor.id}/evidence.zip")

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=evidence-emile-fils-")
    assert disposition.endswith(".zip")
    assert "addendum/signed.pdf" in open_pack(response.data).namelist()
    with app.app_context():
        query = select(AuditEntry).where(AuditEntry.entity == "evidence_pack")
        entry = db.session.scalars(query).one()
        assert entry.action == "export"
        assert entry.user_email == client.user.email
        assert entry.changes == {"filters": [None, {"vendor": vendor.id}]}
        assert entry.vendor_id == vendor.id  # so the vendor's own trail shows who took a copy


def test_owners_may_not_download_a_pack(app, signed_in, create_vendor):
    client = signed_in(Role.OWNER)
    vendor = create_vendor(owner_id=client.user.id)
    assert client.get(f"/vendors/{vendor.id}/evidence.zip").status_code == 403
    with app.app_context():
        query = select(AuditEntry).where(AuditEntry.entity == "evidence_pack")
        assert db.session.scalar(query) is None


def test_an_unknown_vendor_has_no_pack(signed_in):
    assert signed_in(Role.ADMIN).get("/vendors/999/evidence.zip").status_code == 404


def test_the_vendor_page_offers_the_pack_to_those_who_may_download_it(signed_in, create_vendor):
    vendor = create_vendor()
    link = f"/vendors/{vendor.id}/evidence.zip"
    assert link in signed_in(Role.MANAGER).get(f"/vendors/{vendor.id}").text
    assert link not in signed_in(Role.OWNER).get(f"/vendors/{vendor.id}").text
