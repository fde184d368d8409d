"""Sending a questionnaire through the page, as legal does, and reading its link from the mail
the vendor's contact receives on the tests' SMTP server."""

import re
from datetime import timedelta

import pytest

from vendortrack.accounts.models import Role
from vendortrack.i18n import local_today

LINK = re.compile(r"http://vendortrack\.test(/v/[A-Za-z0-9_-]{43})")


def link_in(message) -> str:
    """The path of the questionnaire link in a mail (its text part)."""
    text = message.get_body(("plain",)).get_content()
    return LINK.search(text).group(1)


@pytest.fixture
def send_questionnaire(app, signed_in, smtp):
    """send_questionnaire(vendor, **fields) -> (the sender's client, the link's path, the
    response): sends through the page, as legal by default."""

    def send(vendor, sender=None, **fields):
        client = sender or signed_in(Role.LEGAL)
        with app.test_request_context():
            due = local_today() + timedelta(days=14)
        form = {
            "set_id": "privacy_safeguards",
            "contact_name": "Dana Vendor",
            "contact_email": "dana@vendor.example",
            "language": "en",
            "due_on": due.isoformat(),
            "link_days": "30",
            "message": "",
            **fields,
        }
        before = len(smtp.messages)
        response = client.post(f"/questionnaires/send/{vendor.id}", data=form)
        mails = smtp.messages[before:]
        return client, (link_in(mails[-1]) if mails else None), response

    return send
