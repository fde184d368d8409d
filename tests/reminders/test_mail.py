"""The message as it goes on the wire, read back by the standard parser; the SMTP transport's
answers to what the server says."""

import dataclasses
from datetime import UTC, date, datetime
from email import message_from_bytes, policy

import pytest

from tests.fixtures.smtp import Mailbox, start_smtp_server
from vendortrack.accounts.models import Role
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
    built = build_message(settings, **values)
    data = built.as_bytes()
    return built, data, message_from_bytes(data, policy=policy.default)


def lines(part) -> list[str]:
    # As a mail program shows them: the wire's CRLF line ends are not part of the text.
    return part.get_content().splitlines()


def test_the_message_reads_back_exactly(app):
    subject = "VendorTrack : 12 rappels, 3 examens en retard — Déchiquetage Sécur-Doc " * 2
    _, data, message = parsed(app, subject=subject, html="<p>Félix &amp; Émilie</p>")
    assert message.defects == []
    assert message["Subject"] == " ".join(subject.split())
    assert message["From"].addresses[0].display_name == "Équipe Vie privée"
    assert message["Message-ID"] == "<reminders.abc@example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert lines(message.get_body(("plain",))) == ["Bonjour", ".", "Cinq lignes"]
    assert lines(message.get_body(("html",))) == ["<p>Félix &amp; Émilie</p>"]
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.isascii()  # no server needs 8BITMIME to take it


def test_a_line_break_cannot_add_a_header(app):
    _, _, message = parsed(app, subject="Hello\r\nBcc: everyone@example.org")
    assert message["Bcc"] is None
    assert message["Subject"] == "Hello Bcc: everyone@example.org"


def test_the_same_digest_is_the_same_bytes(app):
    assert parsed(app)[1] == parsed(app)[1]


def test_a_line_holding_a_dot_survives_the_trip(app, smtp):
    built, _, _ = parsed(app, text=".\n..\n.end")
    transport = SMTPTransport(app.extensions["mail_settings"])
    try:
        transport.send(built)
    finally:
        transport.close()
    (received,) = smtp.messages
    assert lines(received.get_body(("plain",))) == [".", "..", ".end"]
    # The envelope is the addresses alone, without the sender's name.
    assert smtp.envelopes == [("privacy@example.org", ["olivia@example.org"])]


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


def test_an_address_beyond_ascii_goes_where_the_server_offers_smtputf8(app, smtp):
    transport = SMTPTransport(app.extensions["mail_settings"])
    try:
        transport.send(parsed(app, to="josé@exemple.fr")[0])
    finally:
        transport.close()
    assert smtp.envelopes == [("privacy@example.org", ["josé@exemple.fr"])]


class CallerMailbox(Mailbox):
    """A mailbox that also notes which connection (the client's port) brought each message."""

    def __init__(self):
        super().__init__()
        self.connections: list[int] = []

    async def handle_DATA(self, server, session, envelope):
        self.connections.append(session.peer[1])
        return await super().handle_DATA(server, session, envelope)


def test_a_sweep_sends_all_its_digests_over_one_connection(app, create_user, due_vendor, sweep):
    for n in range(3):
        due_vendor(create_user(Role.OWNER, email=f"o{n}@example.org"), review=date(2026, 12, 1))
    mailbox = CallerMailbox()
    mailbox.refuse.add("o1@example.org")  # a refusal in the middle does not cost a connection
    server = start_smtp_server(mailbox)
    settings = dataclasses.replace(app.extensions["mail_settings"], port=server.port)
    try:
        result = sweep("2026-12-01 08:00", settings)
    finally:
        server.stop()
    assert (result.messages, result.failed) == (2, 1)
    assert [m["To"] for m in mailbox.messages] == ["o0@example.org", "o2@example.org"]
    assert len(set(mailbox.connections)) == 1


def test_a_long_french_subject_keeps_every_space_and_the_body_its_short_lines(app):
    # Folded over two lines by Python's own writer, "était à" arrived as "étaità".
    subject = "VendorTrack : le questionnaire pour Nuage inc. était à remplir d’ici le 21 décembre"
    _, data, message = parsed(app, subject=subject, text="é" * 300)
    assert message["Subject"] == subject
    assert all(len(line) <= 76 for line in data.split(b"\r\n\r\n", 1)[1].split(b"\r\n"))
