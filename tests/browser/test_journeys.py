"""The journeys people take, clicked through in Chromium."""

import csv
import re
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from flask import current_app

from tests.contracts.documents import docx_of
from tests.helpers import PASSWORD, app_context, browser_sign_in, loaded, make_sharing
from vendortrack.accounts.models import Role, User
from vendortrack.addenda.facts import Standing, vendor_facts
from vendortrack.addenda.models import Addendum, AddendumClause, AddendumStatus
from vendortrack.compliance.status import assessments
from vendortrack.database import utcnow
from vendortrack.demo.loader import today_in
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.register.models import Level, Vendor, VendorStatus
from vendortrack.register.services import refresh_risk_tier
from vendortrack.reminders.sweep import send_due

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CLAUSES = Path(__file__).resolve().parents[2] / "contract_clauses"
# The privacy plan's four contract requirements: protect the information, let us audit, use it
# only for the contract's purposes, pass us any request to see one's records.
PRIVACY_PLAN_CLAUSES = ("protection", "audit", "purpose", "access_requests")


def french_title(clause_id: str) -> str:
    with (CLAUSES / f"{clause_id}.toml").open("rb") as file:
        return tomllib.load(file)["title"]["fr"]


# The set-up below opens a context of its own, as the factories do (tests/fixtures/factories.py),
# and returns rows loaded for use once it has closed.


def person(app, role: Role, email: str, name: str) -> User:
    with app_context(app):
        user = User(email=email, name=name, role=role)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return loaded(user)


def quebec_vendor(app, owner: User | None = None) -> Vendor:
    with app_context(app):
        vendor = Vendor(
            name="Clinique Santé Laurentides",
            country="CA",
            subdivision="CA-QC",
            status=VendorStatus.ACTIVE,
            criticality=Level.HIGH,
            owner_id=owner.id if owner else None,
            address="1200, boulevard René-Lévesque Ouest\nMontréal (Québec)  H3B 1Z6",
            contract_reference="CSL-2024-007",  # the generate page names the contract with it
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
                forum="Montréal",
            )
        )
        db.session.commit()
        return loaded(vendor)


def test_legal_generates_the_french_addendum_of_a_quebec_vendor(live, page, tmp_path):
    legal = person(live, Role.LEGAL, "louise@example.org", "Louise Légale")
    vendor = quebec_vendor(live)

    browser_sign_in(page, live, legal)
    page.goto(f"{live.url}/vendors/")
    page.get_by_role("link", name=vendor.name).click()
    # The clinic's host goes on the list the addendum approves.
    page.get_by_role("link", name="Add a sub-processor").click()
    page.get_by_label("Legal name").fill("Nuage Santé inc.")
    page.get_by_label("What it does with the information, in English").fill("Hosts the records")
    page.get_by_label("What it does with the information, in French").fill("Héberge les dossiers")
    page.get_by_label("Where it processes the information").fill("ca-qc")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The sub-processor is saved.").wait_for()
    page.get_by_role("link", name="Addenda", exact=True).click()
    page.get_by_role("link", name="Generate an addendum").click()
    page.get_by_label("Language").select_option("fr")
    page.get_by_label("Specific: the vendor asks us for each one").check()
    page.get_by_role("button", name="Generate the addendum").click()
    page.wait_for_url("**/addenda/*")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download .docx").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    document = Document(saved)
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    for clause_id in PRIVACY_PLAN_CLAUSES:
        assert french_title(clause_id) in text, clause_id
    assert "Centres Sportifs Boréal inc." in text
    assert "Nuage Santé inc." in cells
    assert "Héberge les dossiers" in cells
    assert "autorisation préalable, spécifique et écrite" in text
    assert saved.suffix == ".docx"


def signed_addendum(vendor: Vendor) -> None:
    """A signed addendum with every clause the vendor's facts require now."""
    library = current_app.extensions["clause_library"]
    facts = vendor_facts(vendor, Standing("CA"))
    clauses = [c for c in library.ordered() if c.required and c.applies(facts)]
    db.session.add(
        Addendum(
            vendor=vendor,
            language="en",
            facts={"facts": facts, "values": {}},
            effective_date=today(),
            filename="addendum.docx",
            sha256="0" * 64,
            document=b"PK",
            status=AddendumStatus.SIGNED,
            signed_on=today(),
            signed_filename="signed.pdf",
            signed_copy=b"%PDF-1.4 %%EOF",
            clauses=[
                AddendumClause(clause_id=c.id, version=c.version, position=n)
                for n, c in enumerate(clauses, start=1)
            ],
        )
    )
    db.session.commit()


def today():
    return today_in(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def register_vendor(app, name: str, criticality: Level, review_in_days: int, owner=None) -> Vendor:
    with app_context(app):
        vendor = Vendor(
            name=name,
            country="CA",
            subdivision="CA-ON",
            status=VendorStatus.ACTIVE,
            criticality=criticality,
            owner_id=owner.id if owner else None,
        )
        vendor.sharings.append(make_sharing(locations=["CA-ON"]))
        refresh_risk_tier(vendor, "CA")
        vendor.review_due_on = today() + timedelta(days=review_in_days)
        db.session.add(vendor)
        db.session.commit()
        signed_addendum(vendor)
        return loaded(vendor)


def test_a_manager_finds_the_overdue_high_risk_vendors_and_exports_them(live, page, tmp_path):
    manager = person(live, Role.MANAGER, "manon@example.org", "Manon Gestion")
    late = register_vendor(live, "Atlas Paie", Level.HIGH, review_in_days=-20)
    register_vendor(live, "Boréal Stockage", Level.HIGH, review_in_days=200)  # under control
    register_vendor(live, "Cèdre Traduction", Level.LOW, review_in_days=-20)  # overdue, low risk

    browser_sign_in(page, live, manager)
    page.goto(f"{live.url}/vendors/")
    page.get_by_label("Compliance").select_option("overdue")
    page.get_by_label("Risk tier").select_option("high")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**compliance=overdue**")
    listed = page.locator("table.table-vendors tbody tr")
    assert listed.count() == 1
    assert "Atlas Paie" in listed.first.inner_text()

    page.get_by_role("link", name="Atlas Paie").click()
    panel = page.locator("#compliance")
    assert "Overdue" in panel.inner_text()
    assert "The review is overdue." in panel.inner_text()

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    saved = tmp_path / "export.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["vendor_name"] for row in rows] == [late.name]
    assert (rows[0]["compliance_status"], rows[0]["compliance_reasons"]) == (
        "overdue",
        "review_overdue",
    )
    page.goto(f"{live.url}/vendors/{late.id}")  # the last sight: the vendor and its reasons


def test_an_owner_follows_a_reminder_completes_the_review_and_the_vendor_is_compliant(
    live, page, smtp
):
    owner = person(live, Role.OWNER, "olivia@example.org", "Olivia Owner")
    vendor = register_vendor(live, "Delta Sondages", Level.MEDIUM, review_in_days=0, owner=owner)
    with live.app_context():
        assert assessments([vendor.id], today())[vendor.id].status == "action"  # due today
        send_due(utcnow())
    (reminder,) = smtp.to("olivia@example.org")
    text = reminder.get_body(("plain",)).get_content()
    link = re.search(rf"{re.escape(live.url)}/vendors/{vendor.id}/reviews/new", text).group(0)

    page.goto(link)  # not signed in yet: the sign-in page, then back to the review form
    page.get_by_label("Email").fill(owner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/vendors/{vendor.id}/reviews/new")
    for answer in page.locator('#checklist input[value="yes"]').all():
        answer.check()
    page.get_by_label("Approved", exact=True).check()
    page.get_by_role("button", name="Record the review").click()
    page.wait_for_url("**/reviews/*")

    page.goto(f"{live.url}/vendors/{vendor.id}")
    panel = page.locator("#compliance")
    assert "Compliant" in panel.inner_text()
    assert "Nothing needs attention" in panel.inner_text()


# A Québec vendor's own agreement, in French, as it sends it in Word: every topic but two plain.
FRENCH_DPA = [
    ("heading", "Entente relative au traitement des renseignements personnels"),
    ("text", "Le Prestataire traite les renseignements personnels pour le compte du Client."),
    ("heading", "Article 1 – Obligations du Prestataire"),
    ("text", "Le Prestataire s’engage à :"),
    ("text", "a) n’utiliser les renseignements personnels qu’aux seules fins du contrat;"),
    (
        "text",
        "b) mettre en œuvre des mesures de sécurité propres à protéger les renseignements "
        "personnels, notamment le chiffrement;",
    ),
    (
        "text",
        "c) transmettre au Client, dans les deux jours, toute demande d’accès d’une personne "
        "concernée;",
    ),
    (
        "text",
        "d) veiller à ce que les membres de son personnel soient tenus à la confidentialité;",
    ),
    (
        "text",
        "e) détruire les renseignements personnels à la fin du contrat et en confirmer la "
        "destruction par écrit.",
    ),
    ("heading", "Article 2 – Incidents de confidentialité"),
    (
        "text",
        "2.1 Le Prestataire avise le Client de tout incident de confidentialité dans un délai "
        "de cinq (5) jours.",
    ),
    ("heading", "Article 3 – Sous-traitance et communication"),
    (
        "text",
        "3.1 Le Prestataire ne fait appel à un sous-traitant ultérieur qu’après en avoir avisé "
        "le Client au moins trente (30) jours à l’avance.",
    ),
    (
        "text",
        "3.2 Le Prestataire ne communique aucun renseignement personnel à l’extérieur du Québec "
        "sans l’autorisation écrite du Client.",
    ),
    ("heading", "Article 4 – Vérifications"),
    ("text", "4.1 Le Client ne pourra en aucun cas procéder à un audit du Prestataire."),
]


def decide(page, topic: str, choice: str, reason: str = "") -> None:
    """Legal's decision on the finding of one topic, on the vendor's agreement page."""
    finding = page.locator(f"#finding-{topic}")
    finding.get_by_label(choice).check()
    if reason:
        finding.get_by_role("textbox", name="Reason").fill(reason)
    finding.get_by_role("button", name="Record").click()
    page.get_by_text("The decision is recorded.").wait_for()


def test_legal_reviews_a_vendors_french_dpa_and_generates_the_gap_addendum(live, page, tmp_path):

    legal = person(live, Role.LEGAL, "louise@example.org", "Louise Légale")
    vendor = quebec_vendor(live)
    dpa = tmp_path / "entente-traitement.docx"
    dpa.write_bytes(docx_of(FRENCH_DPA))

    browser_sign_in(page, live, legal)
    page.goto(f"{live.url}/vendors/{vendor.id}")
    compliance = page.locator("#compliance")
    assert "the vendor’s own agreement is not checked" in compliance.inner_text()
    page.get_by_role("link", name="Check and review it").click()
    page.get_by_label("A document of the vendor’s agreement").set_input_files(dpa)
    page.get_by_role("button", name="Add and check").click()
    page.get_by_text("checked again: review the findings").wait_for()

    audit = page.locator("#finding-audit")
    assert "Denied" in audit.inner_text()
    assert audit.locator("mark").inner_text() == (
        "Le Client ne pourra en aucun cas procéder à un audit du Prestataire."
    )
    assert "§ 4.1 · Vérifications" in audit.inner_text()
    breach = page.locator("#finding-breach")
    assert "Weak" in breach.inner_text()
    assert "120 hours where ours is" in breach.inner_text()

    decide(page, "protection", "Confirm: the finding is right")
    decide(
        page,
        "breach",
        "Waive: the gap is accepted, for a reason",
        "Cinq jours acceptés par l’avocate",
    )
    page.goto(f"{live.url}/vendors/{vendor.id}")
    assert "legal has not yet decided" in page.locator("#compliance").inner_text()

    page.get_by_role("link", name="Review the vendor’s agreement").click()
    for topic in ("purpose", "access_requests", "return_destruction", "sub_processors"):
        decide(page, topic, "Confirm: the finding is right")
    for topic in ("cross_border", "personnel", "audit"):
        decide(page, topic, "Confirm: the finding is right")
    # The library's other clauses, found or not by their key phrases: confirmed as found.
    undecided = page.locator("li[id^=finding-]:not(:has([data-decision]))")
    for item in undecided.evaluate_all("items => items.map(item => item.id)"):
        decide(page, item.removeprefix("finding-"), "Confirm: the finding is right")
    page.goto(f"{live.url}/vendors/{vendor.id}")
    reasons = page.locator("#compliance").inner_text()
    assert "falls short of a required clause" in reasons
    assert "Le Client ne pourra en aucun cas procéder à un audit" in reasons
    assert "not yet decided" not in reasons

    page.get_by_role("link", name="Review the vendor’s agreement").click()
    page.locator("#gap").get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Generate the gap addendum").click()
    page.wait_for_url("**/addenda/*")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download .docx").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    text = "\n".join(p.text for p in Document(saved).paragraphs)
    assert "au moyen des stipulations qui suivent" in text
    assert french_title("audit") in text
    assert french_title("protection") not in text
    assert french_title("breach") not in text  # waived
