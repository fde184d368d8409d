"""What the questionnaire pages call kinds of answer and what an answer informs, in the user's
language."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from vendortrack.i18n import current_language
from vendortrack.questionnaires.models import RequestStatus
from vendortrack.register.labels import LEVEL_LABELS
from vendortrack.reviews.checklist import CHECKLIST

KIND_LABELS = {
    "yes_no_na": _l("Yes, no or not applicable, with a comment"),
    "choice": _l("One of the choices, with a comment"),
    "text": _l("Text"),
    "date": _l("Date"),
    "file": _l("File"),
}
FACT_LABELS = {
    "breach_contact": _l("The vendor’s contact for incidents"),
    "processing_locations": _l("Where the information is processed"),
    "certifications": _l("The vendor’s certifications"),
}
# The risk tiers as the register names them ("niveau": masculine in French).
RISK_LABELS = {level.code: label for level, label in LEVEL_LABELS.items()}

YES_NO_NA = {"yes": _l("Yes"), "no": _l("No"), "na": _l("Not applicable")}
STATUS_LABELS = {
    RequestStatus.SENT: _l("Sent"),
    RequestStatus.OPENED: _l("Opened"),
    RequestStatus.IN_PROGRESS: _l("In progress"),
    RequestStatus.SUBMITTED: _l("Submitted"),
    RequestStatus.OVERDUE: _l("Overdue"),
    RequestStatus.REVOKED: _l("Revoked"),
}


def feeds_label(feeds: str | None) -> str:
    """What an answer informs, as the page says it: a review checklist item or a vendor fact."""
    if not feeds:
        return ""
    kind, _, name = feeds.partition(":")
    if kind == "checklist":
        return str(_l("Review checklist: %(item)s", item=CHECKLIST[name]))
    return str(_l("Vendor record: %(fact)s", fact=FACT_LABELS[name]))


def set_title(set_id: str) -> str:
    """A set's title in the reader's language, or its id if the library no longer has it."""
    question_set = current_app.extensions["questionnaires"].sets.get(set_id)
    return question_set.title.get(current_language(), set_id) if question_set else set_id


def register_labels(app) -> None:
    app.jinja_env.globals.update(
        questionnaire_title=set_title,
        QUESTION_KIND_LABELS=KIND_LABELS,
        QUESTION_RISK_LABELS=RISK_LABELS,
        question_feeds_label=feeds_label,
        QUESTIONNAIRE_STATUS_LABELS=STATUS_LABELS,
    )
