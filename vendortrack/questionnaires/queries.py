"""Reading the questionnaires sent: for the pages that list them, and the vendor's answers for
its next review."""

from datetime import date

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from vendortrack.assurance.models import DocumentKind, VendorDocument
from vendortrack.extensions import db
from vendortrack.i18n import current_language, format_day
from vendortrack.questionnaires.labels import YES_NO_NA
from vendortrack.questionnaires.library import LANGUAGES, Question, from_snapshot
from vendortrack.questionnaires.models import QuestionnaireFile, QuestionnaireRequest
from vendortrack.reminders.sweep import local_date
from vendortrack.reviews.checklist import CHECKLIST, VendorAnswer


def sent_to(vendor_id: int) -> list[QuestionnaireRequest]:
    """A vendor's questionnaires, latest first, without their questions or files."""
    query = (
        select(QuestionnaireRequest)
        .where(QuestionnaireRequest.vendor_id == vendor_id)
        .order_by(QuestionnaireRequest.sent_at.desc(), QuestionnaireRequest.id.desc())
    )
    return list(db.session.scalars(query))


def checklist_answers(vendor_id: int) -> dict[str, list[VendorAnswer]]:
    """The answers of the vendor's latest submitted questionnaire to the questions that inform
    a point of the review checklist, by point, as the reviewer reads them (registered for the
    reviews under VENDOR_ANSWERS). Three queries: the questionnaire, its answers, its files."""
    query = (
        select(QuestionnaireRequest)
        .where(
            QuestionnaireRequest.vendor_id == vendor_id,
            QuestionnaireRequest.submitted_at.is_not(None),
        )
        .options(
            undefer(QuestionnaireRequest.questions),
            selectinload(QuestionnaireRequest.answers),
            selectinload(QuestionnaireRequest.files),
        )
        .order_by(QuestionnaireRequest.submitted_at.desc(), QuestionnaireRequest.id.desc())
        .limit(1)
    )
    latest = db.session.scalars(query).first()
    if latest is None:
        return {}
    lang = current_language() if current_language() in LANGUAGES else latest.language
    answers = {answer.question_id: answer for answer in latest.answers}
    found: dict[str, list[VendorAnswer]] = {}
    for question in from_snapshot(latest.questions).questions:
        kind, _, item = (question.feeds or "").partition(":")
        # A point an old questionnaire informs but the checklist no longer has is left out:
        # the review form could not take a decision on it.
        if kind == "checklist" and item in CHECKLIST:
            answer = _vendor_answer(latest, question, answers.get(question.id), item, lang)
            found.setdefault(item, []).append(answer)
    return found


def _vendor_answer(request, question: Question, answer, item: str, lang: str) -> VendorAnswer:
    files = tuple(
        (
            file.filename,
            url_for("questionnaires.file_download", request_id=request.id, file_id=file.id),
        )
        for file in request.files
        if file.question_id == question.id
    )
    return VendorAnswer(
        item=item,
        question=question.text[lang],
        answer=answer_label(question, answer.value if answer else None, lang),
        comment=answer.comment if answer else None,
        files=files,
        questionnaire_id=request.id,
        questionnaire_url=url_for("questionnaires.request_detail", request_id=request.id),
        submitted_on=local_date(request.submitted_at),
    )


def answer_label(question: Question, value: str | None, lang: str) -> str:
    """An answer as a reader reads it: yes, no or not applicable in the page's language, a
    choice in the questionnaire's, a date the reader's way."""
    if not value:
        return ""
    if question.kind == "yes_no_na":
        return str(YES_NO_NA[value])
    if question.kind == "choice":
        return next((c.label[lang] for c in question.choices if c.id == value), value)
    if question.kind == "date":
        return format_day(date.fromisoformat(value))
    return value


# The document a certification answer names, for keeping the certificate attached to it.
CERTIFICATION_KINDS = {"soc2_type2": DocumentKind.SOC2, "iso27001": DocumentKind.ISO27001}


def proposed_document(request: QuestionnaireRequest, question_id: str) -> dict:
    """What the vendor's answers say of a file attached to a question, to fill in the form
    that keeps it as one of the vendor's documents: its kind, and when it expires, read from
    the answers about certifications."""
    answers = {answer.question_id: answer for answer in request.answers}
    questions = {q.id: q for q in from_snapshot(request.questions).questions}
    question = questions.get(question_id)
    if question is None or question.feeds != "fact:certifications":
        return {"kind": DocumentKind.OTHER.value}
    chosen = answers.get(question_id)
    kind = CERTIFICATION_KINDS.get(chosen.value if chosen else None, DocumentKind.OTHER)
    return {"kind": kind.value, "expires_on": _certification_expiry(questions, answers)}


def _certification_expiry(questions, answers) -> date | None:
    for question_id, question in questions.items():
        answer = answers.get(question_id)
        if question.kind == "date" and question.feeds == "fact:certifications" and answer:
            return date.fromisoformat(answer.value) if answer.value else None
    return None


def kept_files(request_id: int) -> set[int]:
    """The files of this questionnaire already kept as the vendor's documents."""
    query = (
        select(VendorDocument.questionnaire_file_id)
        .join(QuestionnaireFile, QuestionnaireFile.id == VendorDocument.questionnaire_file_id)
        .join(QuestionnaireRequest, QuestionnaireRequest.id == QuestionnaireFile.request_id)
        .where(
            QuestionnaireFile.request_id == request_id,
            VendorDocument.vendor_id == QuestionnaireRequest.vendor_id,
        )
    )
    return set(db.session.scalars(query))
