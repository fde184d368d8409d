"""Keeping a vendor's documents, and the policy of which ones each risk tier requires.
Functions flush; the caller commits."""

import hashlib
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from vendortrack.accounts.models import Role, User
from vendortrack.assurance.models import DocumentKind, RequiredDocument, VendorDocument
from vendortrack.extensions import db
from vendortrack.register.models import Level, Vendor, VendorStatus
from vendortrack.uploads import UploadError, check_evidence, stored_name

# Whoever edits the vendor keeps its documents: legal, managers, administrators, and its owner.
KEEPERS = (Role.ADMIN, Role.LEGAL, Role.MANAGER)


def may_keep(user: User, vendor: Vendor) -> bool:
    return user.role in KEEPERS or vendor.owner_id == user.id


class DocumentError(ValueError):
    """A document that cannot be kept as given; the message is for the user, `field` the form
    field it is about."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class DocumentInput:
    kind: DocumentKind
    issuer: str | None
    covers_from: date | None
    covers_to: date | None
    expires_on: date | None


def add_document(
    vendor: Vendor,
    given: DocumentInput,
    filename: str,
    data: bytes,
    by: User | None,
    questionnaire_file_id: int | None = None,
) -> VendorDocument:
    """Keep a document of the vendor's, its dates checked and its file checked as what its name
    says it is; a questionnaire's file once only."""
    _check_dates(given)
    if questionnaire_file_id is not None and db.session.scalar(
        select(VendorDocument.id).where(
            VendorDocument.questionnaire_file_id == questionnaire_file_id
        )
    ):
        raise DocumentError(_l("This file is already kept among the vendor’s documents."))
    name = stored_name(filename)
    try:
        content_type = check_evidence(name, data)
    except UploadError as error:
        raise DocumentError(f"{name}: {error}", "file") from error
    document = VendorDocument(
        vendor_id=vendor.id,
        kind=given.kind,
        issuer=given.issuer,
        covers_from=given.covers_from,
        covers_to=given.covers_to,
        expires_on=given.expires_on,
        filename=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        questionnaire_file_id=questionnaire_file_id,
        added_by_id=by.id if by else None,
    )
    db.session.add(document)
    db.session.flush()
    return document


def _check_dates(given: DocumentInput) -> None:
    start, end, expires = given.covers_from, given.covers_to, given.expires_on
    if start and end and end < start:
        raise DocumentError(_l("The period covered ends before it starts."), "covers_to")
    if start and expires and expires < start:
        raise DocumentError(
            _l("The document expires before the period it covers starts."), "expires_on"
        )


def remove_document(document: VendorDocument) -> None:
    db.session.delete(document)
    db.session.flush()


def required_kinds() -> dict[Level, set[DocumentKind]]:
    """{risk tier: the kinds its vendors must keep valid}, every tier present."""
    required: dict[Level, set[DocumentKind]] = {level: set() for level in Level}
    for tier, kind in db.session.execute(select(RequiredDocument.risk_tier, RequiredDocument.kind)):
        required[tier].add(kind)
    return required


def save_policy(required: dict[Level, set[DocumentKind]]) -> None:
    """Replace the policy: row by row, so that the audit trail records each requirement added
    or dropped (and the compliance rules judge every vendor again)."""
    current = {
        (row.risk_tier, row.kind): row for row in db.session.scalars(select(RequiredDocument))
    }
    wanted = {(tier, kind) for tier, kinds in required.items() for kind in kinds}
    for key, row in current.items():
        if key not in wanted:
            db.session.delete(row)
    for tier, kind in sorted(wanted - current.keys()):
        db.session.add(RequiredDocument(risk_tier=tier, kind=kind))
    db.session.flush()


def documents_of(vendor_id: int) -> list[VendorDocument]:
    """The vendor's documents, by kind, the one expiring last first (the one that holds)."""
    query = (
        select(VendorDocument)
        .where(VendorDocument.vendor_id == vendor_id)
        .order_by(
            VendorDocument.kind,
            VendorDocument.expires_on.desc().nulls_first(),
            VendorDocument.id.desc(),
        )
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class Standing:
    """Where a vendor stands against the policy: each required kind it lacks a valid one of."""

    missing: list[DocumentKind]
    expired: list[VendorDocument]


def standing(vendor: Vendor, documents: list[VendorDocument], today: date) -> Standing:
    if vendor.status == VendorStatus.TERMINATED:  # as the compliance rules: not assessed
        return Standing([], [])
    required = required_kinds()[vendor.risk_tier]
    holding = {}
    for document in documents:  # the one that holds comes first in documents_of's order
        holding.setdefault(document.kind, document)
    missing = sorted(kind for kind in required if kind not in holding)
    expired = [holding[kind] for kind in sorted(required) if kind in holding]
    return Standing(missing, [d for d in expired if d.expired(today)])
