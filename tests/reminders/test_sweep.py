"""The sweep against a real SMTP server: digests, exactly once, retries, catch-up, escalation."""

import dataclasses
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.fixtures.smtp import Mailbox, start_smtp_server
from tests.helpers import at, count, free_port
from vendortrack.accounts.models import Role
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.register.models import Vendor
from vendortrack.reminders.models import MailMessage, MailStatus, Reminder, ReminderStatus
from vendortrack.reminders.planning import plan_reminders
from vendortrack.reminders.sweep import CLAIM_LEASE, deliver_due, send_due
from vendortrack.reviews.models import Outcome, Review, ReviewCondition


def body(message, subtype="plain") -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


def test_one_digest_per_person_with_every_reminder_and_both_parts(
    app, smtp, owner, manager, due_vendor, create_vendor
):
    due_vendor(owner, review=date(2026, 11, 20), name="Overdue Payroll")
    due_vendor(owner, review=date(2026, 12, 5), name="Soon Hosting")
    due_vendor(owner, notice=date(2026, 12, 20), name="Renewing Telecom")
    vendor = due_vendor(owner, name="Conditional Cloud")
    with app.app_context():
        review = Review(
            vendor_id=vendor.id,
            completed_on=date(2026, 6, 1),
            outcome=Outcome.APPROVED_WITH_CONDITIONS,
            checklist={},
            conditions=[ReviewCondition(text="Send the SOC 2 report", due_on=date(2026, 11, 30))],
        )
        db.session.add(review)
        db.session.commit()
        review_id = review.id
    due_vendor(owner, review=date(2027, 3, 1), name="Far Away")  # not yet

    with app.app_context():
        result = send_due(at("2026-12-01 08:00"))
        overdue = db.session.scalar(select(Vendor.id).where(Vendor.name == "Overdue Payroll"))

    assert (result.messages, result.sent) == (1, 4)
    (message,) = smtp.messages
    assert message["To"] == "olivia@example.org"
    assert message["Subject"] == "VendorTrack: 4 reminders, 1 review overdue"
    text, html = body(message), body(message, "html")
    for name in ("Overdue Payroll", "Soon Hosting", "Renewing Telecom", "Send the SOC 2 report"):
        assert name in text
        assert name in html
    assert "Far Away" not in text
    assert "Review overdue since November 20, 2026 (11 days)." in text
    assert "Review due December 5, 2026, in 4 days." in text
    # Links on the configured base URL, to the page where each thing is done.
    # The owner may complete the reviews: the links open the review form.
    assert f"http://vendortrack.test/vendors/{overdue}/reviews/new" in text
    assert f"http://vendortrack.test/reviews/{review_id}" in text
    assert 'href="http://vendortrack.test/vendors/' in html
    assert message["Auto-Submitted"] == "auto-generated"
    assert smtp.envelopes[0][1] == ["olivia@example.org"]


def test_running_the_sweep_again_sends_nothing_more(app, smtp, owner, due_vendor):
    due_vendor(owner, review=date(2026, 12, 1))
    with app.app_context():
        first = send_due(at("2026-12-01 08:00"))
        again = send_due(at("2026-12-01 08:00"))
        later_that_day = send_due(at("2026-12-01 17:00"))
    assert first.messages == 1
    assert again.planned == again.messages == later_that_day.messages == 0
    assert len(smtp.messages) == 1


def test_a_stopped_scheduler_catches_up_once_not_once_per_missed_day(app, smtp, owner, due_vendor):
    due_vendor(owner, review=date(2026, 12, 10), name="Forgotten")
    with app.app_context():
        assert send_due(at("2026-11-01 08:00")).messages == 0  # 39 days ahead: nothing yet
        # Stopped for 50 days: the 30-day, 7-day, due-day and four weekly reminders were missed.
        catch_up = send_due(at("2026-12-20 08:00"))
        assert (catch_up.planned, catch_up.messages) == (1, 1)
        assert "Review overdue since December 10, 2026 (10 days)." in body(smtp.messages[0])
        for day in range(21, 24):  # the same week: nothing more
            assert send_due(at(f"2026-12-{day} 08:00")).messages == 0
        assert send_due(at("2026-12-24 08:00")).messages == 1  # two weeks overdue: the next one
    assert len(smtp.messages) == 2


def test_reminders_30_days_7_days_and_on_the_day(app, smtp, owner, due_vendor):
    due_vendor(owner, review=date(2026, 12, 31))
    with app.app_context():
        sent_on = [
            day
            for n in range(40)
            if send_due(at(f"{(day := date(2026, 11, 25) + timedelta(days=n))} 08:00")).messages
        ]
    assert sent_on[:3] == [date(2026, 12, 1), date(2026, 12, 24), date(2026, 12, 31)]
    assert sent_on[3:] == []  # 2027-01-03 is the last day tried: not yet a week overdue


def test_managers_hear_of_a_review_14_days_overdue(app, smtp, owner, manager, due_vendor):
    due_vendor(owner, review=date(2026, 12, 1), name="Late Vendor")
    with app.app_context():
        send_due(at("2026-12-14 08:00"))  # 13 days: the owner only
        assert [m["To"] for m in smtp.messages] == ["olivia@example.org"]
        smtp.clear()
        send_due(at("2026-12-15 08:00"))  # 14 days
    assert sorted(m["To"] for m in smtp.messages) == ["manon@example.org", "olivia@example.org"]
    to_manager = smtp.to("manon@example.org")[0]
    assert "the review is more than 14 days overdue" in body(to_manager)
    # A manager may not complete the review: the link is to the vendor's page.
    assert "/reviews/new" not in body(to_manager)


def test_vendors_without_a_reachable_owner_go_to_the_managers(
    app, smtp, create_user, manager, due_vendor
):
    gone = create_user(Role.OWNER, email="gone@example.org", active=False)
    due_vendor(None, review=date(2026, 12, 1), name="Ownerless")
    due_vendor(gone, review=date(2026, 12, 1), name="Orphaned")
    with app.app_context():
        send_due(at("2026-12-01 08:00"))
    (message,) = smtp.messages
    assert message["To"] == "manon@example.org"
    assert "the vendor has no owner" in body(message)
    assert "the vendor's owner cannot be reached by email" in body(message)


def test_without_managers_the_administrators_are_told(app, smtp, create_user, due_vendor):
    create_user(Role.ADMIN, email="ada@example.org")
    due_vendor(None, review=date(2026, 12, 1))
    with app.app_context():
        send_due(at("2026-12-01 08:00"))
    assert [m["To"] for m in smtp.messages] == ["ada@example.org"]


def test_a_reminder_no_longer_true_is_skipped(app, smtp, owner, due_vendor):
    vendor = due_vendor(owner, review=date(2026, 12, 1))
    smtp.busy = True
    with app.app_context():
        send_due(at("2026-12-01 08:00"))  # deferred
        reviewed = db.session.get(Vendor, vendor.id)
        reviewed.review_due_on = date(2027, 12, 1)  # reviewed in the meantime
        db.session.commit()
        smtp.busy = False
        result = send_due(at("2026-12-01 12:00"))
        assert (result.messages, result.skipped) == (0, 1)
        assert smtp.messages == []
        assert db.session.scalar(select(Reminder.status)) == ReminderStatus.SKIPPED


def test_smtp_down_then_up_retries_with_back_off_and_sends_once(app, smtp, owner, due_vendor):
    due_vendor(owner, review=date(2026, 12, 1))
    port = free_port()
    settings = dataclasses.replace(app.extensions["mail_settings"], port=port)

    with app.app_context():
        down = send_due(at("2026-12-01 08:00"), settings)
        assert (down.messages, down.deferred) == (0, 1)
        reminder = db.session.scalars(select(Reminder)).one()
        assert reminder.status == ReminderStatus.PENDING
        assert reminder.attempts == 1
        assert f"127.0.0.1:{port}" in reminder.last_error
        assert reminder.next_attempt_at == at("2026-12-01 08:05")

        assert deliver_due(at("2026-12-01 08:02"), settings).deferred == 0  # backing off

        mailbox = type(smtp)()
        server = start_smtp_server(mailbox, port)
        try:
            up = deliver_due(at("2026-12-01 08:06"), settings)
            again = send_due(at("2026-12-01 09:00"), settings)
        finally:
            server.stop()
        assert (up.messages, again.messages) == (1, 0)
        assert len(mailbox.messages) == 1
        db.session.refresh(reminder)
        assert (reminder.status, reminder.attempts) == (ReminderStatus.SENT, 2)


def test_a_retried_digest_keeps_its_message_id(app, smtp, owner, due_vendor):
    due_vendor(owner, review=date(2026, 12, 1))
    smtp.busy = True
    with app.app_context():
        result = send_due(at("2026-12-01 08:00"))
        assert result.deferred == 1
        assert "451" in db.session.scalar(select(Reminder.last_error))
        smtp.busy = False
        deliver_due(at("2026-12-01 09:00"))
        (first,), (second,) = smtp.attempted, smtp.messages
        assert first["Message-ID"] == second["Message-ID"]
        assert second["Message-ID"] == db.session.scalar(select(MailMessage.message_id))


def test_a_refused_address_fails_alone_and_the_others_go_out(
    app, smtp, create_user, owner, due_vendor
):
    refused = create_user(Role.OWNER, email="left@example.org")
    due_vendor(refused, review=date(2026, 12, 1))
    due_vendor(owner, review=date(2026, 12, 1))
    smtp.refuse.add("left@example.org")
    with app.app_context():
        result = send_due(at("2026-12-01 08:00"))
        assert (result.messages, result.failed) == (1, 1)
        assert [m["To"] for m in smtp.messages] == ["olivia@example.org"]
        failed = db.session.scalars(
            select(MailMessage).where(MailMessage.status == MailStatus.FAILED)
        )
        assert "550" in failed.one().error
        # Refused for good: not tried again.
        assert deliver_due(at("2026-12-02 08:00")).failed == 0


def test_a_claim_left_by_a_sweep_that_died_is_taken_again_after_the_lease(
    app, smtp, owner, due_vendor
):
    due_vendor(owner, review=date(2026, 12, 2))
    now = at("2026-12-01 08:00")

    def claimed(ago: timedelta) -> None:  # as a sweep that claimed it `ago` and then died
        db.session.execute(
            Reminder.__table__.update().values(claim_token="dead", claimed_at=utcnow() - ago)
        )
        db.session.commit()

    with app.app_context():
        plan_reminders(date(2026, 12, 1), now)
        claimed(CLAIM_LEASE - timedelta(minutes=1))
        assert deliver_due(now).messages == 0
        claimed(CLAIM_LEASE + timedelta(minutes=1))
        assert deliver_due(now).messages == 1
    assert len(smtp.messages) == 1


def test_a_run_told_another_time_leaves_the_schedulers_claims_alone(app, smtp, owner, due_vendor):
    due_vendor(owner, review=date(2026, 12, 2))
    with app.app_context():
        plan_reminders(date(2026, 12, 1), at("2026-12-01 08:00"))
        db.session.execute(
            Reminder.__table__.update().values(claim_token="live", claimed_at=utcnow())
        )
        db.session.commit()
        # A month ahead by its own clock, but the claim is a minute old by the real one.
        assert deliver_due(at("2027-01-01 08:00")).messages == 0


def test_french_owners_get_french_mail(app, smtp, create_user, due_vendor):
    french = create_user(Role.OWNER, email="fr@example.org", name="Félix", language="fr")
    due_vendor(french, review=date(2026, 11, 20), name="Paie Québec")
    with app.app_context():
        send_due(at("2026-12-01 08:00"))
    (message,) = smtp.messages
    assert message["Subject"] == "VendorTrack : 1 rappel, 1 examen en retard"
    text = body(message)
    assert "Bonjour Félix," in text
    assert "20 novembre 2026" in text
    assert "Review" not in text
    assert "overdue" not in text


def test_the_local_day_decides_across_daylight_saving_time(app, smtp, owner, due_vendor):
    # Clocks go back at 2:00 on 1 November 2026 in Toronto (UTC-4 to UTC-5).
    due_vendor(owner, review=date(2026, 11, 1))
    with app.app_context():
        late_evening = send_due(at("2026-10-31 23:30"))  # 03:30 UTC on 1 November
        assert "in 1 day" in body(smtp.messages[-1])
        just_after_midnight = send_due(at("2026-11-01 00:30"))
        assert "Review due today." in body(smtp.messages[-1])
    assert (late_evening.messages, just_after_midnight.messages) == (1, 1)


def test_spring_forward_midnight(app, smtp, owner, due_vendor):
    # Clocks go forward at 2:00 on 8 March 2026: midnight is still 05:00 UTC.
    due_vendor(owner, review=date(2026, 3, 8))
    assert at("2026-03-08 00:00").hour == 5
    with app.app_context():
        send_due(at("2026-03-07 23:59"))
        send_due(at("2026-03-08 00:00"))
    assert ["in 1 day" in body(m) for m in smtp.messages] == [True, False]


def test_without_a_mail_server_messages_are_written_to_the_outbox_folder(
    app, tmp_path, owner, due_vendor
):
    due_vendor(owner, review=date(2026, 12, 1))
    settings = dataclasses.replace(app.extensions["mail_settings"], server=None)
    with app.app_context():
        result = send_due(at("2026-12-01 08:00"), settings)
        (eml,) = (tmp_path / "outbox").glob("*.eml")
        assert result.messages == 1
        assert b"olivia@example.org" in eml.read_bytes()
        assert db.session.scalar(select(MailMessage.transport)) == "file"


def test_terminated_vendors_and_met_conditions_are_not_reminded(app, smtp, owner, due_vendor):
    from vendortrack.register.models import VendorStatus

    due_vendor(owner, review=date(2026, 12, 1), status=VendorStatus.TERMINATED)
    with app.app_context():
        assert send_due(at("2026-12-01 08:00")).planned == 0
        assert count(Reminder) == 0


def test_a_sweep_that_fails_records_why(app, monkeypatch, owner, due_vendor):
    from vendortrack.reminders import sweep
    from vendortrack.reminders.models import SweepRun

    def broken(today, now):
        raise RuntimeError("database went away")

    monkeypatch.setattr(sweep, "plan_reminders", broken)
    with app.app_context():
        with pytest.raises(RuntimeError):
            send_due(at("2026-12-01 08:00"))
        run = db.session.scalars(select(SweepRun)).one()
        assert run.error == "RuntimeError: database went away"
        assert run.finished_at is not None


def test_one_digest_that_cannot_be_made_holds_back_nobody_else(
    app, monkeypatch, smtp, create_user, owner, due_vendor
):
    from vendortrack.reminders import sweep

    unlucky = create_user(Role.OWNER, email="unlucky@example.org")
    due_vendor(unlucky, review=date(2026, 12, 1))
    due_vendor(owner, review=date(2026, 12, 1))
    compose = sweep.compose

    def compose_or_fail(items, recipient, today, link):
        if recipient.id == unlucky.id:  # as a translation whose placeholder was misspelt
            raise KeyError("num")
        return compose(items, recipient, today, link)

    monkeypatch.setattr(sweep, "compose", compose_or_fail)
    with app.app_context():
        result = send_due(at("2026-12-01 08:00"))
        assert (result.messages, result.failed) == (1, 1)
        assert [m["To"] for m in smtp.messages] == ["olivia@example.org"]
        failed = db.session.scalars(select(Reminder).where(Reminder.recipient_id == unlucky.id))
        assert failed.one().status == ReminderStatus.FAILED


def test_an_address_the_server_cannot_take_fails_alone(app, create_user, owner, due_vendor):
    accented = create_user(Role.OWNER, email="josé@exemple.fr")
    due_vendor(accented, review=date(2026, 12, 1))
    due_vendor(owner, review=date(2026, 12, 1))
    mailbox = Mailbox()
    # A server without SMTPUTF8 cannot take an address written in more than ASCII.
    server = Controller(mailbox, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=False)
    server.start()
    with app.app_context():
        try:
            settings = dataclasses.replace(app.extensions["mail_settings"], port=server.port)
            result = send_due(at("2026-12-01 08:00"), settings)
        finally:
            server.stop()
        assert (result.messages, result.failed) == (1, 1)
        assert [m["To"] for m in mailbox.messages] == ["olivia@example.org"]
        failed = db.session.scalars(
            select(MailMessage).where(MailMessage.status == MailStatus.FAILED)
        )
        assert "SMTPUTF8" in failed.one().error
        # Refused for good: not tried again.
        assert deliver_due(at("2026-12-02 08:00"), settings).failed == 0


def test_a_sender_the_server_refuses_defers_everything(app, smtp, create_user, due_vendor):
    for _ in range(3):
        due_vendor(create_user(Role.OWNER), review=date(2026, 12, 1))
    smtp.refuse_sender = True
    with app.app_context():
        result = send_due(at("2026-12-01 08:00"))
        assert (result.messages, result.failed, result.deferred) == (0, 0, 3)
        assert "530" in db.session.scalar(select(Reminder.last_error).limit(1))


def test_a_reminder_follows_the_vendor_to_its_new_owner(app, smtp, create_user, owner, due_vendor):
    vendor = due_vendor(owner, review=date(2026, 12, 1))
    smtp.busy = True
    with app.app_context():
        send_due(at("2026-12-01 08:00"))  # deferred, for Olivia
        new_owner = create_user(Role.OWNER, email="new@example.org")
        db.session.get(Vendor, vendor.id).owner_id = new_owner.id
        db.session.commit()
        smtp.busy = False
        result = send_due(at("2026-12-01 09:00"))
    assert result.skipped == 1
    assert [m["To"] for m in smtp.messages] == ["new@example.org"]
