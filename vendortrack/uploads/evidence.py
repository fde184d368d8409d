"""Evidence files, a review's or a vendor's answer to a questionnaire: a PDF, a Word file or an
image, checked as what its name says it is."""

from flask_babel import lazy_gettext as _l

from vendortrack.uploads.common import MB, UploadError
from vendortrack.uploads.pdf import check_pdf
from vendortrack.uploads.word import check_docx

MAX_EVIDENCE_BYTES = 10 * MB
IMAGE_SIGNATURES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def check_evidence(name: str, data: bytes) -> str:
    """The file's content type once its content is checked against its name; UploadError
    saying what is wrong otherwise. `name` is the stored name (uploads.stored_name)."""
    if len(data) > MAX_EVIDENCE_BYTES:
        raise UploadError(_l("The file is larger than 10 MB."))
    name = name.lower()
    if name.endswith(".pdf"):
        check_pdf(data)
        return "application/pdf"
    if name.endswith(".docx"):
        check_docx(data)
        return DOCX_TYPE
    for extension, signature in IMAGE_SIGNATURES.items():
        if name.endswith(extension):
            if not data.startswith(signature):
                raise UploadError(_l("This is not the image its name says."))
            return "image/png" if extension == ".png" else "image/jpeg"
    raise UploadError(_l("Upload evidence as .pdf, .docx, .png or .jpg files."))
