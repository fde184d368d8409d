"""Checking an uploaded PDF (signed copy, evidence) before it is stored.

A PDF is refused, saying why, when it is damaged, protected or has no page, or holds: JavaScript
or a launch action anywhere; an XFA form; an opening action (/OpenAction) or an automatic action
(/AA, of the document, a page, an annotation or a form field) that does anything but show a
page of the document, following each action's /Next chain. As a backstop, so is one whose raw
bytes (outside page content, inside object streams) name JavaScript, a launch or XFA, or more
/AA than the walk through its structure checked. A link a person clicks may still open a web
address or submit a form, as a hyperlink in a Word file may. An evidence pack passes all of
that on to an auditor.
"""

import io
import re
import warnings
import zlib
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from vendortrack.uploads.common import (
    MAX_UNPACKED_BYTES,
    TOO_LARGE_UNPACKED,
    UploadError,
    UploadLimits,
    check_upload_size,
    configured_limits,
)

NOT_PDF = _l("This is not a complete PDF file.")
JAVASCRIPT = _l("The PDF is refused: it contains JavaScript, which a PDF reader would run.")
LAUNCH = _l("The PDF is refused: it can launch a program or open a file on the reader's computer.")
OPEN_ACTION = _l(
    "The PDF is refused: it does something as soon as it is opened (an opening action other "
    "than showing a page)."
)
AUTOMATIC_ACTION = _l(
    "The PDF is refused: it does something by itself while it is read, when a page opens or a "
    "form field changes for example (an automatic action other than showing a page)."
)
XFA = _l("The PDF is refused: it contains an XFA form, whose scripts a PDF reader would run.")
# A PDF name, with the #xx escapes that can spell /JavaScript without those letters.
PDF_NAME = re.compile(rb"/((?:[^\s/<>\[\]()%{}#]|#[0-9A-Fa-f]{2})+)")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)(.*?)endstream", re.S)
RAW_ACTIONS = {b"JavaScript": JAVASCRIPT, b"JS": JAVASCRIPT, b"Launch": LAUNCH, b"XFA": XFA}


def check_pdf(data: bytes, limits: UploadLimits | None = None) -> None:
    """Refuse anything but a complete, unprotected PDF that runs nothing when it is read."""
    check_upload_size(data)
    if not data.startswith(b"%PDF-"):
        raise UploadError(NOT_PDF)
    try:
        with warnings.catch_warnings():  # pypdf warns about repairs it makes; only failure counts
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            encrypted = reader.is_encrypted
            pages = 0 if encrypted else len(reader.pages)
            walk = None if encrypted else _walk(reader)
    except Exception as error:  # a broken PDF fails in many ways inside pypdf; all of them mean no
        raise UploadError(NOT_PDF) from error
    if encrypted:
        raise UploadError(_l("The PDF is protected by a password; upload an unprotected copy."))
    if pages == 0:
        raise UploadError(NOT_PDF)
    found = walk.found or _raw_active_content(data, limits or configured_limits(), walk.automatic)
    if found:
        raise UploadError(found)


@dataclass
class _Walk:
    """What walking a PDF's objects found: the reason to refuse it, if any, and how many
    automatic-action dictionaries (/AA) it checked and let through."""

    found: LazyString | None = None
    automatic: int = 0


def _walk(reader: PdfReader) -> _Walk:
    """Walk every object the document's catalog reaches (pypdf unpacks those kept in
    compressed object streams) for what a reader would run or do by itself."""
    walk = _Walk()
    catalog = reader.trailer["/Root"]
    seen: set[tuple[int, int]] = set()
    pending = [catalog]
    while pending and not walk.found:
        item = _resolved(pending.pop(), seen)
        if isinstance(item, DictionaryObject):
            walk.found = _action(item) or _automatic_actions(item)
            if "/AA" in item:
                walk.automatic += 1
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    opening = _entry(catalog, "/OpenAction")
    # An opening destination (a page to show) is harmless; an action must only show pages.
    if not walk.found and isinstance(opening, DictionaryObject):
        walk.found = _not_showing_pages(opening, OPEN_ACTION)
    return walk


def _resolved(item: PdfObject | None, seen: set[tuple[int, int]]) -> PdfObject | None:
    """The object a reference points to, or None once seen: a chain of them may loop."""
    if not isinstance(item, IndirectObject):
        return item
    if (item.idnum, item.generation) in seen:
        return None
    seen.add((item.idnum, item.generation))
    return item.get_object()


def _entry(item: DictionaryObject, key: str) -> PdfObject | None:
    """An entry's value, through any reference: pypdf's get leaves one (even a name may be)."""
    value = item.get(key)
    return None if value is None else value.get_object()


def _action(item: DictionaryObject) -> LazyString | None:
    # Script and launch are refused wherever they are, even behind a click. An action a person
    # clicks (a link's /A) may open a web address or submit a form, as a hyperlink in Word may.
    kind = _entry(item, "/S")
    if "/JS" in item or "/JavaScript" in item or kind == "/JavaScript":
        return JAVASCRIPT
    if kind == "/Launch":
        return LAUNCH
    if "/XFA" in item:  # an XFA form's XML carries scripts of its own
        return XFA
    return None


def _automatic_actions(item: DictionaryObject) -> LazyString | None:
    """Refuse the actions a reader runs by itself (/AA: as the document closes or prints, a
    page opens, an annotation comes into view, a field changes) unless they only show pages."""
    actions = _entry(item, "/AA")
    if not isinstance(actions, DictionaryObject):
        return None
    for reference in actions.values():
        action = reference.get_object()
        found = _not_showing_pages(action) if isinstance(action, DictionaryObject) else None
        if found:
            return found
    return None


def _not_showing_pages(
    first: DictionaryObject, message: LazyString = AUTOMATIC_ACTION
) -> LazyString | None:
    """`message` unless the action and all those its /Next chain leads to go to a page of this
    document; a script or launch on the way says so instead."""
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject | None] = [first]
    while pending:
        action = _resolved(pending.pop(), seen)
        if isinstance(action, ArrayObject):  # /Next may list several actions
            pending.extend(action)
        elif isinstance(action, DictionaryObject):
            if found := _action(action):
                return found
            if _entry(action, "/S") != "/GoTo":
                return message
            pending.append(action.get("/Next"))  # unresolved: _resolved sees a loop
    return None


def _raw_active_content(data: bytes, limits: UploadLimits, automatic: int) -> LazyString | None:
    """The names of scripts, launches and XFA forms in the raw bytes, outside streams and
    inside object streams once unpacked: a backstop for what the walk misses (an object no
    table points to, a revision a damaged file's reader may rebuild). So is any automatic
    action (/AA) past the `automatic` ones the walk checked."""
    texts = [PDF_STREAM.sub(b"stream endstream", data)]
    unpacked = 0
    for match in PDF_STREAM.finditer(data):
        before = data[max(0, match.start() - 1000) : match.start()]
        if b"/ObjStm" in before[before.rfind(b"obj") :]:  # the stream's own dictionary
            text = _inflate(match.group(1), limits.max_part_bytes)
            unpacked += len(text)
            if unpacked > MAX_UNPACKED_BYTES:
                raise UploadError(TOO_LARGE_UNPACKED)
            texts.append(text)
    for text in texts:
        for name in PDF_NAME.findall(text):
            plain = PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
            if plain in RAW_ACTIONS:
                return RAW_ACTIONS[plain]
            if plain == b"AA":
                automatic -= 1
                if automatic < 0:
                    return AUTOMATIC_ACTION
    return None


def _inflate(stream: bytes, limit: int) -> bytes:
    # Object streams are nearly always deflated; one that is not is read as it is.
    try:
        return zlib.decompressobj().decompress(stream, limit)
    except zlib.error:
        return stream
