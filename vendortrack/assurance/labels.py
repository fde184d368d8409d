"""What the documents' pages call each kind of document, in the user's language."""

from flask_babel import lazy_gettext as _l

from vendortrack.assurance.models import DocumentKind

KIND_LABELS = {
    DocumentKind.SOC2: _l("SOC 2 report"),
    DocumentKind.ISO27001: _l("ISO/IEC 27001 certificate"),
    DocumentKind.INSURANCE: _l("Insurance certificate"),
    DocumentKind.PENTEST: _l("Penetration test summary"),
    DocumentKind.DPA: _l("The vendor’s data processing agreement"),
    DocumentKind.TRANSFER_CLAUSES: _l("Transfer clauses"),
    DocumentKind.OTHER: _l("Other document"),
}


def register_labels(app) -> None:
    app.jinja_env.globals.update(DOCUMENT_KIND_LABELS=KIND_LABELS)
