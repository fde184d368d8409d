"""The vendor's pages, opened from the link without an account: answering, saving, coming back,
attaching files, submitting, the receipt; what is refused; the headers and rate limits of the
only pages open to anybody; and the audit trail's "the vendor, by link"."""

from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from tests.helpers import app_context, real_pdf
from vendortrack.database import utcnow
from vendortrack.errors import logged_path
from vendortrack.extensions import db
from vendortrack.questionnaires.models import (
    QuestionnaireAnswer,
    QuestionnaireFile,
    QuestionnaireRequest,
    RequestStatus,
)
from vendortrack.trail.models import AuditEntry

EVERY_ANSWER = {
    "answer-passwords": "yes",
    "answer-firewalls": "yes",
    "answer-encryption_at_rest": "yes",
    "answer-encryption_in_transit": "yes",
    "answer-audit_trails": "yes",
    "answer-locked_backups": "yes",
    "answer-need_to_know": "yes",
    "answer-staff_confidentiality": "yes",
    "answer-destruction": "yes",
    "answer-breach_process": "yes",
    "answer-breach_contact": "security@vendor.example, +1 514 555 0100",
    "answer-sub_processors": "no",
    "answer-data_locations": "Montréal (Canada)",
    "answer-certification": "iso27001",
    "answer-certification_expiry": "2027-06-30",
}


@pytest.fixture
def sent(create_vendor, send_questionnaire):
    """(staff client, link path, the questionnaire's page for our people)."""
    staff, link, response = send_questionnaire(create_vendor(name="Nuage inc."))
    return staff, link, response.location


def the_request(app) -> QuestionnaireRequest:
    with app_context(app, expire_on_commit=False):
        return db.session.scalars(select(QuestionnaireRequest)).one()


def status(app) -> RequestStatus:
    request = the_request(app)
    return request.status(request.due_on - timedelta(days=1))


def pdf(name="iso-27001.pdf"):
    return (BytesIO(real_pdf()), name)


def test_the_vendor_opens_the_link_without_an_account(app, client, sent):
    _staff, link, _detail = sent
    page = client.get(link)
    assert page.status_code == 200
    assert "Privacy safeguards" in page.text
    assert "Nuage inc." in page.text
    assert "0 of 16 questions answered." in page.text
    assert 'href="/vendors' not in page.text  # nothing of the app around it
    assert status(app) == RequestStatus.OPENED


def test_the_vendor_saves_a_draft_with_a_file_and_finds_it_again(app, client, sent):
    staff, link, detail = sent
    saved = client.post(
        link,
        data={
            "answer-passwords": "yes",
            "comment-passwords": "MFA for every administrator",
            "answer-certification_expiry": "2027-06-30",
            "file-security_policy": pdf("policy.pdf"),
            "action": "save",
        },
        content_type="multipart/form-data",
    )
    assert saved.status_code == 303
    again = client.get(link)
    assert "Your answers are saved." in again.text
    assert 'id="answer-passwords-yes" value="yes" checked' in again.text
    assert "MFA for every administrator" in again.text
    assert 'value="2027-06-30"' in again.text
    assert "policy.pdf" in again.text
    assert "3 of 16 questions answered." in again.text
    assert status(app) == RequestStatus.IN_PROGRESS

    ours = staff.get(detail)
    assert "MFA for every administrator" in ours.text
    assert 'data-status="in_progress"' in ours.text
    with app_context(app):
        file = db.session.scalars(select(QuestionnaireFile)).one()
        file_id, data = file.id, file.data
    download = staff.get(f"{detail}/files/{file_id}")
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == "application/pdf"


def test_emptying_an_answer_removes_it(app, client, sent):
    _staff, link, _detail = sent
    client.post(link, data={"answer-passwords": "no", "action": "save"})
    client.post(link, data={"answer-passwords": "", "comment-passwords": "", "action": "save"})
    with app_context(app):
        assert db.session.scalars(select(QuestionnaireAnswer)).all() == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("answer-passwords", "maybe", "Choose yes, no or not applicable."),
        ("answer-certification", "iso9001", "Choose one of the answers offered."),
        ("answer-certification_expiry", "31/12/2027", "Enter a date such as 2027-03-31."),
        ("comment-passwords", "x" * 5_001, "Write at most 5000 characters."),
        ("comment-passwords", "a\x00b", "Type this answer again"),
    ],
)
def test_a_bad_answer_is_marked_and_nothing_is_saved(app, client, sent, field, value, message):
    _staff, link, _detail = sent
    response = client.post(link, data={"answer-firewalls": "yes", field: value, "action": "save"})
    assert response.status_code == 422
    assert "Nothing was saved" in response.text
    assert message in response.text
    with app_context(app):
        assert db.session.scalars(select(QuestionnaireAnswer)).all() == []


def test_a_file_that_is_not_what_its_name_says_is_refused(app, client, sent):
    _staff, link, _detail = sent
    response = client.post(
        link,
        data={"file-security_policy": (BytesIO(b"MZ\x90\x00"), "policy.pdf"), "action": "save"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "policy.pdf: " in response.text
    with app_context(app):
        assert db.session.scalars(select(QuestionnaireFile)).all() == []


def test_the_vendor_removes_a_file_before_submitting(app, client, sent):
    _staff, link, _detail = sent
    client.post(
        link,
        data={"file-security_policy": pdf(), "action": "save"},
        content_type="multipart/form-data",
    )
    with app_context(app):
        file_id = db.session.scalars(select(QuestionnaireFile.id)).one()
    removed = client.post(f"{link}/files/{file_id}/remove", follow_redirects=True)
    assert "The file is removed." in removed.text
    with app_context(app):
        assert db.session.scalars(select(QuestionnaireFile)).all() == []


def test_submitting_with_questions_unanswered_keeps_the_draft_and_marks_them(app, client, sent):
    _staff, link, _detail = sent
    response = client.post(link, data={"answer-passwords": "yes", "action": "submit"})
    assert response.status_code == 422
    assert "15 questions have no answer yet (marked below): answer them, then submit." in (
        response.text
    )
    assert response.text.count("Answer this question.") == 15
    assert the_request(app).submitted_at is None
    assert status(app) == RequestStatus.IN_PROGRESS


def test_a_submitted_questionnaire_shows_a_read_only_receipt(app, client, sent):
    staff, link, detail = sent
    submitted = client.post(
        link,
        data={**EVERY_ANSWER, "file-security_policy": pdf(), "action": "submit"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Thank you: your answers are submitted." in submitted.text
    assert 'id="receipt"' in submitted.text
    assert "<textarea" not in submitted.text
    assert 'type="file"' not in submitted.text
    assert "iso-27001.pdf" in submitted.text
    assert status(app) == RequestStatus.SUBMITTED

    late = client.post(link, data={"answer-passwords": "no", "action": "save"})
    assert late.status_code == 422
    assert "it can no longer be changed" in late.text
    with app_context(app):
        answer = db.session.scalars(select(QuestionnaireAnswer).filter_by(question_id="passwords"))
        assert answer.one().value == "yes"
    assert 'data-status="submitted"' in staff.get(detail).text


def test_the_vendor_switches_to_french_and_the_choice_is_kept(app, client, sent):
    _staff, link, _detail = sent
    switched = client.post(f"{link}/language/fr", follow_redirects=True)
    assert '<html lang="fr">' in switched.text
    assert "Mesures de protection des renseignements personnels" in switched.text
    assert the_request(app).language == "fr"


def test_an_expired_link_shows_the_plain_page(app, client, sent):
    _staff, link, _detail = sent
    with app_context(app):
        request = db.session.scalars(select(QuestionnaireRequest)).one()
        request.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = client.get(link)
    assert page.status_code == 404
    assert "This link does not open a questionnaire" in page.text


def test_the_link_pages_keep_the_token_from_other_sites_and_caches(client, sent):
    _staff, link, _detail = sent
    for response in (client.get(link), client.get("/v/" + "B" * 43), client.get("/v/short")):
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_what_the_vendor_does_is_recorded_as_the_vendor_by_link(app, client, sent, signed_in):
    _staff, link, _detail = sent
    client.get(link)
    client.post(link, data={"answer-passwords": "yes", "action": "save"})
    with app_context(app):
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.actor == "vendor_link")
        ).all()
    assert {(e.entity, e.action) for e in entries} >= {
        ("questionnaire", "update"),
        ("questionnaire_answer", "create"),
    }
    assert all(e.user_id is None and e.ip_address == "127.0.0.1" for e in entries)
    trail = signed_in().get("/audit")
    assert "The vendor, by link" in trail.text


def test_guessing_links_soon_stops_even_a_good_link_from_that_address(app, client, sent):
    _staff, link, _detail = sent
    app.config.update(LINK_MAX_MISSES_PER_ADDRESS=3)
    for n in range(3):
        assert client.get(f"/v/{'C' * 42}{n}").status_code == 404
    refused = client.get(link)
    assert refused.status_code == 429
    assert "Too many requests" in refused.text
    assert int(refused.headers["Retry-After"]) > 0
    other_address = client.get(link, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_address.status_code == 200


def test_one_link_has_its_own_limit(app, client, sent):
    _staff, link, _detail = sent
    app.config.update(LINK_MAX_REQUESTS_PER_TOKEN=2)
    assert client.get(link).status_code == 200
    assert client.get(link, environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code == 200
    assert client.get(link, environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 429


def test_a_refused_save_still_counts_against_the_limits(app, client, sent):
    _staff, link, _detail = sent
    app.config.update(LINK_MAX_REQUESTS_PER_TOKEN=3)
    for _ in range(3):
        refused = client.post(f"{link}/files/999999/remove")
        assert refused.status_code == 303  # "no longer attached", and rolled back
    assert client.get(link).status_code == 429


def test_files_are_taken_only_where_a_question_offers_to_attach_one(app, client, sent):
    _staff, link, _detail = sent
    response = client.post(
        link,
        data={"file-passwords": pdf(), "answer-passwords": "yes", "action": "save"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Attach files only where a question offers it." in response.text
    with app_context(app):
        assert db.session.scalars(select(QuestionnaireAnswer)).all() == []


def test_more_files_at_once_than_the_setting_allows_are_refused_unread(app, client, sent):
    _staff, link, _detail = sent
    app.config.update(UPLOAD_MAX_FILES=2)
    files = [pdf(f"{n}.pdf") for n in range(3)]
    response = client.post(
        link,
        data={"file-security_policy": files, "action": "save"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Upload at most 2 files at a time; this sent 3." in response.text
    with app_context(app):
        assert db.session.scalars(select(QuestionnaireFile)).all() == []


def test_a_request_too_large_is_refused_on_the_vendors_own_page(app, client, sent):
    _staff, link, _detail = sent
    app.config["MAX_CONTENT_LENGTH"] = 4_000  # as 10 MB would be, without writing 10 MB
    big = (BytesIO(b"%PDF-1.7" + b"0" * 5_000), "scan.pdf")
    response = client.post(
        link,
        data={"file-security_policy": big, "action": "save"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "attach them in several saves" in response.text
    assert 'href="/vendors' not in response.text


def test_the_logs_never_keep_a_links_token(app, sent):
    _staff, link, _detail = sent
    with app.test_request_context(f"{link}/files/7/remove", method="POST"):
        assert logged_path() == "/v/[token]/files/7/remove"
