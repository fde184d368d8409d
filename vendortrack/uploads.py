"""Checking uploaded Word and PDF files (letterheads, signed addenda) before anything is stored.

A .docx is a zip archive: its entries and their unpacked size are checked before it is opened
(a small upload can unpack to gigabytes), and one that carries macros is refused, since every
addendum built on a letterhead would carry them to the vendor.
"""

import io
import unicodedata
import warnings
import zipfile

from docx import Document
from flask_babel import lazy_gettext as _l
from pypdf import PdfReader

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_FILENAME = 255  # the size of the columns that keep uploaded files' names
MAX_ZIP_ENTRIES = 500
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Old .doc files and password-protected .docx files are OLE compound files, not zips.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES = "[content_types].xml"
NOT_DOCX = _l("This is not a Word .docx file.")


class UploadError(ValueError):
    """An uploaded file that cannot be used; the message says why, for the user."""


def stored_name(filename: str) -> str:
    """An uploaded file's name as it is kept: without control characters (no browser sends
    them, PostgreSQL refuses NUL, and the name goes back out in a download's headers), and
    only its last 255 characters, which keep the extension."""
    visible = "".join(c for c in filename if unicodedata.category(c) != "Cc")
    return visible[-MAX_FILENAME:]


def check_docx(data: bytes) -> None:
    """Refuse anything but a real, macro-free, reasonably sized Word .docx file."""
    _check_upload_size(data)
    if data.startswith(OLE_SIGNATURE):
        raise UploadError(
            _l("This is an old .doc or a password-protected file. Save it as .docx, unprotected.")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise UploadError(NOT_DOCX) from error
    with archive:
        _check_unpacked_size(archive.infolist())
        _check_parts(archive)
    try:
        Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a broken file; all mean no
        raise UploadError(_l("The file cannot be opened as a Word document (.docx).")) from error


def _check_upload_size(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(_l("The file is larger than 10 MB."))


def _check_unpacked_size(entries: list[zipfile.ZipInfo]) -> None:
    # The declared sizes, which zipfile never reads past: enough to refuse a zip bomb unopened.
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UploadError(_l("The file holds too many parts to be a normal document."))
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise UploadError(_l("The file unpacks to more than 50 MB."))


def _check_parts(archive: zipfile.ZipFile) -> None:
    # Part names are compared without case, so the part is read under the name it really has.
    names = {name.casefold(): name for name in archive.namelist()}
    if CONTENT_TYPES not in names or "word/document.xml" not in names:
        raise UploadError(NOT_DOCX)
    try:
        content_types = archive.read(names[CONTENT_TYPES]).decode("utf-8", "replace").casefold()
    # A damaged archive fails to unpack in many ways (a bad checksum, broken compressed data, an
    # unknown compression method, a password): all of them mean no.
    except Exception as error:
        raise UploadError(NOT_DOCX) from error
    has_macros = any(name.endswith("vbaproject.bin") for name in names)
    if has_macros or "macroenabled" in content_types or "vbaproject" in content_types:
        raise UploadError(_l("Files with macros are refused; save the document as .docx."))


def check_pdf(data: bytes) -> None:
    """Refuse anything but a PDF that opens, has pages, and is not locked by a password."""
    _check_upload_size(data)
    if not data.startswith(b"%PDF-"):
        raise UploadError(_l("This is not a complete PDF file."))
    try:
        with warnings.catch_warnings():  # pypdf warns about repairs it makes; only failure counts
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            encrypted, pages = reader.is_encrypted, 0 if reader.is_encrypted else len(reader.pages)
    except Exception as error:  # a broken PDF fails in many ways inside pypdf; all of them mean no
        raise UploadError(_l("This is not a complete PDF file.")) from error
    if encrypted:
        raise UploadError(_l("The PDF is protected by a password; upload an unprotected copy."))
    if pages == 0:
        raise UploadError(_l("This is not a complete PDF file."))


def check_signed_copy(data: bytes, filename: str) -> None:
    """A signed addendum: a .docx or a .pdf, checked as what its name says it is."""
    name = filename.lower()
    if name.endswith(".docx"):
        check_docx(data)
    elif name.endswith(".pdf"):
        check_pdf(data)
    else:
        raise UploadError(_l("Upload the signed copy as a .docx or .pdf file."))
