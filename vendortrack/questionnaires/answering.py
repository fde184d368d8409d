"""The vendor's side: reading what it typed and attached on the questionnaire's page, saving it
as a draft, and submitting it.

What the page sent is read whole first (read_answers, pure): a value that is not one of the
answers offered, a malformed date, a text too long or a file that is not what its name says
stops everything, and nothing is saved. Submitting saves the draft first: answers the vendor
gave are never lost because others are missing. Functions flush; the caller commits.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from vendortrack.extensions import db
from vendortrack.forms import NUL
from vendortrack.questionnaires.library import Question, QuestionSet
from vendortrack.questionnaires.models import (
    ANSWER_TEXT_LIMITS,
    QuestionnaireAnswer,
    QuestionnaireFile,
    QuestionnaireRequest,
)
from vendortrack.reviews.checklist import ANSWERS
from vendortrack.uploads import UploadError, check_evidence, check_file_count, stored_name

# Files one questionnaire may hold in all: a certificate or two per question, and an end.
MOST_FILES = 40
COMMENT_LIMIT = ANSWER_TEXT_LIMITS["comment"]


@dataclass(frozen=True)
class Upload:
    question_id: str
    filename: str
    data: bytes


@dataclass
class Given:
    """What the page sent, checked: {question: (value, comment)} and the files to attach."""

    answers: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    files: list[tuple[str, str, str, bytes]] = field(default_factory=list)  # id, name, type, data
    errors: dict[str, str] = field(default_factory=dict)  # question id -> what is wrong


class AnswerError(ValueError):
    """A save or submission refused as a whole; the message is for the vendor."""


def read_answers(question_set: QuestionSet, form: Mapping, uploads: Sequence[Upload]) -> Given:
    """Check what the page sent against the questions; Given.errors names what is wrong.

    Files are counted before any is read (each takes a moment to check, and together they
    could hold the worker past its timeout), and taken only where the page offers to attach
    one: a question of kind file, or one that expects evidence.
    """
    given = Given()
    for question in question_set.questions:
        value, comment, error = _answer(question, form)
        if error:
            given.errors[question.id] = error
        else:
            given.answers[question.id] = (value, comment)
    uploads = [upload for upload in uploads if upload.data]
    check_file_count(len(uploads))  # UploadError: the whole request is refused
    attachable = {q.id for q in question_set.questions if q.kind == "file" or q.evidence}
    for upload in uploads:
        if upload.question_id not in attachable:
            raise UploadError(_l("Attach files only where a question offers it."))
        name = stored_name(upload.filename)
        try:
            content_type = check_evidence(name, upload.data)
        except UploadError as error:
            given.errors[upload.question_id] = f"{name}: {error}"
            continue
        given.files.append((upload.question_id, name, content_type, upload.data))
    return given


def _answer(question: Question, form: Mapping) -> tuple[str | None, str | None, str | None]:
    """(value, comment, error) for one question."""
    raw = (form.get(f"answer-{question.id}") or "").strip()
    comment = (form.get(f"comment-{question.id}") or "").strip()
    if question.kind == "text":
        raw, comment = "", raw  # a text question's answer is its text
    if NUL in raw or NUL in comment:
        return None, None, str(_l("Type this answer again: it holds an invisible character."))
    if len(comment) > COMMENT_LIMIT:
        return None, None, str(_l("Write at most %(max)s characters.", max=COMMENT_LIMIT))
    if raw and question.kind == "yes_no_na" and raw not in ANSWERS:
        return None, None, str(_l("Choose yes, no or not applicable."))
    if raw and question.kind == "choice" and raw not in {c.id for c in question.choices}:
        return None, None, str(_l("Choose one of the answers offered."))
    if raw and question.kind == "date" and not _is_date(raw):
        return None, None, str(_l("Enter a date such as 2027-03-31."))
    if question.kind == "file":
        raw = ""
    return raw or None, comment or None, None


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def uploads_in(files) -> list[Upload]:
    """The files a page sent (a request's `files`), each under the question whose field
    (`file-<question id>`) brought it; parts without a file left out."""
    return [
        Upload(name.removeprefix("file-"), upload.filename or "", upload.read())
        for name, upload in files.items(multi=True)
        if name.startswith("file-") and upload and upload.filename
    ]


def check_open(request: QuestionnaireRequest) -> None:
    """AnswerError once the questionnaire is submitted: checked before reading what was sent."""
    if request.submitted_at is not None:
        raise AnswerError(_l("This questionnaire is submitted: it can no longer be changed."))


def save_draft(request: QuestionnaireRequest, given: Given, now: datetime) -> None:
    """Keep the answers and files given; an answer emptied is removed."""
    check_open(request)
    if len(request.files) + len(given.files) > MOST_FILES:
        raise AnswerError(
            _l("A questionnaire holds at most %(most)s files: remove some first.", most=MOST_FILES)
        )
    saved = {answer.question_id: answer for answer in request.answers}
    for question_id, (value, comment) in given.answers.items():
        answer = saved.get(question_id)
        if value is None and comment is None:
            if answer is not None:
                request.answers.remove(answer)
        elif answer is None:
            request.answers.append(
                QuestionnaireAnswer(question_id=question_id, value=value, comment=comment)
            )
        elif (answer.value, answer.comment) != (value, comment):
            answer.value, answer.comment = value, comment
    for question_id, name, content_type, data in given.files:
        request.files.append(
            QuestionnaireFile(
                question_id=question_id,
                filename=name,
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
                uploaded_at=now,
            )
        )
    request.saved_at = now
    db.session.flush()


def unanswered(request: QuestionnaireRequest, question_set: QuestionSet) -> list[str]:
    """The questions a submission still lacks an answer to, in the set's order."""
    answers = {answer.question_id: answer for answer in request.answers}
    attached = {file.question_id for file in request.files}
    missing = []
    for question in question_set.questions:
        answer = answers.get(question.id)
        if question.kind == "file":
            done = question.id in attached
        elif question.kind == "text":
            done = answer is not None and answer.comment is not None
        else:
            done = answer is not None and answer.value is not None
        if not done:
            missing.append(question.id)
    return missing


def submit(request: QuestionnaireRequest, question_set: QuestionSet, now: datetime) -> None:
    """Submit the saved answers; AnswerError if some question is unanswered."""
    missing = unanswered(request, question_set)
    if missing:
        raise AnswerError(
            lazy_ngettext(
                "Your answers are saved. %(num)s question has no answer yet (marked below): "
                "answer it, then submit.",
                "Your answers are saved. %(num)s questions have no answer yet (marked below): "
                "answer them, then submit.",
                len(missing),
            )
        )
    request.submitted_at = now
    db.session.flush()


def remove_file(request: QuestionnaireRequest, file_id: int) -> None:
    check_open(request)
    found = next((file for file in request.files if file.id == file_id), None)
    if found is None:
        raise AnswerError(_l("This file is no longer attached."))
    request.files.remove(found)
    db.session.flush()
