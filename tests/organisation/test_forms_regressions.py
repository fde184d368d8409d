"""Input that once made the settings page fail with a server error (found by tests/test_fuzz.py)."""

import io
import zipfile

import docx
import pytest
from sqlalchemy import select

from tests.organisation.test_settings import FORM
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings


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
    ("data", "message"),
    [
        (broken_part(zipfile.ZIP_STORED), "This is not a Word .docx file."),
        (broken_part(zipfile.ZIP_DEFLATED), "This is not a Word .docx file."),
        (renamed_content_types(), "The file cannot be opened as a Word document (.docx)."),
    ],
    ids=["bad checksum", "bad compressed data", "content types in lower case"],
)
def test_a_damaged_letterhead_is_refused_next_to_its_field(signed_in, field_errors, data, message):
    admin = signed_in(Role.ADMIN)
    upload = FORM | {"letterhead": (io.BytesIO(data), "letterhead.docx")}
    response = admin.post("/settings/", data=upload, content_type="multipart/form-data")
    assert response.status_code == 200
    assert field_errors(response.text, "letterhead") == [message]
    assert db.session.scalar(select(OrganisationSettings)) is None
