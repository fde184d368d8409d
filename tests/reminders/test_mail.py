"""The message as it goes on the wire, read back by the standard parser; the SMTP transport's
answers to what the server says."""

import dataclasses
import sys
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from vendortrack.mail import MailError, SMTPTransport, build_message


def parsed(app, **values):
    settings = dataclasses.replace(
        app.extensions["mail_settings"], sender="Équipe Vie privée <privacy@example.org>"
    )
    values = {
        "to": "olivia@example.org",
        "subject": "VendorTrack",
        "text": "Bonjour\n.\nCinq lignes",
        "html": "<p>Bonjour</p>",
        "message_id": "<reminders.abc@example.org>",
        "date": datetime(2026, 12, 1, 13, tzinfo=UTC),
        **values,
    }
    sealed = build_message(settings, **values)
    return sealed, message_from_bytes(sealed.data, policy=policy.default)


def test_the_message_reads_back_exactly(app):
    subject = "VendorTrack : 12 rappels, 3 examens en retard — Déchiquetage Sécur-Doc " * 2
    sealed, message = parsed(app, subject=subject, html="<p>Félix &amp; Émilie</p>")
    assert message.defects == []
    assert message["Subject"] == " ".join(subject.split())
    assert message["From"].addresses[0].display_name == "Équipe Vie privée"
    assert message["Message-ID"] == "<reminders.abc@example.org>"
    assert message.get_body(("plain",)).get_content() == "Bonjour\n.\nCinq lignes"
    assert message.get_body(("html",)).get_content() == "<p>Félix &amp; Émilie</p>"
    assert max(len(line) for line in sealed.data.split(b"\r\n")) <= 998
    assert b"\n" not in sealed.data.replace(b"\r\n", b"")
    assert (sealed.sender, sealed.recipient) == ("privacy@example.org", "olivia@example.org")


def test_a_line_break_cannot_add_a_header(app):
    _, message = parsed(app, subject="Hello\r\nBcc: everyone@example.org")
    assert message["Bcc"] is None
    assert message["Subject"] == "Hello Bcc: everyone@example.org"


def test_the_same_digest_is_the_same_bytes(app):
    assert parsed(app)[0].data == parsed(app)[0].data


def test_a_line_holding_a_dot_survives_the_trip(app, smtp):
    sealed, _ = parsed(app, text=".\n..\n.end")
    settings = dataclasses.replace(app.extensions["mail_settings"], sender="a@example.org")
    transport = SMTPTransport(settings)
    try:
        transport.send(sealed)
    finally:
        transport.close()
    (received,) = smtp.messages
    assert received.get_body(("plain",)).get_content() == ".\n..\n.end"


def test_a_refused_address_leaves_the_connection_for_the_next(app, smtp):
    smtp.refuse.add("gone@example.org")
    transport = SMTPTransport(app.extensions["mail_settings"])
    try:
        with pytest.raises(MailError) as refused:
            transport.send(parsed(app, to="gone@example.org")[0])
        transport.send(parsed(app)[0])
    finally:
        transport.close()
    assert (refused.value.permanent, refused.value.broken) == (True, False)
    assert str(refused.value).startswith("550")
    assert [m["To"] for m in smtp.messages] == ["olivia@example.org"]


def test_a_sweep_leaves_the_interpreter_as_it_found_it(app, smtp, owner, due_vendor, sweep):
    from datetime import date

    before = sys.getswitchinterval()
    due_vendor(owner, review=date(2026, 12, 1))
    assert sweep("2026-12-01 08:00").messages == 1
    assert sys.getswitchinterval() == before
