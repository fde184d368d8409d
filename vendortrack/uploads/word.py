"""Checking an uploaded Word .docx (letterhead, signed copy, evidence) before it is stored.

A .docx is a zip archive of XML parts. Each part is unpacked in chunks, counting the bytes that
really come out (a zip declares whatever sizes its maker wrote), and reading stops past the
limit: a 100 kB upload can unpack to gigabytes. Its XML goes through a streaming parser that
builds no tree (one of millions of empty paragraphs takes a gigabyte) and reads no DTD, entity
or network address.

A Word file is refused, saying why, when it is an old .doc or password-protected, is not a
complete .docx, unpacks past the limits, has a part declaring a DTD, or would make Word fetch or
run something: macros; an attached template; a relationship to anything outside the file but a
web or mail link (a click follows those, and Word asks first); an OLE, ActiveX or other
embedded object or imported chunk; a field, in any part, whose first word is DDE, DDEAUTO,
INCLUDEPICTURE, INCLUDETEXT, LINK, IMPORT, INCLUDE or DATABASE (PAGE, DATE, HYPERLINK, REF,
TOC ... pass). A letterhead passes all of that on to every addendum.
"""

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from lxml import etree

from vendortrack.uploads.common import (
    MAX_UNPACKED_BYTES,
    MB,
    TOO_LARGE_UNPACKED,
    UploadError,
    UploadLimits,
    check_upload_size,
    configured_limits,
)

MAX_ZIP_ENTRIES = 500
CHUNK_BYTES = 64 * 1024
# Old .doc files and password-protected .docx files are OLE compound files, not zips.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELATIONSHIPS = "_rels/.rels"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAIN_DOCUMENT_TYPES = frozenset(
    f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}.main+xml"
    for kind in ("document", "template")
)
# Links Word follows only when the reader clicks, and asks first; any other relationship with
# an outside target (a template, a linked picture, a frame) is fetched as the file opens.
FOLLOWED_ON_CLICK = {"hyperlink": ("http", "https", "mailto")}
SHOWN_TEXT = 120  # characters of a part name or an address quoted in a message

NOT_DOCX = _l("This is not a Word .docx file.")
CANNOT_OPEN = _l("The file cannot be opened as a Word document (.docx).")
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
FIELD = _l(
    "This document holds a field of type %(field)s, which would fetch or run something when it "
    "is opened; remove the field and upload the file again."
)
# Fields Word fills from outside the file as it opens or updates it: DDE and DDEAUTO run a
# program, the others fetch a file or an address (INCLUDE is INCLUDETEXT's old name; DATABASE
# queries an outside database). Any other field (PAGE, DATE, HYPERLINK, REF,
# TOC ...) works on the document itself or waits for a click.
REFUSED_FIELDS = frozenset(
    {"DDE", "DDEAUTO", "INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "IMPORT", "DATABASE"}
)
FIELD_ELEMENTS = re.compile(rb"instrText|fldSimple")
FIELD_NAME = re.compile(r"\s*([A-Za-z]+)")
# The last segment of a relationship's type, for the kinds refused wherever they point.
REFUSED_RELATIONSHIPS = {
    "attachedTemplate": TEMPLATE,
    "oleObject": OLE,
    "package": EMBEDDED,  # an embedded file: a workbook, another document
    "control": EMBEDDED,  # an ActiveX control
    "activeXControlBinary": EMBEDDED,
    "aFChunk": EMBEDDED,  # a chunk of HTML, RTF or another document Word imports as it opens
}


def check_docx(data: bytes, limits: UploadLimits | None = None) -> None:
    """Refuse anything but a reasonably sized Word .docx that makes Word fetch or run nothing."""
    check_upload_size(data)
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
        allowed = min(limits.max_part_bytes, MAX_UNPACKED_BYTES - unpacked)
        try:
            data = _unpack(archive, entry, allowed)
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
        unpacked += len(data)
        target = _parser_target(entry.filename, package, data)
        if target is not None:
            _parse(data, target)
    return package


class _OverLimit(Exception):
    """A part unpacked past what it was allowed."""


def _unpack(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, allowed: int) -> bytes:
    """Unpack one part in chunks, stopping as soon as more comes out than it is allowed (held
    whole then: the part limit keeps that to a few megabytes)."""
    chunks, size = [], 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > allowed:
                    raise _OverLimit
                chunks.append(chunk)
    except _OverLimit:
        raise
    # A damaged archive fails to unpack in many ways (a bad checksum, broken compressed data, an
    # unknown compression method, a password): all of them mean no.
    except Exception as error:
        raise UploadError(NOT_DOCX) from error
    return b"".join(chunks)


def _parse(data: bytes, target: "_XmlPart") -> None:
    parser = _xml_parser(target)
    try:
        parser.feed(data)
        parser.close()
    except UploadError:
        raise
    except etree.XMLSyntaxError as error:  # not XML, or an entity nothing declares
        raise UploadError(CANNOT_OPEN) from error


def _xml_parser(target: "_XmlPart") -> etree.XMLParser:
    # No DTD is read, no entity is expanded, nothing is fetched; the target builds no tree.
    return etree.XMLParser(
        target=target, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )


def _parser_target(name: str, package: _Package, data: bytes) -> "_XmlPart | None":
    """The parser target that checks a part, or None for a part that is not XML (a picture)."""
    if name == CONTENT_TYPES:
        return _ContentTypes(name, package)
    if name.casefold().endswith(".rels"):
        return _Relationships(name, package)
    if name.casefold().endswith((".xml", ".vml")):
        # Reading fields calls Python for every element, ten times the parser's own time; a
        # part naming no field element (XML has no escape for a name) is only checked for a DTD.
        return _WordPart(name) if FIELD_ELEMENTS.search(data) else _XmlPart(name)
    return None


class _XmlPart:
    """What every XML part is checked for: a DTD, which a Word document never needs."""

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


class _WordPart(_XmlPart):
    """A part that may hold text, and so fields: their instructions are read as they stream
    past. Every XML part is read so, not only the body, headers, footers, notes and comments:
    Word finds those by their relationships, not their names, so one renamed would slip by.
    Python is called for every element, which multiplies the parser's time by about ten, so
    only parts that name a field element are read so (_parser_target)."""

    def __init__(self, name: str):
        super().__init__(name)
        # The instruction pieces of each field begun and not yet separated from its result,
        # innermost last; None once separated. A field's instruction may span several runs,
        # and hold a whole field nested in it (IF ... { INCLUDETEXT ... } ...).
        self.fields: list[list[str] | None] = []
        self.text: list[str] | None = None  # the current instrText's text

    def start(self, tag: str, attrib) -> None:
        if tag == f"{W}fldSimple":
            _check_field(attrib.get(f"{W}instr", ""))
        elif tag == f"{W}instrText":
            self.text = []
        elif tag == f"{W}fldChar":
            mark = attrib.get(f"{W}fldCharType")
            if mark == "begin":
                self.fields.append([])
            elif mark in ("separate", "end") and self.fields:
                if (pieces := self.fields.pop()) is not None:
                    _check_field("".join(pieces))
                if mark == "separate":
                    self.fields.append(None)

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        if tag == f"{W}instrText" and self.text is not None:
            piece, self.text = "".join(self.text), None
            if self.fields and self.fields[-1] is not None:
                self.fields[-1].append(piece)
            else:  # an instruction outside any open field is checked as a field of its own
                _check_field(piece)

    def close(self) -> None:
        for pieces in self.fields:  # a field the part never closes
            if pieces is not None:
                _check_field("".join(pieces))


def _check_field(instruction: str) -> None:
    """Refuse a field whose first word names one that fetches or runs something."""
    name = FIELD_NAME.match(instruction)
    if name and name.group(1).upper() in REFUSED_FIELDS:
        raise UploadError(FIELD % {"field": name.group(1).upper()})


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
