"""A signed copy goes through the same checks as every upload: a Word file that would fetch or
run something and a PDF that runs a script are refused, and only the file's own name is kept and
sent back."""

import io
from html import unescape

import pytest
from sqlalchemy import select

from tests.helpers import generate, real_pdf
from tests.test_uploads import (
    ole_object,
    open_action_javascript,
    pdf_file,
    remote_template,
    word_file,
)
from vendortrack.addenda.models import Addendum, AddendumStatus
from vendortrack.extensions import db


def sign(client, addendum_id: int, data: bytes, name: str):
    upload = {"signed_copy": (io.BytesIO(data), name), "signed_on": "2026-11-01"}
    return client.post(
        f"/addenda/{addendum_id}/sign",
        data=upload,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            lambda: remote_template(word_file()),
            "signed.docx",
            "it is attached to a template (attachedTemplate: https://attacker.example/t.dotm)",
        ),
        (lambda: ole_object(word_file()), "signed.docx", "it contains an OLE object"),
        (lambda: pdf_file(open_action_javascript), "signed.pdf", "it contains JavaScript"),
    ],
    ids=["remote template", "OLE object", "javascript"],
)
def test_a_signed_copy_that_would_fetch_or_run_something_is_refused(
    app, legal, settings, quebec_vendor, data, name, message
):
    generate(legal, quebec_vendor, "fr")
    with app.app_context():
        addendum_id = db.session.scalar(select(Addendum.id))

    response = sign(legal, addendum_id, data(), name)

    assert message in unescape(response.text)
    with app.app_context():
        addendum = db.session.get(Addendum, addendum_id)
        assert addendum.status == AddendumStatus.DRAFT
        assert addendum.signed_copy is None


def test_a_signed_copy_keeps_only_its_own_name(app, legal, settings, quebec_vendor):
    generate(legal, quebec_vendor, "fr")
    with app.app_context():
        addendum_id = db.session.scalar(select(Addendum.id))

    sign(legal, addendum_id, real_pdf(), "..\\..\\scans/../signed\x07.pdf")

    with app.app_context():
        assert db.session.get(Addendum, addendum_id).signed_filename == "signed.pdf"


def test_a_name_stored_with_folders_before_is_sent_back_without_them(
    legal, create_vendor, create_addendum
):
    addendum = create_addendum(create_vendor(), signed_filename="../../etc/cron.d/signed.pdf")

    response = legal.get(f"/addenda/{addendum.id}/signed-copy")

    assert response.headers["Content-Disposition"] == "attachment; filename=signed.pdf"


def test_a_signed_copy_keeps_a_name_without_control_characters(app, legal, draft):
    name = "é" * 300 + "\x00\x1b.pdf"
    legal.post(
        f"/addenda/{draft.id}/sign",
        data={"signed_copy": (io.BytesIO(real_pdf()), name), "signed_on": "2026-11-01"},
        content_type="multipart/form-data",
    )
    with app.app_context():
        addendum = db.session.scalar(select(Addendum))
        assert addendum.status == AddendumStatus.SIGNED
        assert addendum.signed_filename == "é" * 251 + ".pdf"
        addendum_id = addendum.id
    download = legal.get(f"/addenda/{addendum_id}/signed-copy")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
