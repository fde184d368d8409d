"""A vendor's assurance documents: kept with their dates and file, refused when the dates or
the file do not hold; which ones each risk tier requires; the compliance rule that follows; and
the reminders 60, 30 and 0 days before one expires."""

import re
from datetime import date
from io import BytesIO

import pytest
from sqlalchemy import select

from tests.helpers import app_context, at, real_pdf
from vendortrack.accounts.models import Role
from vendortrack.assurance.models import DocumentKind, RequiredDocument, VendorDocument
from vendortrack.compliance.register import vendor_compliance
from vendortrack.extensions import db
from vendortrack.register.models import Level
from vendortrack.reminders.sweep import send_due
from vendortrack.trail.models import AuditEntry


def upload(client, vendor, **fields):
    form = {
        "kind": "soc2",
        "issuer": "Audit & Associés",
        "covers_from": "2026-01-01",
        "covers_to": "2026-12-31",
        "expires_on": "2027-12-31",
        "file": (BytesIO(real_pdf()), "soc2-type2.pdf"),
        **fields,
    }
    return client.post(
        f"/vendors/{vendor.id}/documents/new", data=form, content_type="multipart/form-data"
    )


def documents(app) -> list[VendorDocument]:
    with app_context(app, expire_on_commit=False):
        return list(db.session.scalars(select(VendorDocument)))


def test_legal_keeps_a_soc2_report_and_everyone_reads_it(app, signed_in, create_vendor):
    legal = signed_in(Role.LEGAL)
    vendor = create_vendor()

    response = upload(legal, vendor)

    assert response.status_code == 302
    (document,) = documents(app)
    assert (document.kind, document.issuer) == (DocumentKind.SOC2, "Audit & Associés")
    assert document.expires_on == date(2027, 12, 31)
    page = signed_in(Role.OWNER).get(f"/vendors/{vendor.id}")
    assert 'data-document="soc2"' in page.text
    assert "SOC 2 report" in page.text
    download = signed_in(Role.MANAGER).get(f"/vendors/{vendor.id}/documents/{document.id}")
    assert download.status_code == 200
    assert download.data.startswith(b"%PDF")
    with app_context(app):
        assert db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "vendor_document")
        ).all() == ["create", "view"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"covers_to": "2025-06-30"}, "covers_to", "The period covered ends before it starts."),
        (
            {"expires_on": "2025-12-31"},
            "expires_on",
            "The document expires before the period it covers starts.",
        ),
        ({"file": (BytesIO(b"MZ\x90"), "soc2.pdf")}, "file", "soc2.pdf: "),
        ({"file": (BytesIO(b""), "")}, "file", "Choose the file to upload."),
        ({"kind": "diploma"}, "kind", "Not a valid choice."),
        ({"issuer": "x" * 201}, "issuer", "Write at most 200 characters."),
    ],
)
def test_what_does_not_hold_is_refused_beside_its_field_and_nothing_is_kept(
    app, signed_in, create_vendor, field_errors, fields, field, message
):
    response = upload(signed_in(Role.LEGAL), create_vendor(), **fields)
    assert response.status_code == 422
    (error,) = field_errors(response.text, field)
    assert error.startswith(message)
    assert documents(app) == []


def test_an_owner_keeps_the_documents_of_their_own_vendors_only(app, signed_in, create_vendor):
    owner = signed_in(Role.OWNER)
    assert upload(owner, create_vendor(owner_id=owner.user.id)).status_code == 302
    assert upload(owner, create_vendor()).status_code == 403
    assert len(documents(app)) == 1


def test_a_document_is_removed_by_whoever_keeps_them(app, signed_in, create_vendor):
    legal = signed_in(Role.LEGAL)
    vendor = create_vendor()
    upload(legal, vendor)
    (document,) = documents(app)
    removed = legal.post(f"/vendors/{vendor.id}/documents/{document.id}/remove")
    assert removed.status_code == 302
    assert documents(app) == []


# --- the policy and the compliance rule -----------------------------------------------------


def require(admin, **tiers):
    """Tick, on the policy page, the kinds each risk tier requires: require(medium=["soc2"])."""
    form = {f"require_{tier}_{kind}": "y" for tier, kinds in tiers.items() for kind in kinds}
    return admin.post("/documents/policy", data=form)


def reasons(app, vendor, today) -> list[str]:
    with app.app_context():
        found = vendor_compliance(vendor.id, today)
        return [rule.code for rule in found.rules] if found else []


def test_a_required_document_missing_or_expired_needs_action(app, signed_in, create_vendor):
    admin = signed_in(Role.ADMIN)
    vendor = create_vendor(criticality=Level.MEDIUM)
    today = date(2027, 6, 1)
    assert "document_required" not in reasons(app, vendor, today)  # nothing required yet

    assert require(admin, medium=["soc2"]).status_code == 302
    assert "document_required" in reasons(app, vendor, today)
    page = admin.get("/documents/policy")
    assert re.search(r'<input[^>]* checked [^>]*name="require_medium_soc2"', page.text)

    upload(admin, vendor, expires_on="2027-06-30")
    assert "document_required" not in reasons(app, vendor, today)
    # The stored status turns on the first day after the last good day, with no change to a row.
    assert "document_required" not in reasons(app, vendor, date(2027, 6, 30))
    assert "document_required" in reasons(app, vendor, date(2027, 7, 1))

    require(admin)  # nothing required any more
    assert "document_required" not in reasons(app, vendor, date(2027, 7, 1))
    with app_context(app):
        assert db.session.scalars(select(RequiredDocument)).all() == []
        trail = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "document_policy")
        ).all()
        assert trail == ["create", "delete"]


def test_the_vendor_page_names_what_its_tier_requires(app, signed_in, create_vendor):
    admin = signed_in(Role.ADMIN)
    vendor = create_vendor(criticality=Level.MEDIUM)
    require(admin, medium=["soc2", "insurance"])
    upload(admin, vendor, expires_on="2020-12-31", covers_from="2019-01-01", covers_to="2019-12-31")
    page = admin.get(f"/vendors/{vendor.id}")
    assert "Required for its risk tier, and missing: Insurance certificate." in page.text
    assert "Required for its risk tier, and expired on Dec 31, 2020: SOC 2 report." in page.text


# --- reminders ------------------------------------------------------------------------------


@pytest.fixture
def owned(app, create_user, create_vendor, signed_in):
    owner = create_user(Role.OWNER, email="olivia@example.org", name="Olivia Owner")
    vendor = create_vendor(owner_id=owner.id, name="Nuage inc.")
    return owner, vendor


def sweep(app, day: str):
    with app_context(app):
        return send_due(at(f"{day} 08:00"))


def test_the_owner_is_reminded_60_and_30_days_before_and_on_the_day_once_each(
    app, signed_in, owned, smtp
):
    _owner, vendor = owned
    upload(signed_in(Role.LEGAL), vendor, expires_on="2027-03-31")
    for day in ("2027-01-29", "2027-01-30", "2027-02-15", "2027-03-01", "2027-03-02", "2027-03-31"):
        sweep(app, day)
    mails = smtp.to("olivia@example.org")
    texts = [m.get_body(("plain",)).get_content() for m in mails]
    assert len(mails) == 3
    assert "SOC 2 report: good until March 31, 2027, 60 days from now." in texts[0]
    assert "SOC 2 report: good until March 31, 2027, 30 days from now." in texts[1]
    assert "SOC 2 report: today is the last day it is good for." in texts[2]
    assert f"/vendors/{vendor.id}#documents" in texts[2]


def test_a_document_replaced_by_a_newer_one_brings_no_reminder(app, signed_in, owned, smtp):
    _owner, vendor = owned
    legal = signed_in(Role.LEGAL)
    upload(legal, vendor, expires_on="2027-03-31")
    upload(legal, vendor, expires_on="2028-03-31", covers_from="2027-01-01", covers_to="2027-12-31")
    sweep(app, "2027-03-01")
    assert smtp.to("olivia@example.org") == []


def test_a_reminder_planned_for_a_document_later_replaced_is_skipped(app, signed_in, owned, smtp):
    _owner, vendor = owned
    legal = signed_in(Role.LEGAL)
    upload(legal, vendor, expires_on="2027-03-31")
    smtp.busy = True
    sweep(app, "2027-03-01")  # planned, deferred
    smtp.busy = False
    upload(legal, vendor, expires_on="2028-03-31", covers_from="2027-01-01", covers_to="2027-12-31")
    result = sweep(app, "2027-03-02")
    assert result.skipped == 1
    assert smtp.to("olivia@example.org") == []


def test_a_reminder_delayed_past_the_last_good_day_is_skipped(app, signed_in, owned, smtp):
    _owner, vendor = owned
    upload(signed_in(Role.LEGAL), vendor, expires_on="2027-03-31")
    smtp.busy = True
    sweep(app, "2027-03-31")  # expires_0, deferred
    smtp.busy = False
    result = sweep(app, "2027-04-01")
    assert result.skipped == 1
    assert smtp.to("olivia@example.org") == []


def test_two_documents_of_a_kind_expiring_the_same_day_bring_one_reminder(
    app, signed_in, owned, smtp
):
    _owner, vendor = owned
    legal = signed_in(Role.LEGAL)
    upload(legal, vendor, expires_on="2027-03-31")
    upload(legal, vendor, expires_on="2027-03-31")
    sweep(app, "2027-03-01")
    (mail,) = smtp.to("olivia@example.org")
    assert mail.get_body(("plain",)).get_content().count("SOC 2 report: good until") == 1


def test_other_documents_are_each_reminded_of(app, signed_in, owned, smtp):
    _owner, vendor = owned
    legal = signed_in(Role.LEGAL)
    upload(legal, vendor, kind="other", expires_on="2027-03-31")
    upload(legal, vendor, kind="other", expires_on="2028-03-31")
    sweep(app, "2027-03-01")
    assert len(smtp.to("olivia@example.org")) == 1


def test_other_documents_are_no_kind_a_policy_requires(signed_in):
    page = signed_in(Role.ADMIN).get("/documents/policy")
    assert 'name="require_low_soc2"' in page.text
    assert "require_low_other" not in page.text
