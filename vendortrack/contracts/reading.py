"""A vendor's agreement as text with its places: paragraphs in reading order, each with its
section number, the heading it falls under and, in a PDF, its page. Markup, tags, hard-wrapped
lines, hyphenation and the running headers of PDF pages are taken out; the words are not
changed otherwise, so that a quote from the text is a quote from the document.

Pure: bytes in, paragraphs out (the upload guards run first, in `read_agreement`)."""

import io
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from flask_babel import lazy_gettext as _l

from vendortrack.uploads import UploadError, check_docx, check_pdf

FORMATS = (".docx", ".pdf", ".txt", ".md", ".html", ".htm")
# A PDF page with fewer characters than this, on average, is an image of text (a scan).
SCANNED_CHARACTERS_PER_PAGE = 40
# A section's number: "Article 5", "Section 7.2", "7.2", "12." (letters and roman numerals
# number items, which stay in their section).
NUMBER = re.compile(
    r"^(?:(?:article|section|clause|annexe?|appendix|schedule)\s+(\w+(?:\.\w+)*)[.):]?\s*[-–—:]?"
    r"|(\d+(?:\.\d+)+)\.?|(\d+)[.)])\s+(?=\S)",
    re.IGNORECASE,
)
KEYWORD = re.compile(r"^(?:article|section|clause|annexe?|appendix|schedule)\s", re.IGNORECASE)
SENTENCE_VERB = re.compile(
    r"\b(?:shall|will|must|may|is|are|has|have|doit|doivent|peut|est|sont|a|ont|s['’]engage)\b",
    re.IGNORECASE,
)
HYPHENATED = re.compile(r"[a-zà-ÿ]-$")
# Where a hard-wrapped line starts a new paragraph rather than continuing the last one.
ITEM = re.compile(r"^(?:\(?[a-z0-9ivx]{1,4}[.)]\s|[-•*–]\s|(?:article|section|clause)\s+\d)", re.I)
# "seventy-two\n(72) hours": an amount restated in figures, wrapped onto the next line, not an item.
RESTATED_AMOUNT = re.compile(
    r"^\(\d+\)\s+(?:(?:business|working|calendar|ouvrables?|francs?)\s+)?"
    r"(?:hours?|days?|weeks?|months?|years?|heures?|jours?|semaines?|mois|ans?)\b",
    re.IGNORECASE,
)
HEADING_LENGTH = 90


class UnreadableAgreement(UploadError):
    """A file whose text cannot be read; the message says why, for the user."""


@dataclass(frozen=True)
class Paragraph:
    text: str
    section: str = ""  # its number, or the number of the section it is in
    heading: str = ""  # the heading of the section it is in
    page: int | None = None  # in a PDF
    is_heading: bool = False
    document: str = ""  # its file's name, when several are read together

    @property
    def where(self) -> str:
        """Document, section, heading and page, as a reader would cite them."""
        parts = [self.document, f"§ {self.section}" if self.section else "", self.heading]
        if self.page:
            parts.append(f"p. {self.page}")
        return " · ".join(part for part in parts if part)


def read_agreement(data: bytes, filename: str) -> list[Paragraph]:
    """The paragraphs of one file; UnreadableAgreement (or UploadError) saying what is wrong."""
    name = filename.lower()
    if not data.strip():
        raise UnreadableAgreement(_l("The file is empty."))
    if name.endswith(".docx"):
        check_docx(data)
        lines = _docx_lines(data)
    elif name.endswith(".pdf"):
        check_pdf(data)
        return _some(_placed(_pdf_lines(data)))
    elif name.endswith((".html", ".htm")):
        lines = _html_lines(_decoded(data))
    elif name.endswith(".md"):
        lines = _markdown_lines(_decoded(data))
    elif name.endswith(".txt"):
        lines = _unwrapped(_decoded(data).splitlines())
    else:
        raise UnreadableAgreement(
            _l("Upload the agreement as a .docx, .pdf (with text), .txt, .md or .html file.")
        )
    return _some(_placed((line, None) for line in lines))


def _some(paragraphs: list[Paragraph]) -> list[Paragraph]:
    if not paragraphs:
        raise UnreadableAgreement(_l("The file holds no text."))
    return paragraphs


# --- formats -------------------------------------------------------------------------------


def _decoded(data: bytes) -> str:
    if b"\x00" in data:
        raise UnreadableAgreement(_l("The file is not text: save the agreement as text first."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # what Windows editors save by default


def _docx_lines(data: bytes) -> list[str]:
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # a template, or a package python-docx will not open as a document
        raise UnreadableAgreement(
            _l("The Word file cannot be read: save it as a .docx document.")
        ) from error
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            lines.append(_docx_paragraph(block))
        elif block.tag.endswith("}tbl"):
            lines.extend(_docx_paragraph(p) for p in block.iter() if p.tag.endswith("}p"))
    return [line for line in lines if line.strip()]


def _docx_paragraph(element) -> str:
    text = "".join(node.text or "" for node in element.iter() if node.tag.endswith("}t"))
    style = element.find(".//{*}pStyle")
    name = next(iter(style.attrib.values()), "") if style is not None else ""
    # A heading style makes a heading even without a number: marked for _placed.
    return f"\x01{text}" if re.match(r"(heading|titre|title)", name, re.I) and text else text


def _pdf_lines(data: bytes) -> Iterator[tuple[str, int]]:
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings():  # pypdf warns about repairs it makes
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))  # check_pdf refused a locked one
            pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as error:  # pypdf fails in many ways on odd files; each means no text
        raise UnreadableAgreement(_l("The PDF cannot be read.")) from error
    if sum(len(page.strip()) for page in pages) < SCANNED_CHARACTERS_PER_PAGE * len(pages):
        raise UnreadableAgreement(
            _l("The PDF has no text layer (a scan?): run it through OCR, or upload the .docx.")
        )
    running = _running_lines(pages)
    for number, page in enumerate(pages, start=1):
        kept = [line for line in page.splitlines() if _bare(line) not in running]
        for line in _unwrapped(kept):
            yield line, number


def _bare(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _running_lines(pages: list[str]) -> set[str]:
    """Lines at the top or foot of most pages (headers, footers, "Page 3 of 60"): not the
    agreement's text."""
    if len(pages) < 3:
        return set()
    edges = [page.strip().splitlines() for page in pages]
    seen = Counter(bare for lines in edges for bare in {_bare(x) for x in lines[:2] + lines[-2:]})
    return {bare for bare, count in seen.items() if bare and count > len(pages) / 2}


def _unwrapped(lines: Iterable[str]) -> list[str]:
    """Hard-wrapped lines joined into paragraphs: a blank line, a numbered item or a heading
    starts a new one; a word cut by a hyphen at the end of a line is joined again. Each
    paragraph is kept as its lines until it ends: a file of one endless paragraph costs its
    length, not its length squared."""
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            current = _flush(paragraphs, current)
        elif not current:
            current = [line]
        elif _starts_paragraph(line, current):
            _flush(paragraphs, current)
            current = [line]
        elif HYPHENATED.search(current[-1]) and line[0].islower():
            current[-1] = current[-1][:-1] + line
        else:
            current.append(line)
    _flush(paragraphs, current)
    return paragraphs


def _starts_paragraph(line: str, current: list[str]) -> bool:
    finished = current[-1].endswith((".", ":", ";"))
    if RESTATED_AMOUNT.match(line) and not finished:
        return False
    if ITEM.match(line) or (NUMBER.match(line) and finished):
        return True
    # A short line with no end stop, after a finished sentence: a heading.
    return (len(current) == 1 and _looks_like_heading(current[0])) or (
        finished and _looks_like_heading(line)
    )


def without_number(text: str) -> str:
    """The text after its section number ("7.2 Audits" -> "Audits")."""
    number = NUMBER.match(text)
    return text[number.end() :] if number else text


def _looks_like_heading(line: str) -> bool:
    """A short line, no end stop: in capitals, after "Article 5", or in Title Case."""
    rest = without_number(line)
    if len(rest) > HEADING_LENGTH or rest.endswith((".", ",", ";", ":", "-")):
        return False
    if not rest[:1].isupper() or len(rest.split()) > 10:
        return False
    if rest.isupper() or (rest != line and KEYWORD.match(line)):
        return True
    if SENTENCE_VERB.search(rest):
        return False  # the start of a wrapped sentence
    long_words = [word.strip('()[]"“”«»') for word in rest.split()]
    long_words = [word for word in long_words if len(word) > 3]
    capitalised = sum(word[:1].isupper() for word in long_words)
    return len(rest.split()) <= 8 and capitalised * 3 >= len(long_words) * 2


def _flush(paragraphs: list[str], current: list[str]) -> list[str]:
    if current:
        paragraphs.append(" ".join(current))
    return []


BLOCKS = {
    "p", "div", "li", "br", "tr", "td", "th", "section", "article", "blockquote", "dd", "dt",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "header", "footer", "main", "pre",
}  # fmt: skip
HIDDEN = {"script", "style", "head", "noscript", "template", "svg", "nav"}


class _HtmlText(HTMLParser):
    """The text of a page, a line per block element; headings marked."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.heading = False

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self._end_line()
            self.heading = tag in {"h1", "h2", "h3", "h4", "h5", "h6"}

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self._end_line()

    def handle_data(self, data):
        if not self.hidden:
            self.current.append(data)

    def _end_line(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(f"\x01{text}" if self.heading else text)
        self.current, self.heading = [], False


def _html_lines(text: str) -> list[str]:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    parser._end_line()
    return parser.lines


MARKDOWN_INLINE = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)"), r"\1"),
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
)


def _markdown_lines(text: str) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = re.sub(r"^\s{0,3}>\s?", "", raw)
        for pattern, replacement in MARKDOWN_INLINE:
            line = pattern.sub(replacement, line)
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            lines.extend(["", f"\x01{heading.group(1)}", ""])
        else:
            lines.append(re.sub(r"^\s*[-*+]\s+", "- ", line))
    paragraphs = _unwrapped(line for line in lines if not line.startswith("\x01"))
    # Headings kept in their place: unwrap the text between them.
    return _with_headings(lines) if any(line.startswith("\x01") for line in lines) else paragraphs


def _with_headings(lines: list[str]) -> list[str]:
    out, run = [], []
    for line in lines:
        if line.startswith("\x01"):
            out.extend(_unwrapped(run))
            out.append(line)
            run = []
        else:
            run.append(line)
    out.extend(_unwrapped(run))
    return out


# --- places --------------------------------------------------------------------------------


def _placed(lines: Iterable[tuple[str, int | None]]) -> list[Paragraph]:
    """Each line with the section and heading it falls under."""
    paragraphs, section, heading = [], "", ""
    for line, page in lines:
        marked = line.startswith("\x01")
        # NUL cannot be stored (PostgreSQL), and \x01 is our heading mark: neither is text.
        text = line.replace("\x00", "").replace("\x01", "").strip()
        if not text:
            continue
        number = NUMBER.match(text)
        is_heading = marked or _looks_like_heading(text)
        if number:
            section = next(group for group in number.groups() if group)
        if is_heading:
            heading = without_number(text)
        paragraphs.append(Paragraph(text, section, heading, page, is_heading))
    return paragraphs
