"""The Sent mail page: how mail goes out, the last run, what waits for a retry, the messages with
their bodies, and the button that sends what is due now."""

import dataclasses
import logging
import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.helpers import app_context, loaded
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.reminders.models import (
    MailMessage,
    MailStatus,
    Reminder,
    ReminderStatus,
    SweepRun,
    Topic,
)

START = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
SANDBOX = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"


@pytest.fixture
def add_messages(app):
    """add_messages(count, **values) -> `count` messages, one minute apart, subjects
    "Digest 001" (oldest) onwards."""

    def add(count, **values):
        messages = []
        for n in range(1, count + 1):
            fields = {
                "to_address": f"person{n}@example.org",
                "subject": f"Digest {n:03d}",
                "text_body": f"Text of digest {n}",
                "html_body": f"<p>HTML of digest {n}</p>",
                "message_id": f"<reminders.{n}@example.org>",
                "status": MailStatus.SENT,
                "transport": "file",
                "created_at": START + timedelta(minutes=n),
            }
            fields.update(values)
            messages.append(MailMessage(**fields))
        with app_context(app):
            db.session.add_all(messages)
            db.session.commit()
            return [loaded(message) for message in messages]

    return add


@pytest.fixture
def add_reminder(app):
    """add_reminder(recipient, vendor, **values) -> a reminder for that person of that vendor."""

    def add(recipient, vendor, **values):
        fields = {
            "topic": Topic.REVIEW,
            "subject_id": vendor.id,
            "kind": "due",
            "due_on": date(2026, 3, 2),
            "recipient_id": recipient.id,
            "reason": "owner",
            "vendor_id": vendor.id,
            "next_attempt_at": START,
        }
        fields.update(values)
        with app_context(app):
            reminder = Reminder(**fields)
            db.session.add(reminder)
            db.session.commit()
            return loaded(reminder)

    return add


def section(html, element_id):
    """The inner HTML of the element with this id (a table, row or list), to look inside it."""
    match = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element #{element_id} on the page"
    return unescape(match[2])


def subjects_on(html):
    return re.findall(r"Digest \d{3}", section(html, "messages"))


@pytest.fixture
def admin(signed_in):
    return signed_in(Role.ADMIN)


def use_outbox_folder(app, folder):
    """Mail goes to .eml files in `folder`, as in an installation without a mail server."""
    settings = app.extensions["mail_settings"]
    app.extensions["mail_settings"] = dataclasses.replace(settings, server=None, outbox_dir=folder)


@pytest.fixture
def outbox(app, tmp_path):
    folder = tmp_path / "own-outbox"
    use_outbox_folder(app, folder)
    return folder


def toronto_today():
    return datetime.now(ZoneInfo("America/Toronto")).date()


@pytest.mark.parametrize("role", [Role.LEGAL, Role.MANAGER, Role.OWNER])
def test_only_administrators_see_the_sent_mail(signed_in, add_messages, role):
    [message] = add_messages(1)
    client = signed_in(role)
    assert client.get("/mail").status_code == 403
    assert client.get(f"/mail/{message.id}").status_code == 403
    assert client.get(f"/mail/{message.id}/html").status_code == 403
    assert client.post("/mail/run").status_code == 403
    assert "Sent mail" not in client.get("/account").get_data(as_text=True)


def test_administrators_find_the_page_in_the_menu(admin):
    html = admin.get("/account").get_data(as_text=True)
    assert 'href="/mail">Sent mail</a>' in html


def test_messages_are_listed_newest_first_fifty_a_page(admin, add_messages):
    add_messages(60)
    first = admin.get("/mail").get_data(as_text=True)
    assert subjects_on(first) == [f"Digest {n:03d}" for n in range(60, 10, -1)]
    assert "Page 1 of 2" in first
    second = admin.get("/mail?page=2").get_data(as_text=True)
    assert subjects_on(second) == [f"Digest {n:03d}" for n in range(10, 0, -1)]


@pytest.mark.parametrize("page", ["abc", "0", "-3", "1.5", ""])
def test_a_page_number_that_is_not_one_shows_the_first_page(admin, add_messages, page):
    add_messages(60)
    response = admin.get(f"/mail?page={page}")
    assert response.status_code == 200
    assert subjects_on(response.get_data(as_text=True))[0] == "Digest 060"


def test_a_page_past_the_end_shows_the_last_page(admin, add_messages):
    add_messages(60)
    html = admin.get("/mail?page=99999999999999999999").get_data(as_text=True)
    assert subjects_on(html)[-1] == "Digest 001"


def test_each_message_shows_whether_it_was_sent_or_refused(app, admin, add_messages):
    sent, refused = add_messages(2)
    with app.app_context():
        row = db.session.get(MailMessage, refused.id)
        row.status, row.error = MailStatus.FAILED, "550 no such user"
        db.session.commit()
    html = admin.get("/mail").get_data(as_text=True)
    assert "Sent" in section(html, f"message-{sent.id}")
    assert "Refused" not in section(html, f"message-{sent.id}")
    assert "Refused" in section(html, f"message-{refused.id}")
    assert "person2@example.org" in section(html, f"message-{refused.id}")


def test_a_new_installation_is_told_how_mail_goes_out_and_when(admin, outbox):
    html = unescape(admin.get("/mail").get_data(as_text=True))
    assert f"written to files in {outbox}" in html
    assert "every day at 08:00 (America/Toronto time)" in html
    assert "The reminders have never run yet." in html
    assert "No message has been sent yet." in html


def test_the_mail_server_is_named_when_there_is_one(app, admin):
    settings = app.extensions["mail_settings"]
    # Only read for the page: nothing is sent by opening it.
    app.extensions["mail_settings"] = dataclasses.replace(
        settings, server="smtp.example.org", port=587
    )
    html = admin.get("/mail").get_data(as_text=True)
    assert "mail server smtp.example.org:587" in html


def test_the_last_run_and_its_counts_are_shown(app, admin):
    with app.app_context():
        db.session.add_all(
            [
                SweepRun(started_at=START, planned_for=date(2026, 3, 2), finished_at=START),
                SweepRun(
                    started_at=START + timedelta(days=1),
                    planned_for=date(2026, 3, 3),
                    finished_at=START + timedelta(days=1, seconds=5),
                    planned=7,
                    messages=3,
                    sent=6,
                    skipped=1,
                    deferred=2,
                    failed=4,
                ),
            ]
        )
        db.session.commit()
    text = " ".join(section(admin.get("/mail").get_data(as_text=True), "last-run").split())
    assert "Last run: 3/3/26" in text
    assert (
        "Reminders planned: 7; messages sent: 3; reminders they carried: 6; skipped: 1; "
        "deferred: 2; refused: 4." in text
    )


def test_reminders_waiting_for_a_retry_are_grouped_per_person(
    admin, create_user, create_vendor, add_reminder
):
    olivia = create_user(Role.OWNER, email="olivia@example.org", name="Olivia")
    nadia = create_user(Role.OWNER, email="nadia@example.org", name="Nadia")
    sam = create_user(Role.OWNER, email="sam@example.org", name="Sam")
    retry = START + timedelta(minutes=15)
    for vendor in (create_vendor(), create_vendor()):
        add_reminder(
            olivia, vendor, attempts=2, last_error="421 try again later", next_attempt_at=retry
        )
    add_reminder(nadia, create_vendor())  # not tried yet: it is not waiting on the server
    add_reminder(sam, create_vendor(), attempts=1, status=ReminderStatus.SENT)
    waiting = section(admin.get("/mail").get_data(as_text=True), "waiting")
    [row] = re.findall(r"<tr>(.*?)</tr>", waiting.partition("<tbody>")[2], re.S)
    cells = [" ".join(c.split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[0] == 'Olivia <span class="text-secondary small">olivia@example.org</span>'
    assert cells[1:4] == ["2", "2", "421 try again later"]
    assert cells[4] == "3/2/26, 8:15 AM"  # Toronto time


def test_a_message_shows_its_headers_text_and_the_reminders_it_carried(
    admin, create_user, create_vendor, add_messages, add_reminder
):
    [message] = add_messages(1, text_body="Hello Olivia,\n<b>Acme</b> is due today.")
    olivia = create_user(Role.OWNER, name="Olivia")
    add_reminder(olivia, create_vendor(name="Acme"), message_id=message.id)
    add_reminder(
        olivia,
        create_vendor(name="Globex"),
        kind="in_30",
        due_on=date(2026, 4, 1),
        message_id=message.id,
    )
    add_reminder(olivia, create_vendor(name="Initech"))  # carried by no message
    html = admin.get(f"/mail/{message.id}").get_data(as_text=True)
    assert section(html, "text-body") == "Hello Olivia,\n<b>Acme</b> is due today."
    assert "&lt;b&gt;Acme" in html  # shown as text, never as markup
    headers = section(html, "headers")
    assert "person1@example.org" in headers
    assert "&lt;reminders.1@example.org&gt;" in html
    carried = " ".join(section(html, "carried").split())
    assert 'Acme</a> <span class="small text-secondary">· Review due · due Mar 2, 2026' in carried
    assert 'Globex</a> <span class="small text-secondary">· Review due within 30 days' in carried
    assert "Initech" not in carried
    assert f'href="/mail/{message.id}/html"' in html


def test_a_refused_message_shows_the_servers_answer(admin, add_messages):
    [message] = add_messages(1, status=MailStatus.FAILED, error="550 5.1.1 no such mailbox")
    headers = section(admin.get(f"/mail/{message.id}").get_data(as_text=True), "headers")
    assert "Refused" in headers
    assert "550 5.1.1 no such mailbox" in headers


def test_a_message_that_does_not_exist_is_not_found(admin):
    assert admin.get("/mail/999").status_code == 404
    assert admin.get("/mail/999/html").status_code == 404


def test_the_html_part_cannot_run_script_in_our_origin(admin, add_messages):
    body = "<p>Acme</p><script>alert(document.cookie)</script>"
    [message] = add_messages(1, html_body=body)
    response = admin.get(f"/mail/{message.id}/html")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == SANDBOX
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_data(as_text=True) == body


def test_the_page_costs_the_same_queries_for_5_or_60_messages(
    admin, count_queries, create_user, create_vendor, add_messages, add_reminder
):
    def queries_with(messages):
        vendor = create_vendor()  # a new one: counting forgets every loaded row
        for message in add_messages(messages):
            person = create_user(Role.OWNER)
            add_reminder(person, vendor, attempts=1, last_error="421 later")
            add_reminder(person, vendor, kind="in_7", message_id=message.id)

        def open_page():
            assert admin.get("/mail").status_code == 200

        return count_queries(open_page)

    few = queries_with(5)
    many = queries_with(55)  # 60 in all, more than a page
    assert few == many


def test_sending_due_reminders_now_writes_them_to_the_outbox(
    app, admin, outbox, create_user, create_vendor
):
    olivia = create_user(Role.OWNER, email="olivia@example.org", name="Olivia")
    create_vendor(name="Acme", owner_id=olivia.id, review_due_on=toronto_today())

    response = admin.post("/mail/run", follow_redirects=True)

    assert response.request.path == "/mail"
    html = unescape(response.get_data(as_text=True))
    assert "1 message sent carrying 1 reminder. Deferred: 0; skipped: 0; refused: 0." in html
    [eml] = outbox.glob("*.eml")
    assert "To: olivia@example.org" in eml.read_text()
    with app.app_context():
        [message] = db.session.scalars(select(MailMessage)).all()
        row = section(html, f"message-{message.id}")
        assert "olivia@example.org" in row
        assert message.subject in row
    assert "Last run:" in html


def test_sending_when_nothing_is_due_says_so(admin, outbox):
    html = admin.post("/mail/run", follow_redirects=True).get_data(as_text=True)
    assert "Nothing was due: no message was sent." in html
    assert not outbox.exists()


def test_mail_that_cannot_be_written_waits_for_a_retry(
    app, admin, tmp_path, create_user, create_vendor
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the outbox folder should be")
    use_outbox_folder(app, blocked)
    olivia = create_user(Role.OWNER, email="olivia@example.org", name="Olivia")
    create_vendor(owner_id=olivia.id, review_due_on=toronto_today())

    html = unescape(admin.post("/mail/run", follow_redirects=True).get_data(as_text=True))

    assert "0 messages sent carrying 0 reminders. Deferred: 1;" in html
    assert 'class="alert alert-warning"' in html
    waiting = section(html, "waiting")
    assert "olivia@example.org" in waiting
    assert "cannot write to the outbox folder" in waiting


def test_an_unexpected_error_is_logged_and_explained_without_a_trace(admin, monkeypatch, caplog):
    def broken(now):
        raise RuntimeError("database exploded: secret detail")

    monkeypatch.setattr("vendortrack.reminders.views.send_due", broken)
    with caplog.at_level(logging.ERROR):
        response = admin.post("/mail/run", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sending the reminders stopped on an unexpected error" in html
    assert "secret detail" not in html
    assert "secret detail" in caplog.text


def test_an_address_the_mail_server_refuses_is_shown_refused(
    app, admin, smtp, create_user, create_vendor
):
    olivia = create_user(Role.OWNER, email="olivia@example.org", name="Olivia")
    create_vendor(owner_id=olivia.id, review_due_on=toronto_today())
    smtp.refuse.add("olivia@example.org")  # the tests' own SMTP server, on loopback

    html = unescape(admin.post("/mail/run", follow_redirects=True).get_data(as_text=True))

    assert "0 messages sent carrying 0 reminders. Deferred: 0; skipped: 0; refused: 1." in html
    assert smtp.messages == []
    with app.app_context():
        [message_id] = db.session.scalars(select(MailMessage.id)).all()
    row = section(html, f"message-{message_id}")
    assert "Refused" in row
    assert "SMTP" in row
    detail = admin.get(f"/mail/{message_id}").get_data(as_text=True)
    assert "550 5.1.1 No such mailbox here" in section(detail, "headers")
