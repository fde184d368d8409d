"""The organisation settings page: what every addendum says about us."""

import io

import docx
import pytest
from sqlalchemy import select

from tests.helpers import fetched
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.register.models import Level, Vendor

FORM = {
    "legal_name": "Centres Sportifs Boréal inc.",
    "address": "1 rue du Parc\nMontréal",
    "privacy_officer_name": "Amélie Roy",
    "privacy_officer_title": "Responsable",
    "privacy_officer_email": "vie.privee@boreal.example",
    "home_jurisdiction": "ca-qc",
    "breach_notice_hours": "24",
    "access_forwarding_days": "10",
    "signatory_name": "Louis Tremblay",
    "signatory_title": "Président",
    "sub_processor_notice_days": "30",
}


def letterhead_docx() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "BORÉAL"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_admin_saves_the_settings(app, signed_in):
    admin = signed_in(Role.ADMIN)
    assert admin.get("/settings/").status_code == 200
    response = admin.post("/settings/", data=FORM)
    assert response.status_code == 302
    row = fetched(app, OrganisationSettings)
    assert (row.legal_name, row.home_jurisdiction, row.access_forwarding_days) == (
        "Centres Sportifs Boréal inc.",
        "CA-QC",
        10,
    )


def test_the_forwarding_delay_must_leave_time_to_answer_within_30_days(
    app, signed_in, field_errors
):
    admin = signed_in(Role.ADMIN)
    response = admin.post("/settings/", data=FORM | {"access_forwarding_days": "25"})
    assert field_errors(response.text, "access_forwarding_days") == [
        "Enter a whole number of days from 1 to 20."
    ]
    assert fetched(app, OrganisationSettings) is None


@pytest.mark.parametrize("typed", ["twenty", "2.5", "0", "-3", "721", "", "9" * 30])
def test_the_number_fields_say_what_is_allowed_whatever_was_typed(
    app, signed_in, field_errors, typed
):
    admin = signed_in(Role.ADMIN)
    sent = FORM | {"breach_notice_hours": typed, "access_forwarding_days": typed}
    response = admin.post("/settings/", data=sent)
    assert response.status_code == 200
    assert field_errors(response.text, "breach_notice_hours") == [
        "Enter a whole number of hours from 1 to 720."
    ]
    assert field_errors(response.text, "access_forwarding_days") == [
        "Enter a whole number of days from 1 to 20."
    ]
    assert fetched(app, OrganisationSettings) is None


def test_the_number_fields_say_it_in_french(signed_in, field_errors):
    admin = signed_in(Role.ADMIN, language="fr")
    sent = FORM | {"breach_notice_hours": "vingt", "access_forwarding_days": "0"}
    response = admin.post("/settings/", data=sent)
    assert field_errors(response.text, "breach_notice_hours") == [
        "Entrez un nombre entier d’heures de 1 à 720."
    ]
    assert field_errors(response.text, "access_forwarding_days") == [
        "Entrez un nombre entier de jours de 1 à 20."
    ]


def test_a_letterhead_is_checked_when_uploaded(app, signed_in, field_errors):
    admin = signed_in(Role.ADMIN)
    upload = FORM | {"letterhead": (io.BytesIO(b"PK\x05\x06" + bytes(18)), "letterhead.docx")}
    response = admin.post("/settings/", data=upload, content_type="multipart/form-data")
    assert field_errors(response.text, "letterhead") == ["This is not a Word .docx file."]
    assert fetched(app, OrganisationSettings) is None

    upload = FORM | {"letterhead": (io.BytesIO(letterhead_docx()), "boreal.docx")}
    admin.post("/settings/", data=upload, content_type="multipart/form-data")
    assert fetched(app, OrganisationSettings).letterhead_filename == "boreal.docx"
    admin.post("/settings/", data=FORM | {"remove_letterhead": "y"})
    with app.app_context():  # a deferred column: read it where it can load
        assert db.session.scalar(select(OrganisationSettings.letterhead)) is None


def test_moving_the_home_country_refreshes_the_risk_tiers(app, signed_in, create_vendor):
    admin = signed_in(Role.ADMIN)
    vendor = create_vendor(
        criticality=Level.LOW, sharings=[{"category": "business_contact", "locations": ["US"]}]
    )
    assert vendor.risk_tier == Level.MEDIUM  # cross-border from Canada
    response = admin.post(
        "/settings/", data=FORM | {"home_jurisdiction": "US-CA"}, follow_redirects=True
    )
    assert "1 risk tier was updated" in response.text
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).risk_tier == Level.LOW
    # Editing the vendor afterwards judges "abroad" from the new home too.
    edit = {
        "name": vendor.name,
        "country": "CA",
        "status": "active",
        "criticality": "low",
        "owner_id": "0",
        "services": "Hosting",
    }
    assert admin.post(f"/vendors/{vendor.id}/edit", data=edit).status_code == 302
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).risk_tier == Level.LOW


def test_only_administrators_open_the_settings(signed_in):
    for role in (Role.LEGAL, Role.MANAGER, Role.OWNER):
        assert signed_in(role).get("/settings/").status_code == 403


def test_the_contract_terms_are_set_on_the_page(app, signed_in, field_errors):
    admin = signed_in(Role.ADMIN)
    page = admin.get("/settings/").text
    assert 'value="CA-ON"' in page  # the provinces whose laws may govern addenda
    terms = {"ccpa_business": "y", "governing_law": "CA-ON", "forum": "Toronto"}
    assert admin.post("/settings/", data=FORM | terms).status_code == 302
    row = fetched(app, OrganisationSettings)
    # A box left unticked is "no": the liability cap is kept.
    assert (row.ccpa_business, row.uncapped_liability) == (True, False)
    assert (row.governing_law, row.forum) == ("CA-ON", "Toronto")
    response = admin.post("/settings/", data=FORM | terms | {"governing_law": "US-CA"})
    assert field_errors(response.text, "governing_law") == ["Not a valid choice."]
    assert fetched(app, OrganisationSettings).governing_law == "CA-ON"
