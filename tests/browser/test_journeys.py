"""The journeys people take, clicked through in Chromium."""

import tomllib
from pathlib import Path

import pytest
from docx import Document

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, make_sharing
from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.vendors.models import Level, Vendor, VendorStatus
from vendortrack.vendors.services import refresh_risk_tier

pytestmark = pytest.mark.browser
CLAUSES = Path(__file__).resolve().parents[2] / "contract_clauses"
# The privacy plan's four contract requirements: protect the information, let us audit, use it
# only for the contract's purposes, pass us any request to see one's records.
PRIVACY_PLAN_CLAUSES = ("protection", "audit", "purpose", "access_requests")


def french_title(clause_id: str) -> str:
    with (CLAUSES / f"{clause_id}.toml").open("rb") as file:
        return tomllib.load(file)["title"]["fr"]


def person(role: Role, email: str, name: str) -> User:
    user = User(email=email, name=name, role=role)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def quebec_vendor(owner: User | None = None) -> Vendor:
    vendor = Vendor(
        name="Clinique Santé Laurentides",
        country="CA",
        subdivision="CA-QC",
        status=VendorStatus.ACTIVE,
        criticality=Level.HIGH,
        owner_id=owner.id if owner else None,
    )
    vendor.sharings.append(
        make_sharing(category="health", subjects_in_quebec=True, locations=["CA-QC", "US"])
    )
    refresh_risk_tier(vendor, "CA")
    db.session.add(vendor)
    db.session.add(
        OrganisationSettings(
            id=1,
            legal_name="Centres Sportifs Boréal inc.",
            privacy_officer_name="Amélie Roy",
            privacy_officer_email="vie.privee@boreal.example",
            home_jurisdiction="CA-QC",
            signatory_name="Louis Tremblay",
            signatory_title="Président",
        )
    )
    db.session.commit()
    return vendor


def test_legal_generates_the_french_addendum_of_a_quebec_vendor(live, page, tmp_path):
    legal = person(Role.LEGAL, "louise@example.org", "Louise Légale")
    vendor = quebec_vendor()

    sign_in(page, live, legal)
    page.goto(f"{live.url}/vendors/")
    page.get_by_role("link", name=vendor.name).click()
    page.get_by_role("link", name="Addenda", exact=True).click()
    page.get_by_role("link", name="Generate an addendum").click()
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Generate the addendum").click()
    page.wait_for_url("**/addenda/*")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download .docx").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    text = "\n".join(p.text for p in Document(saved).paragraphs)
    for clause_id in PRIVACY_PLAN_CLAUSES:
        assert french_title(clause_id) in text, clause_id
    assert "Centres Sportifs Boréal inc." in text
    assert saved.suffix == ".docx"
