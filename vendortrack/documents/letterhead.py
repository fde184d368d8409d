"""The organisation's letterhead: refused at upload unless an addendum can be built on it, and
checked again whenever one is, since a letterhead stored before a check existed may fail it.

The builder stays pure (bytes in, bytes out); this is where a letterhead's problems become a
message for the user.
"""

from datetime import date

from flask_babel import lazy_gettext as _l

from vendortrack.documents.builder import build_addendum
from vendortrack.documents.content import AddendumContent, ClauseText, Party, ScheduleRow
from vendortrack.uploads import UploadError, check_docx


class LetterheadError(UploadError):
    """A letterhead no addendum can be built on; the message says why, for the user."""


UNUSABLE_LETTERHEAD = _l(
    "No addendum can be built on this letterhead. Open it in Word, save it again as .docx, and "
    "upload that copy."
)
# What check_letterhead builds on a letterhead: every kind of block an addendum has, in French
# and in English (two paragraphs make numbered sub-clauses), in as few words as will do.
TRIAL_WORDS = {"en": "A", "fr": "A"}
LETTERHEAD_TRIAL = AddendumContent(
    organisation=Party("Organisation", "Address", "Signatory", "Title"),
    vendor=Party("Vendor", "Address", "Signatory", "Title"),
    effective_date=date(2000, 1, 1),
    reference="Reference",
    schedule={lang: [ScheduleRow("A", "B", "C", "D", "E")] for lang in TRIAL_WORDS},
    clauses=[
        ClauseText(1, "trial", 1, TRIAL_WORDS, {"en": ["A", "B"], "fr": ["A", "B"]}, TRIAL_WORDS)
    ],
    privacy_officer="Privacy officer",
)


def build_on_letterhead(content: AddendumContent, lang: str, letterhead: bytes | None) -> bytes:
    """build_addendum, refusing with LetterheadError a letterhead that fails the upload checks
    (it must not carry a remote template into the addendum) or that python-docx cannot use."""
    if letterhead is None:
        return build_addendum(content, lang)
    try:
        check_docx(letterhead)
    except UploadError as error:
        raise LetterheadError(*error.args) from error
    try:
        return build_addendum(content, lang, letterhead)
    except Exception as error:  # python-docx fails in many ways on parts it cannot use; the
        # same content builds without a letterhead (the builder's tests), so it is the letterhead
        raise LetterheadError(UNUSABLE_LETTERHEAD) from error


def check_letterhead(letterhead: bytes) -> None:
    """Refuse a letterhead unless an addendum can be built on it: build one, as generating will,
    so that a letterhead that would break every addendum is refused when it is uploaded."""
    build_on_letterhead(LETTERHEAD_TRIAL, "bilingual", letterhead)
