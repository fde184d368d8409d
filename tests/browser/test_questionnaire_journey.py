"""The vendor takes part, clicked through in Chromium with mail on the real SMTP test server:
legal sends a questionnaire in French; the vendor's contact opens the link with no account,
answers, attaches its certificate, saves, comes back and submits; the owner hears of it and finds
the answers beside the checklist of the review; the certificate is kept among the vendor's
documents, and the reminder of its expiry is planned."""

import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.browser.test_journeys import person
from tests.helpers import app_context, browser_sign_in, loaded, make_sharing, real_pdf
from vendortrack.accounts.models import Role
from vendortrack.assurance.models import DocumentKind, VendorDocument
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.questionnaires.notices import deliver_notices
from vendortrack.register.models import Level, Vendor, VendorStatus
from vendortrack.register.services import refresh_risk_tier
from vendortrack.reminders.models import Reminder, Topic
from vendortrack.reminders.planning import plan_reminders

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CONTACT = "securite@nuage-quebec.example"
CERTIFICATE_EXPIRES = date(2027, 9, 30)


def nuage(app, owner) -> Vendor:
    with app_context(app):
        vendor = Vendor(
            name="Nuage Québec inc.",
            country="CA",
            subdivision="CA-QC",
            status=VendorStatus.ACTIVE,
            criticality=Level.HIGH,
            owner_id=owner.id,
            contact_name="Josée Sécurité",
            contact_email=CONTACT,
        )
        vendor.sharings.append(make_sharing(locations=["CA-QC"]))
        refresh_risk_tier(vendor, "CA")
        db.session.add(vendor)
        db.session.commit()
        return loaded(vendor)


def yes_no_questions(app) -> list[str]:
    questions = app.extensions["questionnaires"].sets["privacy_safeguards"].questions
    return [q.id for q in questions if q.kind == "yes_no_na"]


def test_the_vendor_answers_in_french_by_link_and_the_owner_reviews_its_answers(
    live, page, browser, smtp, tmp_path
):
    legal = person(live, Role.LEGAL, "lea@example.org", "Léa Legal")
    owner = person(live, Role.OWNER, "olivia@example.org", "Olivia Owner")
    vendor = nuage(live, owner)
    certificate, policy = tmp_path / "iso-27001.pdf", tmp_path / "politique.pdf"
    certificate.write_bytes(real_pdf())
    policy.write_bytes(real_pdf(2))

    link = send_in_french(live, page, legal, vendor, smtp)
    with new_page(browser, "fr-CA") as vendor_side:
        answer_half_and_save(live, vendor_side, link, certificate)
    with new_page(browser, "fr-CA") as vendor_side:
        come_back_and_submit(live, vendor_side, link, policy)
    with live.app_context():
        deliver_notices(utcnow())
    (notice,) = smtp.to("olivia@example.org")
    assert "Nuage Québec inc. submitted its questionnaire" in notice["Subject"]
    with new_page(browser, "en-CA") as owner_side:
        review_beside_the_answers(live, owner_side, owner, vendor)
    keep_the_certificate(live, page, vendor)

    # Its expiry reminder is planned: the owner is owed one 60 days before its last good day.
    with app_context(live):
        (document,) = db.session.scalars(select(VendorDocument))
        assert (document.kind, document.expires_on) == (DocumentKind.ISO27001, CERTIFICATE_EXPIRES)
        plan_reminders(CERTIFICATE_EXPIRES - timedelta(days=60), utcnow())
        planned = db.session.scalars(select(Reminder).where(Reminder.topic == Topic.DOCUMENT))
        assert [(r.kind, r.recipient_id, r.due_on) for r in planned] == [
            ("expires_60", owner.id, CERTIFICATE_EXPIRES)
        ]


@contextmanager
def new_page(browser, locale: str):
    """A browser of its own: the vendor's contact has no session of ours."""
    context = browser.new_context(locale=locale)
    try:
        yield context.new_page()
    finally:
        context.close()


def send_in_french(live, page, legal, vendor, smtp) -> str:
    """Legal sends the questionnaire in French to the vendor's contact: the link it mails."""
    browser_sign_in(page, live, legal)
    page.goto(f"{live.url}/vendors/{vendor.id}")
    page.locator("#questionnaires").get_by_role("link", name="Send one").click()
    assert page.get_by_label("Contact’s email").input_value() == CONTACT
    page.get_by_label("Language of the mail and the questionnaire").select_option("fr")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text(f"The questionnaire is sent to {CONTACT}.").wait_for()
    (mail,) = smtp.to(CONTACT)
    assert mail["Subject"].startswith("VendorTrack : questionnaire pour Nuage Québec inc.")
    text = mail.get_body(("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:\d+/v/[A-Za-z0-9_-]{43}", text).group(0)


def answer_half_and_save(live, vendor_side, link: str, certificate) -> None:
    """The contact opens the link with no account, answers half, attaches its certificate."""
    vendor_side.goto(link)
    assert vendor_side.locator("html").get_attribute("lang") == "fr"
    assert vendor_side.get_by_role("heading", name="Mesures de protection").is_visible()
    for question in yes_no_questions(live)[:5]:
        vendor_side.locator(f"#answer-{question}-yes").check()
    vendor_side.locator("#comment-passwords").fill("Authentification multifacteur partout.")
    vendor_side.locator("#answer-certification-iso27001").check()
    vendor_side.locator("#answer-certification_expiry").fill(CERTIFICATE_EXPIRES.isoformat())
    vendor_side.locator("#file-certification").set_input_files(certificate)
    vendor_side.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    vendor_side.get_by_text("Vos réponses sont enregistrées.").wait_for()


def come_back_and_submit(live, vendor_side, link: str, policy) -> None:
    """Later, with the same link: its answers are there; it finishes and submits."""
    vendor_side.goto(link)
    assert vendor_side.locator("#answer-passwords-yes").is_checked()
    assert "iso-27001.pdf" in vendor_side.locator("#question-certification").inner_text()
    for question in yes_no_questions(live)[5:]:
        vendor_side.locator(f"#answer-{question}-yes").check()
    vendor_side.locator("#answer-breach_contact").fill("incidents@nuage-quebec.example")
    vendor_side.locator("#answer-sub_processors").fill("Aucun sous-traitant ultérieur.")
    vendor_side.locator("#answer-data_locations").fill("Montréal (Québec)")
    vendor_side.locator("#file-security_policy").set_input_files(policy)
    vendor_side.get_by_role("button", name="Soumettre mes réponses").click()
    vendor_side.get_by_text("Merci : vos réponses sont soumises.").wait_for()
    assert vendor_side.locator("#receipt").is_visible()
    assert vendor_side.locator("textarea").count() == 0


def review_beside_the_answers(live, owner_side, owner, vendor) -> None:
    """The owner finds the answers beside the checklist, accepts all but one, and records."""
    browser_sign_in(owner_side, live, owner)
    owner_side.goto(f"{live.url}/vendors/{vendor.id}/reviews/new")
    passwords = owner_side.locator('.vendor-answer[data-item="passwords"]')
    assert "Authentification multifacteur partout." in passwords.inner_text()
    assert owner_side.locator(".vendor-answer").count() == 10  # points a question informs
    for answer in owner_side.locator('#checklist input[value="yes"]').all():
        answer.check()
    for decision in owner_side.locator('#checklist input[value="accepted"]').all():
        decision.check()
    owner_side.locator('input[name="decide_firewalls"][value="queried"]').check()
    owner_side.get_by_label("Approved", exact=True).check()
    owner_side.get_by_role("button", name="Record the review").click()
    owner_side.wait_for_url("**/reviews/*")
    assert owner_side.locator('[data-vendor-answer="queried"]').count() == 1


def keep_the_certificate(live, page, vendor) -> None:
    """Legal keeps the certificate among the vendor's documents, its expiry from the answers."""
    page.goto(f"{live.url}/vendors/{vendor.id}")
    page.locator("#questionnaires").get_by_role(
        "link", name=re.compile("Privacy safeguards")
    ).click()
    page.get_by_role("link", name="Keep as a vendor document").first.click()
    assert page.get_by_label("Expires on").input_value() == CERTIFICATE_EXPIRES.isoformat()
    page.get_by_label("Issued by (auditor, insurer, tester)").fill("Certification Québec")
    page.get_by_role("button", name="Keep the document").click()
    page.get_by_text("The file is kept among the vendor’s documents.").wait_for()
    page.goto(f"{live.url}/vendors/{vendor.id}")
    assert "ISO/IEC 27001 certificate" in page.locator("#documents").inner_text()
