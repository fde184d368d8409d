"""Sending a questionnaire to a vendor's contact: the mail and its link, what is kept (never the
link), who may send, what is refused, and revoking and sending again."""

import hashlib
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.helpers import app_context, count
from tests.questionnaires.conftest import link_in
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.i18n import local_today
from vendortrack.questionnaires.models import QuestionnaireRequest, RequestStatus
from vendortrack.register.models import VendorStatus
from vendortrack.reminders.models import MailMessage
from vendortrack.trail.models import AuditEntry


def today(app):
    with app.test_request_context():
        return local_today()


def only_request(app) -> QuestionnaireRequest:
    with app_context(app, expire_on_commit=False):
        (request,) = db.session.scalars(select(QuestionnaireRequest))
        return request


def test_legal_sends_a_french_questionnaire_and_the_contact_gets_its_link(
    app, create_vendor, send_questionnaire, smtp
):
    vendor = create_vendor(name="Nuage inc.")
    staff, link, response = send_questionnaire(vendor, language="fr", message="Merci d’avance.")

    assert response.status_code == 302
    (mail,) = smtp.to("dana@vendor.example")
    assert mail["Subject"].startswith("VendorTrack : questionnaire pour Nuage inc.")
    assert mail["Reply-To"] == staff.user.email
    text = mail.get_body(("plain",)).get_content()
    assert "Bonjour Dana Vendor," in text
    assert "Merci d’avance." in text
    token = link.removeprefix("/v/")
    assert len(token) == 43
    request = only_request(app)
    assert request.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert request.language == "fr"
    assert request.set_id == "privacy_safeguards"
    assert request.status(today(app)) == RequestStatus.SENT
    page = staff.get(response.location)
    assert 'data-status="sent"' in page.text
    assert "dana@vendor.example" in page.text


def test_the_link_is_kept_nowhere_not_even_in_the_copy_of_the_mail(
    app, create_vendor, send_questionnaire
):
    _staff, link, _response = send_questionnaire(create_vendor())
    token = link.removeprefix("/v/")
    with app_context(app):
        (copy,) = db.session.scalars(select(MailMessage))
        assert token not in copy.text_body
        assert token not in copy.html_body
        assert "/v/[…]" in copy.text_body
        entries = db.session.scalars(select(AuditEntry)).all()
        assert all(token not in str(entry.changes) for entry in entries)
        (created,) = [e for e in entries if e.entity == "questionnaire" and e.action == "create"]
        assert created.changes["token_hash"] == [None, "(secret)"]
        assert created.changes["contact_email"] == [None, "(encrypted)"]


def test_the_form_proposes_the_set_for_the_vendors_risk_and_its_contact(
    app, signed_in, create_vendor
):
    vendor = create_vendor(contact_email="ops@nuage.example", contact_name="Léa Ops")
    page = signed_in(Role.MANAGER).get(f"/questionnaires/send/{vendor.id}")
    assert page.status_code == 200
    assert 'value="ops@nuage.example"' in page.text
    assert 'value="Léa Ops"' in page.text
    assert '<option selected value="privacy_safeguards">' in page.text  # a medium risk vendor


def test_an_owner_sends_for_their_own_vendors_only(
    app, signed_in, create_vendor, send_questionnaire
):
    owner = signed_in(Role.OWNER)
    theirs = create_vendor(owner_id=owner.user.id)
    _client, link, response = send_questionnaire(theirs, sender=owner)
    assert response.status_code == 302
    assert link
    someone_elses = create_vendor()
    assert owner.get(f"/questionnaires/send/{someone_elses.id}").status_code == 403
    _client, link, response = send_questionnaire(someone_elses, sender=owner)
    assert response.status_code == 403
    assert link is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"due_on": "2020-01-01"}, "due_on", "Give a due date after today."),
        ({"link_days": "0"}, "link_days", "Give a number of days from 1."),
        ({"link_days": "91"}, "link_days", "The link may open for 1 to 90 days."),
        ({"contact_email": "dana@"}, "contact_email", "Enter a valid email address."),
        ({"contact_email": ""}, "contact_email", "Give the email address the link goes to."),
        ({"message": "x" * 2_001}, "message", "Write at most 2,000 characters."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_sent(
    app, create_vendor, send_questionnaire, smtp, field_errors, fields, field, message
):
    _staff, link, response = send_questionnaire(create_vendor(), **fields)
    assert response.status_code == 422
    assert field_errors(response.text, field) == [message]
    assert link is None
    assert smtp.messages == []
    with app_context(app):
        assert count(QuestionnaireRequest) == 0


def test_a_due_date_after_the_link_expires_is_refused(app, create_vendor, send_questionnaire):
    with app.test_request_context():
        due = local_today() + timedelta(days=20)
    _staff, link, response = send_questionnaire(
        create_vendor(), due_on=due.isoformat(), link_days="10"
    )
    assert response.status_code == 422
    assert "The due date falls after the link expires, in 10 days" in response.text
    assert link is None


def test_a_mail_server_that_refuses_the_address_leaves_nothing_behind(
    app, create_vendor, send_questionnaire, smtp
):
    smtp.refuse.add("dana@vendor.example")
    _staff, _link, response = send_questionnaire(create_vendor())
    assert response.status_code == 422
    assert "The mail server did not take the message" in response.text
    assert "Nothing was sent" in response.text
    with app_context(app):
        assert count(QuestionnaireRequest) == 0
        # Recorded before the mail went, as every mail goes after its commit; then withdrawn.
        trail = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "questionnaire")
        ).all()
        assert sorted(trail) == ["create", "delete"]


def test_a_refused_mail_when_sending_again_leaves_the_previous_link_working(
    app, client, create_vendor, send_questionnaire, smtp
):
    staff, link, response = send_questionnaire(create_vendor())
    before = only_request(app)
    smtp.refuse.add("new@vendor.example")
    form = {
        "contact_email": "new@vendor.example",
        "language": "fr",
        "due_on": (before.due_on + timedelta(days=2)).isoformat(),
        "link_days": "30",
    }
    again = staff.post(response.location + "/resend", data=form)
    assert again.status_code == 422
    assert "The mail server did not take the message" in again.text
    after = only_request(app)
    assert (after.token_hash, after.contact_email, after.due_on, after.times_sent) == (
        before.token_hash,
        before.contact_email,
        before.due_on,
        1,
    )
    assert client.get(link).status_code == 200


def test_the_link_opens_all_through_its_last_day(app, create_vendor, send_questionnaire):
    send_questionnaire(create_vendor(), link_days="30")
    request = only_request(app)
    with app.test_request_context():
        last = request.expires_at.astimezone(ZoneInfo("America/Toronto"))
        assert last.date() == local_today() + timedelta(days=30)
    assert (last.hour, last.minute) == (23, 59)


def test_a_terminated_vendor_gets_no_questionnaire(app, create_vendor, send_questionnaire):
    _staff, link, response = send_questionnaire(create_vendor(status=VendorStatus.TERMINATED))
    assert response.status_code == 422
    assert "This vendor is terminated" in response.text
    assert link is None


def test_a_revoked_link_shows_the_page_a_guessed_one_does(
    app, client, create_vendor, send_questionnaire
):
    staff, link, response = send_questionnaire(create_vendor())
    assert client.get(link).status_code == 200
    staff.post(response.location + "/revoke")

    revoked = client.get(link)
    guessed = client.get("/v/" + "A" * 43)
    assert revoked.status_code == guessed.status_code == 404
    assert revoked.text == guessed.text
    assert "This link does not open a questionnaire" in revoked.text
    assert only_request(app).status(today(app)) == RequestStatus.REVOKED
    assert 'data-status="revoked"' in staff.get(response.location).text


def test_sending_again_makes_a_new_link_and_keeps_the_answers(
    app, client, create_vendor, send_questionnaire, smtp
):
    staff, first, response = send_questionnaire(create_vendor())
    client.post(first, data={"answer-passwords": "yes", "action": "save"})
    staff.post(response.location + "/revoke")
    form = {
        "contact_name": "Dana Vendor",
        "contact_email": "security@vendor.example",
        "language": "en",
        "due_on": (only_request(app).due_on + timedelta(days=3)).isoformat(),
        "link_days": "30",
    }

    again = staff.post(response.location + "/resend", data=form)

    assert again.status_code == 302
    (mail,) = smtp.to("security@vendor.example")
    second = link_in(mail)
    assert second != first
    assert client.get(first).status_code == 404
    page = client.get(second)
    assert page.status_code == 200
    assert 'value="yes" checked' in page.text
    request = only_request(app)
    assert request.times_sent == 2
    assert request.revoked_at is None
    assert request.contact_email == "security@vendor.example"


def test_a_submitted_questionnaire_is_neither_revoked_nor_sent_again(
    app, create_vendor, send_questionnaire
):
    staff, _link, response = send_questionnaire(create_vendor())
    with app_context(app):
        request = db.session.scalars(select(QuestionnaireRequest)).one()
        request.submitted_at = request.sent_at
        db.session.commit()
    refused = staff.post(response.location + "/revoke", follow_redirects=True)
    assert "its link shows only the receipt" in refused.text
    form = {"contact_email": "x@vendor.example", "language": "en", "link_days": "30"}
    again = staff.post(response.location + "/resend", data={**form, "due_on": "2099-01-01"})
    assert again.status_code == 422
    assert only_request(app).revoked_at is None
