"""Checking uploaded Word and PDF files (letterheads, signed addenda, review evidence) before
anything is stored.

A .docx is a zip archive of XML parts. Each part is unpacked in chunks, counting the bytes that
really come out (a zip declares whatever sizes its maker wrote), and reading stops past the
limit: a 100 kB upload can unpack to gigabytes. Its XML goes through a streaming parser that
builds no tree (one of millions of empty paragraphs takes a gigabyte) and reads no DTD, entity
or network address. A Word file that would make Word fetch or run something is refused, saying
what: macros, a template or other resource outside the file, an OLE or other embedded object.
So is a PDF that runs JavaScript or launches a program. A letterhead passes all of that on to
every addendum, and an evidence pack to an auditor.
"""

import io
import posixpath
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from flask_babel import LazyString, lazy_ngettext
from flask_babel import lazy_gettext as _l
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from vendortrack.config import Config, number_setting

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 10 * MB
MAX_FILENAME = 255  # the size of the columns that keep uploaded files' names
MAX_ZIP_ENTRIES = 500
MAX_UNPACKED_BYTES = 50 * MB
CHUNK_BYTES = 64 * 1024
# Old .doc files and password-protected .docx files are OLE compound files, not zips.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELATIONSHIPS = "_rels/.rels"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_DOCUMENT_TYPES = frozenset(
    f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}.main+xml"
    for kind in ("document", "template")
)
# Links Word follows only when the reader clicks, and asks first; any other relationship with
# an outside target (a template, a linked picture, a frame) is fetched as the file opens.
FOLLOWED_ON_CLICK = {"hyperlink": ("http", "https", "mailto")}
SHOWN_TEXT = 120  # characters of a part name or an address quoted in a message
FALLBACK_NAME = "file"
# Characters that reorder what follows them on screen: "scan\u202efdp.exe" shows as scanexe.pdf.
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

NOT_DOCX = _l("This is not a Word .docx file.")
CANNOT_OPEN = _l("The file cannot be opened as a Word document (.docx).")
NOT_PDF = _l("This is not a complete PDF file.")
TOO_LARGE_UNPACKED = _l("The file unpacks to more than 50 MB.")
MACROS = _l("Files with macros are refused; save the document as .docx.")
TEMPLATE = _l(
    "The file is refused: it is attached to a template (attachedTemplate: %(target)s), which "
    "Word would fetch when opening it. Attach no template and save it again."
)
OUTSIDE = _l(
    "The file is refused: it links to something outside the document (%(target)s), which Word "
    "would fetch when opening it. Remove the link and save it again."
)
OLE = _l(
    "The file is refused: it contains an OLE object (%(part)s). Remove the object and save it "
    "again."
)
EMBEDDED = _l(
    "The file is refused: it contains an embedded object (%(part)s). Remove the object and save "
    "it again."
)
# The last segment of a relationship's type, for the kinds refused wherever they point.
REFUSED_RELATIONSHIPS = {
    "attachedTemplate": TEMPLATE,
    "oleObject": OLE,
    "package": EMBEDDED,  # an embedded file: a workbook, another document
    "control": EMBEDDED,  # an ActiveX control
    "activeXControlBinary": EMBEDDED,
    "aFChunk": EMBEDDED,  # a chunk of HTML, RTF or another document Word imports as it opens
}
JAVASCRIPT = _l("The PDF is refused: it contains JavaScript, which a PDF reader would run.")
LAUNCH = _l("The PDF is refused: it can launch a program or open a file on the reader's computer.")
OPEN_ACTION = _l(
    "The PDF is refused: it does something as soon as it is opened (an opening action other "
    "than showing a page)."
)
# A PDF name, with the #xx escapes that can spell /JavaScript without those letters.
PDF_NAME = re.compile(rb"/((?:[^\s/<>\[\]()%{}#]|#[0-9A-Fa-f]{2})+)")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)(.*?)endstream", re.S)
RAW_ACTIONS = {b"JavaScript": JAVASCRIPT, b"JS": JAVASCRIPT, b"Launch": LAUNCH}


class UploadError(ValueError):
    """An uploaded file that cannot be used; the message says why, for the user."""


# --- limits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadLimits:
    """How much one part of an upload may unpack to, and how many files one request brings."""

    max_part_bytes: int = Config.UPLOAD_MAX_PART_MB * MB
    max_files: int = Config.UPLOAD_MAX_FILES


def upload_limits(config: Mapping) -> UploadLimits:
    """The limits the settings give; ConfigError naming the variable whose value is wrong."""
    part_mb = config.get("UPLOAD_MAX_PART_MB", Config.UPLOAD_MAX_PART_MB)
    files = config.get("UPLOAD_MAX_FILES", Config.UPLOAD_MAX_FILES)
    return UploadLimits(
        max_part_bytes=number_setting("UPLOAD_MAX_PART_MB", str(part_mb)) * MB,
        max_files=number_setting("UPLOAD_MAX_FILES", str(files)),
    )


def configured_limits() -> UploadLimits:
    """The running app's limits; the defaults outside one (a script, a unit test)."""
    return upload_limits(current_app.config) if has_app_context() else UploadLimits()


def check_file_count(count: int, limits: UploadLimits | None = None) -> None:
    """Refuse more files in one request than the setting allows, before any is read."""
    most = (limits or configured_limits()).max_files
    if count > most:
        raise UploadError(
            lazy_ngettext(
                "Upload at most %(num)s file at a time; this sent %(count)s.",
                "Upload at most %(num)s files at a time; this sent %(count)s.",
                most,
                count=count,
            )
        )


def stored_name(filename: str) -> str:
    """An uploaded file's name as it is kept and sent back: its last part only, whatever the
    separator (an old browser sends C:\\Users\\...\\scan.pdf, a crafted request ../../scan.pdf),
    without control characters (PostgreSQL refuses NUL, and the name goes back out in a
    download's headers) or characters that reorder it on screen, and only its last 255
    characters, which keep the extension."""
    visible = "".join(
        c for c in filename if unicodedata.category(c) != "Cc" and c not in BIDI_CONTROLS
    )
    base = visible.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[-MAX_FILENAME:] if base.strip(".") else FALLBACK_NAME


# --- Word files -----------------------------------------------------------------------------


def check_docx(data: bytes, limits: UploadLimits | None = None) -> None:
    """Refuse anything but a reasonably sized Word .docx that makes Word fetch or run nothing."""
    _check_upload_size(data)
    if data.startswith(OLE_SIGNATURE):
        raise UploadError(
            _l("This is an old .doc or a password-protected file. Save it as .docx, unprotected.")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise UploadError(NOT_DOCX) from error
    with archive:
        entries = [entry for entry in archive.infolist() if not entry.is_dir()]
        _check_declared_size(entries)
        _check_part_names(entries)
        package = _read_parts(archive, entries, limits or configured_limits())
    _check_main_document(package)


def _check_upload_size(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(_l("The file is larger than 10 MB."))


def _check_declared_size(entries: list[zipfile.ZipInfo]) -> None:
    # What the zip declares refuses an obvious bomb unopened; what comes out is counted later.
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UploadError(_l("The file holds too many parts to be a normal document."))
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise UploadError(TOO_LARGE_UNPACKED)


def _check_part_names(entries: list[zipfile.ZipInfo]) -> None:
    # Compared without case, as Word compares part names.
    names = {entry.filename.casefold() for entry in entries}
    if CONTENT_TYPES.casefold() not in names or "word/document.xml" not in names:
        raise UploadError(NOT_DOCX)
    if any(name.endswith("vbaproject.bin") for name in names):
        raise UploadError(MACROS)


@dataclass
class _Package:
    """What the parts of a .docx say about it, gathered as they stream past."""

    names: set[str]
    types: dict[str, str] = field(default_factory=dict)  # part name or "*.ext": content type
    main: str | None = None  # the part the package's relationships name as the document


def _read_parts(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], limits: UploadLimits
) -> _Package:
    package = _Package({entry.filename for entry in entries})
    unpacked = 0
    for entry in entries:
        target = _parser_target(entry.filename, package)
        parser = None if target is None else _xml_parser(target)
        allowed = min(limits.max_part_bytes, MAX_UNPACKED_BYTES - unpacked)
        try:
            unpacked += _unpack(archive, entry, parser, allowed)
        except _OverLimit:
            if allowed < limits.max_part_bytes:  # the whole file's limit came first
                raise UploadError(TOO_LARGE_UNPACKED) from None
            raise UploadError(
                _l(
                    "The file is refused: its part %(part)s unpacks to more than %(max)s MB.",
                    part=_shown(entry.filename),
                    max=limits.max_part_bytes // MB,
                )
            ) from None
    return package


class _OverLimit(Exception):
    """A part unpacked past what it was allowed."""


def _unpack(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, parser: etree.XMLParser | None, allowed: int
) -> int:
    """Unpack one part in chunks, feeding any XML parser, and return its real size."""
    size = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > allowed:
                    raise _OverLimit
                if parser is not None:
                    parser.feed(chunk)
        if parser is not None:
            parser.close()
    except (UploadError, _OverLimit):
        raise
    except etree.XMLSyntaxError as error:  # not XML, or an entity nothing declares
        raise UploadError(CANNOT_OPEN) from error
    # A damaged archive fails to unpack in many ways (a bad checksum, broken compressed data, an
    # unknown compression method, a password): all of them mean no.
    except Exception as error:
        raise UploadError(NOT_DOCX) from error
    return size


def _xml_parser(target: "_XmlPart") -> etree.XMLParser:
    # No DTD is read, no entity is expanded, nothing is fetched; the target builds no tree.
    return etree.XMLParser(
        target=target, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )


def _parser_target(name: str, package: _Package) -> "_XmlPart | None":
    """The parser target that checks a part, or None for a part that is not XML (a picture)."""
    if name == CONTENT_TYPES:
        return _ContentTypes(name, package)
    if name.casefold().endswith(".rels"):
        return _Relationships(name, package)
    if name.casefold().endswith((".xml", ".vml")):
        return _XmlPart(name)
    return None


class _XmlPart:
    """An XML part read for its form only: Python is called for nothing but a DTD, so that
    millions of elements cost only the C parser's time."""

    def __init__(self, name: str):
        self.name = name

    def doctype(self, *_declaration):
        raise UploadError(
            _l(
                "The file is refused: its part %(part)s declares a DTD (<!DOCTYPE …>), which a "
                "Word document never needs.",
                part=_shown(self.name),
            )
        )

    def close(self) -> None:
        return None


class _ContentTypes(_XmlPart):
    """[Content_Types].xml: the type of each part, and whether any says macros."""

    def __init__(self, name: str, package: _Package):
        super().__init__(name)
        self.package = package

    def start(self, tag: str, attrib) -> None:
        content_type = attrib.get("ContentType", "").casefold()
        if "macroenabled" in content_type or "vbaproject" in content_type:
            raise UploadError(MACROS)
        if tag == f"{{{TYPES_NS}}}Override":
            part = attrib.get("PartName", "").lstrip("/").casefold()
            self.package.types[part] = content_type
        elif tag == f"{{{TYPES_NS}}}Default":
            self.package.types["*." + attrib.get("Extension", "").casefold()] = content_type


class _Relationships(_XmlPart):
    """A part's relationships: what Word loads along with it."""

    def __init__(self, name: str, package: _Package):
        super().__init__(name)
        self.package = package
        # word/_rels/document.xml.rels holds the relationships of word/document.xml, whose
        # folder its relative targets start from.
        self.folder = posixpath.dirname(posixpath.dirname(name))

    def start(self, tag: str, attrib) -> None:
        if tag != f"{{{RELATIONSHIPS_NS}}}Relationship":
            return
        kind = attrib.get("Type", "").rsplit("/", 1)[-1]
        target = attrib.get("Target", "")
        external = attrib.get("TargetMode", "").casefold() == "external"
        part = target if external else self._part(target)
        _check_relationship(kind, target, part, external)
        if self.name == PACKAGE_RELATIONSHIPS and kind == "officeDocument":
            self.package.main = part

    def _part(self, target: str) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(self.folder, target)).lstrip("/")


def _check_relationship(kind: str, target: str, part: str, external: bool) -> None:
    if kind in REFUSED_RELATIONSHIPS:
        message = REFUSED_RELATIONSHIPS[kind]
        raise UploadError(message % {"target": _shown(target), "part": _shown(part)})
    schemes = FOLLOWED_ON_CLICK.get(kind, ())
    if external and target.split(":", 1)[0].strip().casefold() not in schemes:
        raise UploadError(OUTSIDE % {"target": _shown(target)})


def _shown(text: str) -> str:
    """A name or address from inside a file, as a message quotes it: printable, not too long."""
    return "".join(c for c in text if c.isprintable())[:SHOWN_TEXT]


def _check_main_document(package: _Package) -> None:
    # python-docx, which builds addenda on a letterhead, finds these parts by their exact
    # names (Word writes them so), and the document by the package's relationship to it.
    main = package.main
    if not {CONTENT_TYPES, PACKAGE_RELATIONSHIPS} <= package.names or main not in package.names:
        raise UploadError(CANNOT_OPEN)
    extension = "*." + posixpath.splitext(main)[1].lstrip(".").casefold()
    content_type = package.types.get(main.casefold()) or package.types.get(extension)
    if content_type not in MAIN_DOCUMENT_TYPES:
        raise UploadError(CANNOT_OPEN)


# --- PDF files ------------------------------------------------------------------------------


def check_pdf(data: bytes, limits: UploadLimits | None = None) -> None:
    """Refuse anything but a complete, unprotected PDF that runs nothing when it is read."""
    _check_upload_size(data)
    if not data.startswith(b"%PDF-"):
        raise UploadError(NOT_PDF)
    try:
        with warnings.catch_warnings():  # pypdf warns about repairs it makes; only failure counts
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            encrypted = reader.is_encrypted
            pages = 0 if encrypted else len(reader.pages)
            found = None if encrypted else _active_content(reader)
    except Exception as error:  # a broken PDF fails in many ways inside pypdf; all of them mean no
        raise UploadError(NOT_PDF) from error
    if encrypted:
        raise UploadError(_l("The PDF is protected by a password; upload an unprotected copy."))
    if pages == 0:
        raise UploadError(NOT_PDF)
    found = found or _raw_active_content(data, limits or configured_limits())
    if found:
        raise UploadError(found)


def _active_content(reader: PdfReader) -> LazyString | None:
    """What a reader would run, found by walking every object the document's catalog reaches
    (pypdf unpacks those kept in compressed object streams); None when there is nothing."""
    catalog = reader.trailer["/Root"]
    seen: set[tuple[int, int]] = set()
    pending = [catalog]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if found := _action(item):
                return found
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    opening = catalog.get("/OpenAction")
    opening = opening.get_object() if isinstance(opening, IndirectObject) else opening
    # An opening destination (a page to show) is harmless; an action is not.
    if isinstance(opening, DictionaryObject) and opening.get("/S") != "/GoTo":
        return OPEN_ACTION
    return None


def _action(item: DictionaryObject) -> LazyString | None:
    kind = item.get("/S")
    if "/JS" in item or "/JavaScript" in item or kind == "/JavaScript":
        return JAVASCRIPT
    if kind == "/Launch":
        return LAUNCH
    return None


def _raw_active_content(data: bytes, limits: UploadLimits) -> LazyString | None:
    """The names of scripts and launches in the raw bytes, outside streams and inside object
    streams once unpacked: a backstop for what the walk misses (an object no table points to,
    a revision a damaged file's reader may rebuild)."""
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
    return None


def _inflate(stream: bytes, limit: int) -> bytes:
    # Object streams are nearly always deflated; one that is not is read as it is.
    try:
        return zlib.decompressobj().decompress(stream, limit)
    except zlib.error:
        return stream


def check_signed_copy(data: bytes, filename: str) -> None:
    """A signed addendum: a .docx or a .pdf, checked as what its name says it is."""
    name = filename.lower()
    if name.endswith(".docx"):
        check_docx(data)
    elif name.endswith(".pdf"):
        check_pdf(data)
    else:
        raise UploadError(_l("Upload the signed copy as a .docx or .pdf file."))
