"""What every review checks: the privacy plan's safeguards and the topics of our clauses; and
what the vendor itself answered about them, shown beside each point."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

CHECKLIST = {
    "passwords": _l("Access to the information is protected by passwords"),
    "firewalls": _l("Systems holding the information are behind firewalls"),
    "encrypted_files": _l("Files holding the information are encrypted"),
    "encryption_in_transit": _l("The information is encrypted in transit"),
    "audit_trails": _l("Audit trails record who accessed the information"),
    "locked_backups": _l("Backups are locked and protected"),
    "need_to_know": _l("Staff access is limited to those who need to know"),
    "destruction": _l("Information no longer needed is destroyed"),
    "breach_process": _l("A breach notification process is in place"),
    "sub_processors": _l("Sub-processors are disclosed"),
    "signed_addendum": _l("A signed addendum is in force"),
}
ANSWERS = ("yes", "no", "na")
# What the reviewer does with the vendor's own answer on a point: takes it, or asks again.
DECISIONS = ("accepted", "queried")
VENDOR_ANSWERS = "vendor_answers"  # the app.extensions key of the provider, below


@dataclass(frozen=True)
class VendorAnswer:
    """The vendor's answer, on a questionnaire it submitted, to a question about one point of
    the checklist, as the reviewer reads it."""

    item: str  # the checklist item
    question: str
    answer: str  # "Yes", a choice's label, a date; "" when the comment is the answer
    comment: str | None
    files: tuple[tuple[str, str], ...]  # (name, address to download it)
    questionnaire_id: int
    questionnaire_url: str
    submitted_on: date


def vendor_answers(vendor_id: int) -> dict[str, list[VendorAnswer]]:
    """The vendor's latest answers, by checklist item. Given by the feature that collects them
    (the questionnaires), which registers the function under VENDOR_ANSWERS: reviews come
    before it, and cannot ask it directly."""
    provider: Callable | None = current_app.extensions.get(VENDOR_ANSWERS)
    return provider(vendor_id) if provider else {}


def shown_questionnaire(answers: dict[str, list[VendorAnswer]]) -> int | None:
    """The questionnaire the answers shown come from (one: the latest submitted)."""
    return next((found[0].questionnaire_id for found in answers.values()), None)
