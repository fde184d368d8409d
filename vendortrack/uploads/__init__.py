"""Checking uploaded Word and PDF files (letterheads, signed addenda, evidence) before
anything is stored: common.py the limits and names, word.py the .docx, pdf.py the PDF, evidence.py
an evidence file of any of the kinds it may be."""

from flask_babel import lazy_gettext as _l

from vendortrack.uploads.common import (
    MAX_UPLOAD_BYTES,
    UploadError,
    UploadLimits,
    check_file_count,
    configured_limits,
    stored_name,
    upload_limits,
)
from vendortrack.uploads.evidence import MAX_EVIDENCE_BYTES, check_evidence
from vendortrack.uploads.pdf import check_pdf
from vendortrack.uploads.word import check_docx

__all__ = [
    "MAX_EVIDENCE_BYTES",
    "MAX_UPLOAD_BYTES",
    "UploadError",
    "UploadLimits",
    "check_docx",
    "check_evidence",
    "check_file_count",
    "check_pdf",
    "check_signed_copy",
    "configured_limits",
    "stored_name",
    "upload_limits",
]


def check_signed_copy(data: bytes, filename: str) -> None:
    """A signed addendum: a .docx or a .pdf, checked as what its name says it is."""
    name = filename.lower()
    if name.endswith(".docx"):
        check_docx(data)
    elif name.endswith(".pdf"):
        check_pdf(data)
    else:
        raise UploadError(_l("Upload the signed copy as a .docx or .pdf file."))
