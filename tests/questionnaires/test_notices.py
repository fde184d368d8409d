"""Mail about a questionnaire once sent, received by the tests' real SMTP server: the contact is
reminded before and after the due date, once each, in the vendor's language and without the
link; the owner (or the managers) hears of a submission and of a late questionnaire."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.helpers import app_context
from tests.questionnaires.test_link_pages import EVERY_ANSWER, pdf
from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.mail import SMTPTransport
from vendortrack.questionnaires.models import (
    NoticeStatus,
    QuestionnaireNotice,
    QuestionnaireRequest,
)
from vendortrack.questionnaires.notices import (
    contact_stage,
    deliver_notices,
    plan_notices,
    send_notices,
)
from vendortrack.reminders.models import MailMessage, MailStatus
from vendortrack.scheduler import daily_run, retry_run

TORONTO = ZoneInfo("America/Toronto")
SENT = date(2027, 3, 1)


@pytest.mark.parametrize(
    ("due", "today", "stage"),
    [
        (date(2027, 3, 22), date(2027, 3, 18), None),
        (date(2027, 3, 22), date(2027, 3, 19), "due_soon"),
        (date(2027, 3, 22), date(2027, 3, 22), "due_soon"),
        (date(2027, 3, 22), date(2027, 3, 23), "overdue"),
        (date(2027, 3, 22), date(2027, 4, 30), "overdue"),
        (date(2027, 3, 4), date(2027, 3, 2), None),  # three days to answer: no reminder needed
    ],
)
def test_the_contact_is_reminded_three_days_before_and_once_late(due, today, stage):
    assert contact_stage(due, SENT, today) == stage


def morning(day: date) -> datetime:
    return datetime.combine(day, time(8), TORONTO)


@pytest.fixture
def owner(create_user):
    return create_user(Role.OWNER, name="Olivia Owner", language="fr")


@pytest.fixture
def sent(app, create_vendor, send_questionnaire, owner, smtp):
    """A French questionnaire due in 14 days, sent to the contact of Olivia's vendor."""
    vendor = create_vendor(name="Nuage inc.", owner_id=owner.id)
    staff, link, _response = send_questionnaire(vendor, language="fr")
    smtp.clear()
    with app_context(app, expire_on_commit=False):
        request = db.session.scalars(select(QuestionnaireRequest)).one()
    return staff, link, request


def run(app, day: date):
    with app.app_context():
        return send_notices(morning(day))


def test_the_contact_is_reminded_before_the_due_date_once_in_french_without_the_link(
    app, sent, smtp
):
    staff, _link, request = sent
    assert run(app, request.due_on - timedelta(days=4)).sent == 0
    result = run(app, request.due_on - timedelta(days=2))
    assert result.sent == 1
    (mail,) = smtp.messages
    assert mail["To"] == "dana@vendor.example"
    assert mail["Subject"].startswith("VendorTrack : rappel")
    assert mail["Reply-To"] == staff.user.email
    text = mail.get_body(("plain",)).get_content()
    assert "/v/" not in text
    assert "répondez à ce message" in text
    assert run(app, request.due_on - timedelta(days=1)).sent == 0  # once
    assert len(smtp.messages) == 1


def test_when_late_the_contact_and_the_owner_each_hear_once(app, sent, smtp, owner):
    _staff, _link, request = sent
    run(app, request.due_on + timedelta(days=1))
    to = sorted(m["To"] for m in smtp.messages)
    assert to == sorted(["dana@vendor.example", owner.email])
    (ours,) = smtp.to(owner.email)
    assert ours["Subject"] == "VendorTrack : le questionnaire de Nuage inc. est en retard"
    assert f"/questionnaires/requests/{request.id}" in ours.get_body(("plain",)).get_content()
    run(app, request.due_on + timedelta(days=5))
    assert len(smtp.messages) == 2


def test_a_submitted_questionnaire_has_no_reminders(app, sent, smtp):
    _staff, _link, request = sent
    with app_context(app):
        row = db.session.get(QuestionnaireRequest, request.id)
        row.submitted_at = row.sent_at
        db.session.commit()
    run(app, request.due_on - timedelta(days=2))
    run(app, request.due_on + timedelta(days=1))
    assert smtp.messages == []


def test_the_vendors_submission_plans_word_to_the_owner(app, client, sent, smtp, owner):
    _staff, link, _request = sent
    client.post(
        link,
        data={**EVERY_ANSWER, "file-security_policy": pdf(), "action": "submit"},
        content_type="multipart/form-data",
    )
    with app.app_context():
        result = deliver_notices(datetime.now(TORONTO))
    assert result.sent == 1
    (mail,) = smtp.to(owner.email)
    assert mail["Subject"] == "VendorTrack : Nuage inc. a soumis son questionnaire"
    with app.app_context():
        assert deliver_notices(datetime.now(TORONTO)).sent == 0


def test_a_vendor_without_owner_has_the_managers_told(
    app, create_vendor, create_user, send_questionnaire, smtp
):
    manager = create_user(Role.MANAGER)
    send_questionnaire(create_vendor(owner=None))
    smtp.clear()
    with app_context(app, expire_on_commit=False):
        request = db.session.scalars(select(QuestionnaireRequest)).one()
    run(app, request.due_on + timedelta(days=1))
    assert len(smtp.to(manager.email)) == 1


def test_a_reminder_planned_then_revoked_is_skipped_not_sent(app, sent, smtp):
    staff, _link, request = sent
    day = request.due_on - timedelta(days=2)
    with app.app_context():
        plan_notices(day, morning(day))
        db.session.commit()
    staff.post(f"/questionnaires/requests/{request.id}/revoke")
    with app.app_context():
        result = deliver_notices(morning(day))
        (notice,) = db.session.scalars(select(QuestionnaireNotice))
        assert notice.status == NoticeStatus.SKIPPED
    assert result.skipped == 1
    assert smtp.messages == []


def test_a_busy_mail_server_delays_the_reminder_and_it_goes_once_later(app, sent, smtp):
    _staff, _link, request = sent
    smtp.busy = True
    assert run(app, request.due_on - timedelta(days=2)).deferred == 1
    smtp.busy = False
    later = morning(request.due_on - timedelta(days=2)) + timedelta(hours=1)
    with app.app_context():
        assert deliver_notices(later).sent == 1
        assert deliver_notices(later + timedelta(hours=1)).sent == 0
    assert len(smtp.messages) == 1


def test_the_scheduler_sends_them_with_the_reminders_and_between_runs(app, sent, smtp, owner):
    _staff, _link, request = sent
    with app.app_context():
        yesterday = datetime.now(TORONTO).date() - timedelta(days=1)
        db.session.get(QuestionnaireRequest, request.id).due_on = yesterday
        db.session.commit()
    daily_run(app)  # plans the late questionnaire's notices, and sends them
    assert sorted(m["To"] for m in smtp.messages) == sorted(["dana@vendor.example", owner.email])
    with app.app_context():
        notice = QuestionnaireNotice(
            request_id=request.id,
            kind="submitted",
            due_on=request.due_on,
            recipient=str(owner.id),
            next_attempt_at=datetime.now(TORONTO),
        )
        db.session.add(notice)
        db.session.get(QuestionnaireRequest, request.id).submitted_at = datetime.now(TORONTO)
        db.session.commit()
    retry_run(app)  # every few minutes
    assert len(smtp.to(owner.email)) == 2


def test_a_reminder_delayed_past_the_due_date_is_not_sent_as_due_soon(app, sent, smtp):
    _staff, _link, request = sent
    smtp.busy = True
    run(app, request.due_on - timedelta(days=2))  # due_soon, deferred
    smtp.busy = False
    result = run(app, request.due_on + timedelta(days=1))
    assert result.skipped == 1  # the due_soon, now wrong
    subjects = [m["Subject"] for m in smtp.to("dana@vendor.example")]
    assert len(subjects) == 1
    assert "était à remplir" in subjects[0]  # only the overdue one


def test_a_link_that_expired_on_its_due_date_still_brings_the_overdue_reminder(
    app, create_vendor, send_questionnaire, smtp
):
    with app.test_request_context():
        due = datetime.now(TORONTO).date() + timedelta(days=10)
    send_questionnaire(create_vendor(), due_on=due.isoformat(), link_days="10")
    smtp.clear()
    run(app, due + timedelta(days=1))
    (mail,) = smtp.to("dana@vendor.example")
    text = mail.get_body(("plain",)).get_content()
    assert "has expired" in text
    assert "reply to this message" in text


def test_an_owner_who_left_after_a_submission_has_the_managers_told(
    app, client, sent, smtp, owner, create_user
):
    _staff, link, _request = sent
    manager = create_user(Role.MANAGER)
    client.post(
        link,
        data={**EVERY_ANSWER, "file-security_policy": pdf(), "action": "submit"},
        content_type="multipart/form-data",
    )
    with app.app_context():
        db.session.get(User, owner.id).active = False
        db.session.commit()
        first = deliver_notices(datetime.now(TORONTO))
        second = deliver_notices(datetime.now(TORONTO))
    assert (first.skipped, second.sent) == (1, 1)
    assert smtp.to(owner.email) == []
    assert len(smtp.to(manager.email)) == 1


def test_a_notice_that_breaks_the_transport_does_not_hold_back_the_others(
    app, create_vendor, send_questionnaire, smtp, monkeypatch
):
    for name in ("First", "Second"):
        send_questionnaire(create_vendor(name=name), contact_email=f"{name.lower()}@v.example")
    smtp.clear()
    with app_context(app, expire_on_commit=False):
        due = db.session.scalars(select(QuestionnaireRequest.due_on)).first()
    original = SMTPTransport.send

    def fail_for_first(self, message):
        if message["To"] == "first@v.example":
            raise UnicodeEncodeError("ascii", "é", 0, 1, "a test's broken message")
        return original(self, message)

    monkeypatch.setattr(SMTPTransport, "send", fail_for_first)
    result = run(app, due - timedelta(days=2))
    assert (result.sent, result.failed) == (1, 1)
    assert [m["To"] for m in smtp.messages] == ["second@v.example"]
    with app.app_context():
        failed = db.session.scalars(
            select(MailMessage).where(MailMessage.status == MailStatus.FAILED)
        ).one()
        assert failed.to_address == "first@v.example"
