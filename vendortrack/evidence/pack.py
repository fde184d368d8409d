"""The evidence pack: one zip holding what an auditor asks about one vendor.

The signed addendum as signed, the data-sharing schedule, every review with its checklist,
conditions and evidence files, the questionnaires sent to the vendor with the answers and files
it submitted, and the vendor's audit trail. It reads the database in a fixed
number of queries, whatever the vendor's history, and knows nothing of requests: the day it is
made on is given. Its text is fixed English and French, not the user's language: the pack goes
to an auditor, not to the screen of the person who downloads it.
"""

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload, undefer

from vendortrack.addenda.models import Addendum, AddendumStatus
from vendortrack.audit.queries import EXPORT_COLUMNS, entry_row
from vendortrack.evidence.readme import PENDING_STATUSES, write_readme
from vendortrack.extensions import db
from vendortrack.questionnaires.library import from_snapshot
from vendortrack.questionnaires.models import QuestionnaireFile, QuestionnaireRequest
from vendortrack.register.labels import category_label
from vendortrack.register.models import DataSharing, Vendor
from vendortrack.reviews.models import EvidenceFile, Review
from vendortrack.spreadsheet import csv_bytes
from vendortrack.trail.models import AuditEntry
from vendortrack.uploads import stored_name

SHARING_COLUMNS = (
    "category",
    "category_en",
    "category_fr",
    "data_subjects",
    "purpose",
    "purpose_fr",
    "places",
    "subjects_in_quebec",
    "subjects_in_eu",
    "subjects_in_california",
    "consent_basis",
    "retention_months",
    "retention_until_contract_end",
    "record_count",
    "shared_since",
)
QUESTIONNAIRE_COLUMNS = (
    "questionnaire_id",
    "set",
    "version",
    "language",
    "sent_at",
    "due_on",
    "submitted_at",
    "revoked_at",
)
ANSWER_COLUMNS = (
    "questionnaire_id",
    "question_id",
    "question_en",
    "question_fr",
    "informs",
    "answer",
    "comment",
)
CHECKLIST_COLUMNS = ("review_id", "item", "answer", "vendor_answer", "questionnaire_id")
REVIEW_COLUMNS = ("review_id", "completed_on", "completed_by", "outcome", "notes", "superseded")
# The trail's own export columns, less the vendor's: the pack is about one vendor.
AUDIT_COLUMNS = tuple(name for name in EXPORT_COLUMNS if not name.startswith("vendor_"))


@dataclass(frozen=True)
class Member:
    """One file of the pack, with the line that describes it in the README in each language."""

    path: str
    data: bytes
    en: str
    fr: str


def build_pack(vendor_id: int, today: date) -> bytes:
    """Write the evidence pack of one vendor as the bytes of a zip archive."""
    vendor = db.session.get(Vendor, vendor_id)
    if vendor is None:
        raise LookupError(f"there is no vendor {vendor_id}")
    signed = _signed_addendum(vendor_id)
    pending = None if signed else _pending_addendum(vendor_id)
    members = _unique_paths(
        [
            *_addendum_members(signed),
            _sharing_member(vendor_id),
            *_review_members(vendor_id),
            *_questionnaire_members(vendor_id),
            _audit_member(vendor_id),
        ]
    )
    files = [(m.path, m.en, m.fr) for m in members]
    readme = write_readme(vendor.name, today, files, signed, pending)
    return _zip([Member("README.txt", readme.encode("utf-8"), "", ""), *members], today)


def pack_filename(vendor: Vendor, day: date) -> str:
    """The download's name, slugged as addenda.services.document_filename slugs vendor names."""
    ascii_name = unicodedata.normalize("NFKD", vendor.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower() or f"vendor-{vendor.id}"
    return f"evidence-{slug[:60]}-{day.isoformat()}.zip"


def _signed_addendum(vendor_id: int) -> Addendum | None:
    # The newest signed one: signing a new addendum supersedes the older ones, but a register
    # imported or repaired by hand may hold two, and the auditor wants the one in force.
    query = (
        select(Addendum)
        .where(Addendum.vendor_id == vendor_id, Addendum.status == AddendumStatus.SIGNED)
        .options(
            undefer(Addendum.document),
            undefer(Addendum.signed_copy),
            selectinload(Addendum.clauses),
        )
        .order_by(Addendum.signed_on.desc().nulls_last(), Addendum.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def _pending_addendum(vendor_id: int) -> Addendum | None:
    query = (
        select(Addendum)
        .where(Addendum.vendor_id == vendor_id, Addendum.status.in_(PENDING_STATUSES))
        .order_by(Addendum.generated_at.desc(), Addendum.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def _addendum_members(addendum: Addendum | None) -> list[Member]:
    if addendum is None:
        return []
    clauses = [(c.clause_id, str(c.version)) for c in addendum.clauses]
    members = [
        Member(
            f"addendum/{stored_name(addendum.filename)}",
            addendum.document,
            "the addendum as VendorTrack generated it",
            "l’avenant tel que VendorTrack l’a produit",
        ),
        Member(
            "addendum/clauses.csv",
            _csv(("clause_id", "version"), clauses),
            "the clauses of the signed addendum, each at its version",
            "les clauses de l’avenant signé, chacune à sa version",
        ),
    ]
    if addendum.signed_copy is not None:
        signed_copy = Member(
            f"addendum/{stored_name(addendum.signed_filename or 'signed-copy')}",
            addendum.signed_copy,
            "the signed copy, as uploaded",
            "la copie signée, telle que téléversée",
        )
        members.insert(0, signed_copy)
    return members


def _sharing_member(vendor_id: int) -> Member:
    query = (
        select(DataSharing)
        .where(DataSharing.vendor_id == vendor_id)
        .options(selectinload(DataSharing.locations))
        .order_by(DataSharing.category, DataSharing.id)
    )
    rows = [_sharing_row(sharing) for sharing in db.session.scalars(query)]
    return Member(
        "data-sharing.csv",
        _csv(SHARING_COLUMNS, rows),
        "the personal information the vendor receives, one row per category",
        "les renseignements personnels que reçoit le fournisseur, une ligne par catégorie",
    )


def _sharing_row(sharing: DataSharing) -> list[str]:
    return [
        sharing.category,
        category_label(sharing.category, "en"),
        category_label(sharing.category, "fr"),
        "; ".join(sharing.data_subjects or []),
        sharing.purpose,
        sharing.purpose_fr or "",
        "; ".join(sharing.location_codes),
        _yes_no(sharing.subjects_in_quebec),
        _yes_no(sharing.subjects_in_eu),
        _yes_no(sharing.subjects_in_california),
        sharing.consent_basis.value,
        _text(sharing.retention_months),
        _yes_no(sharing.retention_until_contract_end),
        _text(sharing.record_count),
        _text(sharing.shared_since),
    ]


def _review_members(vendor_id: int) -> list[Member]:
    query = (
        select(Review)
        .where(Review.vendor_id == vendor_id)
        .options(
            joinedload(Review.completed_by),
            selectinload(Review.conditions),
            selectinload(Review.evidence).undefer(EvidenceFile.data),
        )
        .order_by(Review.completed_on.desc(), Review.id.desc())
    )
    reviews = list(db.session.scalars(query))
    return [*_review_tables(reviews), *_evidence_files(reviews)]


def _review_tables(reviews: list[Review]) -> list[Member]:
    checklists = [
        (str(r.id), item, answer, *_vendor_answer(r, item))
        for r in reviews
        for item, answer in sorted(r.checklist.items())
    ]
    conditions = [
        (str(r.id), c.text, _text(c.due_on), _text(c.met_on)) for r in reviews for c in r.conditions
    ]
    return [
        Member(
            "reviews.csv",
            _csv(REVIEW_COLUMNS, [_review_row(r) for r in reviews]),
            "the vendor's reviews, newest first",
            "les examens du fournisseur, du plus récent au plus ancien",
        ),
        Member(
            "review-checklists.csv",
            _csv(CHECKLIST_COLUMNS, checklists),
            "each review's checklist answers (yes, no, na), and what the reviewer made of the "
            "vendor's own answer on the point (accepted, queried) from which questionnaire",
            "les réponses à la liste de contrôle de chaque examen (yes : oui, no : non, "
            "na : s.o.), et ce que l’examinateur a fait de la réponse du fournisseur sur ce "
            "point (accepted : acceptée, queried : remise en question) et de quel questionnaire",
        ),
        Member(
            "review-conditions.csv",
            _csv(("review_id", "text", "due_on", "met_on"), conditions),
            "the conditions set by reviews, with their due date and the day they were met",
            "les conditions posées par les examens, leur échéance et le jour où elles ont été "
            "remplies",
        ),
    ]


def _vendor_answer(review: Review, item: str) -> tuple[str, str]:
    decided = (review.vendor_answers or {}).get(item)
    return (decided["decision"], str(decided["questionnaire"])) if decided else ("", "")


def _evidence_files(reviews: list[Review]) -> list[Member]:
    return [
        Member(
            f"reviews/{review.id}/{stored_name(item.filename)}",
            item.data,
            f"evidence file of review {review.id}",
            f"pièce justificative de l’examen {review.id}",
        )
        for review in reviews
        for item in review.evidence
    ]


def _review_row(review: Review) -> list[str]:
    return [
        str(review.id),
        review.completed_on.isoformat(),
        review.completed_by.email if review.completed_by else "",
        review.outcome.value,
        review.notes or "",
        _yes_no(review.superseded_by_id is not None),
    ]


def _questionnaire_members(vendor_id: int) -> list[Member]:
    """Every questionnaire sent, and the answers and files of those submitted: a draft is the
    vendor's until it submits it. Four queries, whatever the history."""
    query = (
        select(QuestionnaireRequest)
        .where(QuestionnaireRequest.vendor_id == vendor_id)
        .options(
            undefer(QuestionnaireRequest.questions), selectinload(QuestionnaireRequest.answers)
        )
        .order_by(QuestionnaireRequest.sent_at.desc(), QuestionnaireRequest.id.desc())
    )
    sent = list(db.session.scalars(query))
    submitted = [request for request in sent if request.submitted_at is not None]
    return [
        Member(
            "questionnaires.csv",
            _csv(QUESTIONNAIRE_COLUMNS, [_questionnaire_row(r) for r in sent]),
            "the questionnaires sent to the vendor, newest first (times in UTC)",
            "les questionnaires envoyés au fournisseur, du plus récent au plus ancien (heures UTC)",
        ),
        Member(
            "questionnaire-answers.csv",
            _csv(ANSWER_COLUMNS, [row for r in submitted for row in _answer_rows(r)]),
            "the vendor's answers to each questionnaire it submitted",
            "les réponses du fournisseur à chaque questionnaire qu’il a soumis",
        ),
        *_questionnaire_files([request.id for request in submitted]),
    ]


def _questionnaire_files(request_ids: list[int]) -> list[Member]:
    """The files of the submitted questionnaires, named after the question they answer."""
    query = (
        select(QuestionnaireFile)
        .where(QuestionnaireFile.request_id.in_(request_ids))
        .options(undefer(QuestionnaireFile.data))
        .order_by(QuestionnaireFile.request_id.desc(), QuestionnaireFile.id)
    )
    return [
        Member(
            f"questionnaires/{file.request_id}/{file.question_id}-{stored_name(file.filename)}",
            file.data,
            f"file the vendor attached to questionnaire {file.request_id}, "
            f"question {file.question_id}",
            f"fichier joint par le fournisseur au questionnaire {file.request_id}, "
            f"question {file.question_id}",
        )
        for file in db.session.scalars(query)
    ]


def _questionnaire_row(request: QuestionnaireRequest) -> list[str]:
    return [
        str(request.id),
        request.set_id,
        str(request.set_version),
        request.language,
        _utc(request.sent_at),
        request.due_on.isoformat(),
        _utc(request.submitted_at),
        _utc(request.revoked_at),
    ]


def _answer_rows(request: QuestionnaireRequest) -> list[list[str]]:
    answers = {answer.question_id: answer for answer in request.answers}
    rows = []
    for question in from_snapshot(request.questions).questions:
        answer = answers.get(question.id)
        rows.append(
            [
                str(request.id),
                question.id,
                question.text["en"],
                question.text["fr"],
                question.feeds or "",
                (answer.value if answer else None) or "",
                (answer.comment if answer else None) or "",
            ]
        )
    return rows


def _utc(moment) -> str:
    return "" if moment is None else moment.astimezone(UTC).isoformat()


def _audit_member(vendor_id: int) -> Member:
    query = (
        select(AuditEntry)
        .where(AuditEntry.vendor_id == vendor_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    rows = [entry_row(entry, columns=AUDIT_COLUMNS) for entry in db.session.scalars(query)]
    return Member(
        "audit-trail.csv",
        _csv(AUDIT_COLUMNS, rows),
        "who viewed or changed the vendor's records, and when (UTC), oldest first",
        "qui a consulté ou modifié les dossiers du fournisseur, et quand (UTC), du plus ancien "
        "au plus récent",
    )


def _unique_paths(members: Iterable[Member]) -> list[Member]:
    # Two evidence files of one review may share a name, and a signed copy may carry the
    # generated document's name: number the later ones rather than overwrite in the zip.
    taken: set[str] = set()
    unique = []
    for member in members:
        path, number = PurePosixPath(member.path), 1
        while str(path).casefold() in taken:
            number += 1
            original = PurePosixPath(member.path)
            path = original.with_name(f"{original.stem}-{number}{original.suffix}")
        taken.add(str(path).casefold())
        unique.append(Member(str(path), member.data, member.en, member.fr))
    return unique


def _zip(members: Sequence[Member], today: date) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            # Dated the day the pack was made, not the second: the same records on the same day
            # give the same bytes.
            info = zipfile.ZipInfo(
                member.path, date_time=(today.year, today.month, today.day, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.data)
    return buffer.getvalue()


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    # Names, purposes, notes and conditions are typed by people: none may run as a formula.
    return csv_bytes(rows, header)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)
