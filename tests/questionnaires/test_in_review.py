"""The vendor's submitted answers in its next review: beside each point of the checklist they
inform, with their files, for the reviewer to accept or query; and what was decided, kept with
the review."""

from datetime import date

from sqlalchemy import select

from tests.evidence.test_pack import open_pack, pack, read_csv
from tests.helpers import app_context
from tests.questionnaires.test_link_pages import EVERY_ANSWER, pdf
from tests.reviews.test_reviews import review_form
from vendortrack.accounts.models import Role
from vendortrack.assurance.models import DocumentKind, VendorDocument
from vendortrack.extensions import db
from vendortrack.questionnaires.models import QuestionnaireRequest
from vendortrack.reviews.models import Review

# The points the privacy safeguards set informs.
ANSWERED = {
    "passwords",
    "firewalls",
    "encrypted_files",
    "encryption_in_transit",
    "audit_trails",
    "locked_backups",
    "need_to_know",
    "destruction",
    "breach_process",
    "sub_processors",
}


def submitted(client, send_questionnaire, vendor, **answers):
    _staff, link, _response = send_questionnaire(vendor)
    client.post(
        link,
        data={
            **EVERY_ANSWER,
            "comment-passwords": "MFA for every administrator",
            "file-encryption_at_rest": pdf("encryption-policy.pdf"),
            "file-security_policy": pdf(),
            **answers,
            "action": "submit",
        },
        content_type="multipart/form-data",
    )


def decisions(app, **overrides) -> dict:
    """Every point answered on, accepted unless said, about the latest questionnaire."""
    with app_context(app):
        latest = db.session.scalars(
            select(QuestionnaireRequest.id).order_by(QuestionnaireRequest.id.desc())
        ).first()
    return {f"decide_{item}": overrides.get(item, "accepted") for item in ANSWERED} | {
        "answers_from": str(latest)
    }


def test_the_review_shows_the_vendors_answers_beside_the_points_they_inform(
    app, client, signed_in, create_vendor, send_questionnaire
):
    owner = signed_in(Role.OWNER)
    vendor = create_vendor(owner_id=owner.user.id)
    submitted(client, send_questionnaire, vendor, **{"answer-firewalls": "no"})

    page = owner.get(f"/vendors/{vendor.id}/reviews/new")

    assert page.text.count('class="vendor-answer"') == len(ANSWERED)
    assert 'data-item="signed_addendum"' not in page.text  # no question informs it
    assert "MFA for every administrator" in page.text
    assert "encryption-policy.pdf" in page.text
    assert 'name="decide_passwords"' in page.text


def test_each_answer_must_be_accepted_or_queried_and_the_decisions_are_kept(
    app, client, signed_in, create_vendor, send_questionnaire, field_errors
):
    owner = signed_in(Role.OWNER)
    vendor = create_vendor(owner_id=owner.user.id)
    submitted(client, send_questionnaire, vendor)

    undecided = owner.post(
        f"/vendors/{vendor.id}/reviews/new",
        data=review_form(completed_on="2026-12-01")
        | {k: v for k, v in decisions(app).items() if k != "decide_firewalls"},
    )
    message = "Accept or query the vendor’s answer on each point where it gave one."
    assert undecided.text.count(message) == 2  # at the top, and beside the point
    assert field_errors(undecided.text, "decide_firewalls") == [message]
    with app_context(app):
        assert db.session.scalars(select(Review)).all() == []

    recorded = owner.post(
        f"/vendors/{vendor.id}/reviews/new",
        data=review_form(completed_on="2026-12-01") | decisions(app, firewalls="queried"),
    )
    assert recorded.status_code == 302
    with app_context(app):
        review = db.session.scalars(select(Review)).one()
        assert set(review.vendor_answers) == ANSWERED
        assert review.vendor_answers["firewalls"]["decision"] == "queried"
        assert review.vendor_answers["passwords"]["decision"] == "accepted"
    checklists = read_csv(open_pack(pack(app, vendor.id)), "review-checklists.csv")
    assert checklists[0][3:] == ["vendor_answer", "questionnaire_id"]
    firewalls = next(row for row in checklists if row[1] == "firewalls")
    assert firewalls[3] == "queried"
    detail = owner.get(recorded.location)
    assert 'data-vendor-answer="queried"' in detail.text
    assert detail.text.count('data-vendor-answer="accepted"') == len(ANSWERED) - 1


def test_without_a_submitted_questionnaire_the_review_is_as_before(
    app, client, signed_in, create_vendor, send_questionnaire
):
    owner = signed_in(Role.OWNER)
    vendor = create_vendor(owner_id=owner.user.id)
    _staff, link, _response = send_questionnaire(vendor)
    client.post(link, data={"answer-passwords": "yes", "action": "save"})  # a draft only
    page = owner.get(f"/vendors/{vendor.id}/reviews/new")
    assert 'class="vendor-answer"' not in page.text
    recorded = owner.post(
        f"/vendors/{vendor.id}/reviews/new", data=review_form(completed_on="2026-12-01")
    )
    assert recorded.status_code == 302
    with app_context(app):
        assert db.session.scalars(select(Review)).one().vendor_answers is None


def test_the_evidence_pack_holds_the_submitted_answers_and_files(
    app, client, create_vendor, send_questionnaire
):
    vendor = create_vendor()
    submitted(client, send_questionnaire, vendor)
    send_questionnaire(vendor)  # a second one, not answered: listed, no answers

    archive = open_pack(pack(app, vendor.id))

    sent = read_csv(archive, "questionnaires.csv")
    assert sent[0][:3] == ["questionnaire_id", "set", "version"]
    assert len(sent) == 3
    answers = read_csv(archive, "questionnaire-answers.csv")
    assert len(answers) == 1 + 16
    passwords = next(row for row in answers if row[1] == "passwords")
    assert passwords[4:] == ["checklist:passwords", "yes", "MFA for every administrator"]
    names = archive.namelist()
    assert any(n.endswith("/encryption_at_rest-encryption-policy.pdf") for n in names)
    readme = archive.read("README.txt").decode()
    assert "questionnaire-answers.csv" in readme


def test_answers_submitted_while_the_form_was_open_must_be_read_first(
    app, client, signed_in, create_vendor, send_questionnaire
):
    owner = signed_in(Role.OWNER)
    vendor = create_vendor(owner_id=owner.user.id)
    submitted(client, send_questionnaire, vendor)
    shown = decisions(app)
    submitted(client, send_questionnaire, vendor, **{"answer-firewalls": "no"})  # meanwhile

    response = owner.post(
        f"/vendors/{vendor.id}/reviews/new", data=review_form(completed_on="2026-12-01") | shown
    )

    assert "The vendor’s answers changed while this page was open" in response.text
    with app_context(app):
        assert db.session.scalars(select(Review)).all() == []


def test_a_certificate_the_vendor_attached_is_kept_among_its_documents(
    app, client, signed_in, create_vendor, send_questionnaire, field_errors
):
    legal = signed_in(Role.LEGAL)
    vendor = create_vendor()
    submitted(client, send_questionnaire, vendor, **{"file-certification": pdf("iso.pdf")})
    with app_context(app):
        request = db.session.scalars(select(QuestionnaireRequest)).one()
        (file,) = [f for f in request.files if f.question_id == "certification"]
        page_url, keep_url = (
            f"/questionnaires/requests/{request.id}",
            f"/questionnaires/requests/{request.id}/files/{file.id}/keep",
        )
    assert f'href="{keep_url}"' in legal.get(page_url).text

    form = legal.get(keep_url)
    assert '<option selected value="iso27001">' in form.text
    assert 'value="2027-06-30"' in form.text  # the vendor's answer about its certificate
    refused = legal.post(
        keep_url, data={"kind": "iso27001", "covers_from": "2028-01-01", "expires_on": "2027-06-30"}
    )
    assert field_errors(refused.text, "expires_on") == [
        "The document expires before the period it covers starts."
    ]
    kept = legal.post(
        keep_url, data={"kind": "iso27001", "issuer": "Certif inc.", "expires_on": "2027-06-30"}
    )
    assert kept.status_code == 302
    with app_context(app):
        document = db.session.scalars(select(VendorDocument)).one()
        assert (document.kind, document.expires_on, document.filename) == (
            DocumentKind.ISO27001,
            date(2027, 6, 30),
            "iso.pdf",
        )
        assert document.questionnaire_file_id == file.id
    assert "data-kept" in legal.get(page_url).text


def test_a_file_is_kept_once_and_only_once_the_questionnaire_is_submitted(
    app, client, signed_in, create_vendor, send_questionnaire
):
    legal = signed_in(Role.LEGAL)
    vendor = create_vendor()
    _staff, link, _response = send_questionnaire(vendor)
    client.post(
        link,
        data={"file-security_policy": pdf(), "action": "save"},
        content_type="multipart/form-data",
    )
    with app_context(app):
        request = db.session.scalars(select(QuestionnaireRequest)).one()
        keep_url = f"/questionnaires/requests/{request.id}/files/{request.files[0].id}/keep"
    assert legal.get(keep_url).status_code == 404  # a draft: the vendor may still change it
    client.post(link, data={**EVERY_ANSWER, "action": "submit"})
    form = {"kind": "other", "expires_on": ""}
    assert legal.post(keep_url, data=form).status_code == 302
    again = legal.post(keep_url, data=form)
    assert "This file is already kept among the vendor’s documents." in again.text
    with app_context(app):
        assert len(db.session.scalars(select(VendorDocument)).all()) == 1
