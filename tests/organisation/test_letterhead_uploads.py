"""A letterhead is checked at upload the way generation will use it: anything that would make
Word fetch or run something, a DTD, or a file no addendum can be built on is refused there,
next to the field, rather than copied into every addendum or breaking generation later."""

import io
import zipfile

import docx
import pytest

from tests.helpers import fetched
from tests.organisation.test_settings import FORM, letterhead_docx
from tests.test_uploads import part_of, remote_template, rezipped, with_custom_properties
from vendortrack.accounts.models import Role
from vendortrack.organisation.models import OrganisationSettings


def upload(client, data: bytes, name: str = "letterhead.docx"):
    sent = FORM | {"letterhead": (io.BytesIO(data), name)}
    return client.post("/settings/", data=sent, content_type="multipart/form-data")


def without_body(data: bytes) -> bytes:
    """A letterhead Word opens, whose document has no body for an addendum to be written in."""
    document = part_of(data, "word/document.xml")
    start, end = document.index(b"<w:body>"), document.index(b"</w:body>") + len(b"</w:body>")
    return rezipped(data, {"word/document.xml": document[:start] + document[end:]})


def broken_part(compression: int) -> bytes:
    """A zip holding the parts of a .docx, whose [Content_Types].xml is damaged: with a wrong
    checksum when stored, with invalid compressed data when deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", "<Types>" + "x" * 200 + "</Types>")
        archive.writestr("word/document.xml", "<w:document/>")
        part = archive.getinfo("[Content_Types].xml")
    data = bytearray(out.getvalue())
    start = part.header_offset + 30 + len(part.filename.encode()) + len(part.extra)
    data[start : start + 8] = b"\xff" * 8
    return bytes(data)


def renamed_content_types() -> bytes:
    """A real .docx whose [Content_Types].xml is renamed in lower case."""
    original = io.BytesIO()
    docx.Document().save(original)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(original) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for item in source.infolist():
            name = item.filename.lower() if item.filename.startswith("[") else item.filename
            copy.writestr(name, source.read(item))
    return out.getvalue()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "The file is refused: it is attached to a template (attachedTemplate: "
            "https://attacker.example/t.dotm), which Word would fetch when opening it. Attach no "
            "template and save it again.",
        ),
        (
            "fr",
            "Le fichier est refusé : il est attaché à un modèle (attachedTemplate : "
            "https://attacker.example/t.dotm) que Word irait chercher en l’ouvrant. Retirez le "
            "modèle attaché et enregistrez-le de nouveau.",
        ),
    ],
)
def test_a_letterhead_attached_to_a_remote_template_is_refused_saying_so(
    app, signed_in, field_errors, language, message
):
    admin = signed_in(Role.ADMIN, language=language)

    response = upload(admin, remote_template(letterhead_docx()))

    assert response.status_code == 200
    assert field_errors(response.text, "letterhead") == [message]
    assert fetched(app, OrganisationSettings) is None


def test_a_letterhead_declaring_a_dtd_is_refused_at_upload(app, signed_in, field_errors):
    admin = signed_in(Role.ADMIN)

    response = upload(admin, with_custom_properties(letterhead_docx()))

    assert field_errors(response.text, "letterhead") == [
        "The file is refused: its part docProps/custom.xml declares a DTD (<!DOCTYPE …>), "
        "which a Word document never needs."
    ]
    assert fetched(app, OrganisationSettings) is None


def test_a_letterhead_no_addendum_can_be_built_on_is_refused_at_upload(
    app, signed_in, field_errors
):
    admin = signed_in(Role.ADMIN)

    response = upload(admin, without_body(letterhead_docx()))

    assert field_errors(response.text, "letterhead") == [
        "No addendum can be built on this letterhead. Open it in Word, save it again as .docx, "
        "and upload that copy."
    ]
    assert fetched(app, OrganisationSettings) is None


def test_a_good_letterhead_is_kept_under_its_base_name_only(app, signed_in):
    admin = signed_in(Role.ADMIN)

    response = upload(admin, letterhead_docx(), "..\\..\\templates/boréal.docx")

    assert response.status_code == 302
    assert fetched(app, OrganisationSettings).letterhead_filename == "boréal.docx"


# Found by tests/test_fuzz.py: these once made the settings page fail with a server error.
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (broken_part(zipfile.ZIP_STORED), "This is not a Word .docx file."),
        (broken_part(zipfile.ZIP_DEFLATED), "This is not a Word .docx file."),
        (renamed_content_types(), "The file cannot be opened as a Word document (.docx)."),
    ],
    ids=["bad checksum", "bad compressed data", "content types in lower case"],
)
def test_a_damaged_letterhead_is_refused_next_to_its_field(
    app, signed_in, field_errors, data, message
):
    admin = signed_in(Role.ADMIN)

    response = upload(admin, data)

    assert response.status_code == 200
    assert field_errors(response.text, "letterhead") == [message]
    assert fetched(app, OrganisationSettings) is None
