"""Build the Word document (.docx) of a personal information protection addendum.

Pure: everything printed arrives in an AddendumContent, already in words, and the document goes
back as bytes. Nothing here knows of Flask or the database, and the same content always gives
the same document, byte for byte.

Styles set by id, clause indents, languages and paragraphs placed before the section properties
go through python-docx's element objects (`paragraph._p`, `table._tbl`, `document._body`,
`docx.oxml`), and the template's parts and the thumbnail's relationship through its package
(`document.part.package`), none of which it documents as public; it has no public way to do
these. pyproject.toml bounds python-docx below 1.3, and the addenda tests read every such
result back.
"""

import copy
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cache
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.package import Package
from docx.section import Section
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from vendortrack.documents.content import (
    AddendumContent,
    Annex,
    ClauseText,
    Party,
    ScheduleRow,
    SubProcessorRow,
)
from vendortrack.documents.footers import field_char, footer_is_empty, footers, only_right_tab
from vendortrack.documents.package import save_reproducibly, set_custom_properties
from vendortrack.documents.tables import keep_rows_whole, set_borders_and_padding, set_widths, shade
from vendortrack.documents.wording import STRINGS, document_date

LANGUAGES = ("en", "fr", "bilingual")
LANGUAGE_TAGS = {"en": "en-CA", "fr": "fr-CA"}
# The document's own words; the clauses and the schedule arrive translated in the content.
SCHEDULE_COLUMNS = ("category", "purpose", "data_subjects", "locations", "retention")
SCHEDULE_WIDTHS = (0.24, 0.22, 0.18, 0.16, 0.20)  # shares of the text width, room for headings
GREY = RGBColor(0x6B, 0x6B, 0x6B)
HEADER_FILL = "E7ECF3"
SIGNATURE_LINE = "_" * 28
SMALL = Pt(8.5)
TABLE_TEXT = Pt(9.5)
CLAUSE_INDENT = Inches(0.45)
# XML 1.0 cannot hold these characters (lone surrogates included) and lxml refuses them, so one
# stray control character pasted into a vendor's name would make the addendum impossible to
# build. They mean nothing on paper; tab, line feed and carriage return stay.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LAYOUT_CHARACTERS = re.compile("(\t|\r\n|\n|\r)")
CORE_LIMIT = 255  # python-docx refuses longer core properties
# The elements the writer appends itself (see _Writer.run), by their qualified names.
W_R, W_T, W_TAB, W_BR, W_PPR, W_PSTYLE, W_VAL, XML_SPACE = (
    qn(name) for name in ("w:r", "w:t", "w:tab", "w:br", "w:pPr", "w:pStyle", "w:val", "xml:space")
)
# The format id every user-defined document property carries (ECMA-376 part 1, 22.3.2.2).


@dataclass(frozen=True)
class _Writer:
    """Writes one language version at the end of the document."""

    document: DocxDocument
    styles: dict[str, str]  # style name -> style id, looked up once: lookups walk every style
    lang: str
    language_tag: str | None  # set on each run when this version is not the default language
    width: int  # text width between the margins, EMU

    @property
    def words(self) -> dict[str, str]:
        return STRINGS[self.lang]

    def run(self, paragraph: Paragraph, text: str, *, bold=False, size=None, grey=False) -> Run:
        # The run and its pieces are appended with lxml directly: python-docx's add_run and add_t
        # look through the element's children for where each goes, which was a third of the
        # build; a run's children only ever go at its end here. The elements are the same.
        r = etree.SubElement(paragraph._p, W_R)
        properties = _run_properties(bold, size, grey, self.language_tag)
        if properties is not None:
            r.append(copy.deepcopy(properties))
        # Tabs and line breaks are elements of their own, as in python-docx's run.text.
        for piece in LAYOUT_CHARACTERS.split(clean(text)):
            if piece == "\t":
                etree.SubElement(r, W_TAB)
            elif piece in ("\r\n", "\n", "\r"):
                etree.SubElement(r, W_BR)
            elif piece:
                t = etree.SubElement(r, W_T)
                t.text = piece
                if len(piece.strip()) < len(piece):
                    t.set(XML_SPACE, "preserve")
        return Run(r, paragraph)

    def paragraph(
        self, text: str = "", style: str | None = None, *, indent: str = "", **font
    ) -> Paragraph:
        paragraph = self._new_paragraph()
        if style:  # as python-docx's paragraph.style would, on a paragraph still empty
            properties = etree.SubElement(paragraph._p, W_PPR)
            etree.SubElement(properties, W_PSTYLE).set(W_VAL, self.styles[style])
        if indent:
            paragraph._p.insert(0, copy.deepcopy(_indented_properties(hanging=indent == "hang")))
        if text:
            self.run(paragraph, text, **font)
        return paragraph

    def _new_paragraph(self) -> Paragraph:
        # python-docx's add_paragraph looks for the section properties among every child of the
        # body each time; placing the element before them directly keeps long documents linear.
        p = OxmlElement("w:p")
        body = self.document.element.body
        section_properties = body.sectPr
        if section_properties is not None:
            section_properties.addprevious(p)
        else:
            body.append(p)
        return Paragraph(p, self.document._body)

    def labelled(self, label: str, value: str) -> Paragraph:
        paragraph = self.paragraph(label + self.words["colon"], bold=True)
        self.run(paragraph, value)
        return paragraph

    def table(self, rows: int, widths: list[int] | int, style: str | None = None) -> Table:
        """Add a table; widths are the columns' in EMU or, as one number, how many share it."""
        even = isinstance(widths, int)
        table = self.document.add_table(rows=rows, cols=widths if even else len(widths))
        if style:
            table._tbl.tblPr.style = self.styles[style]
        if not even:  # python-docx shares the width out evenly itself
            set_widths(table, widths)
        set_borders_and_padding(table, borders=style is not None)
        return table


def build_addendum(content: AddendumContent, lang: str, letterhead: bytes | None = None) -> bytes:
    """Return the .docx of the addendum in English, French, or both with French first.

    A letterhead is the bytes of a .docx that passed letterhead.check_letterhead; its styles,
    header and (unless empty) footer dress the addendum.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    versions = ("fr", "en") if lang == "bilingual" else (lang,)
    default_tag = LANGUAGE_TAGS[versions[0]]
    document = _letterhead_document(letterhead, default_tag) if letterhead else _blank(default_tag)
    number_pages = footer_is_empty(document)
    styles = _style_ids(document) if letterhead else _style_ids()
    for writer in _version_writers(document, styles, versions):
        _write_version(writer, content, bilingual=len(versions) > 1)
        if number_pages:
            _write_footers(writer)
    # One instrument: one signature block, after the last version, labelled in every language.
    _write_signatures(writer, content.organisation, content.vendor, _labels(versions))
    _set_core_properties(document, content, versions)
    set_custom_properties(document, _custom_values(content, lang))
    return save_reproducibly(document, {} if letterhead else _template_blobs(default_tag))


def build_counsel_note(content: AddendumContent, lang: str) -> bytes:
    """The note for counsel on an addendum: each clause's legal basis under the regimes that
    apply to the vendor. Never part of the signed document, which holds contract terms only."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    versions = ("fr", "en") if lang == "bilingual" else (lang,)
    default_tag = LANGUAGE_TAGS[versions[0]]
    document = _blank(default_tag)
    for writer in _version_writers(document, _style_ids(), versions):
        _write_note(writer, content)
    _set_core_properties(document, content, versions)
    document.core_properties.title = " / ".join(STRINGS[v]["note_title"] for v in versions)
    return save_reproducibly(document, _template_blobs(default_tag))


def _version_writers(document: DocxDocument, styles: dict[str, str], versions: tuple[str, ...]):
    """A writer for each language version in turn, each after the first on a new page; runs
    carry their language where it is not the document's."""
    default_tag = LANGUAGE_TAGS[versions[0]]
    for version in versions:
        if version != versions[0]:
            document.add_section(WD_SECTION.NEW_PAGE)
        tag = LANGUAGE_TAGS[version]
        width = _text_width(document.sections[-1])
        yield _Writer(document, styles, version, None if tag == default_tag else tag, width)


def _write_note(writer: _Writer, content: AddendumContent) -> None:
    words = writer.words
    writer.paragraph(words["note_title"], "Title")
    writer.labelled(words["vendor"], content.vendor.name)
    writer.labelled(words["effective_date"], document_date(content.effective_date, writer.lang))
    writer.paragraph(words["note_intro"])
    for clause in content.clauses:
        writer.paragraph(f"{clause.number}. {clause.title[writer.lang]}", "Heading 2")
        basis = clause.basis[writer.lang] or words["no_basis"]
        writer.paragraph(words["basis"] + words["colon"] + basis, indent="left")


def clean(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold."""
    return FORBIDDEN.sub("", text)


# --- the document to write into ---


def _blank(language_tag: str) -> DocxDocument:
    # Parsing the template's 350 kB of styles took a tenth of each build, and copying them a
    # fifth: the copy shares the elements of the parts a build never changes (deepcopy's memo
    # given them as already copied), whose bytes are reused too (_template_blobs).
    package = _template_package(language_tag)
    shared = {id(element): element for element in _unchanged_elements(language_tag)}
    return copy.deepcopy(package, shared).main_document_part.document


@cache
def _unchanged_elements(language_tag: str) -> tuple:
    parts = _template_package(language_tag).iter_parts()
    return tuple(
        p._element for p in parts if p.partname in TEMPLATE_ONLY_PARTS and hasattr(p, "_element")
    )


@cache
def _template_package(language_tag: str) -> Package:
    """python-docx's template with our page, font and language, parsed once and never touched.

    Only ever deep-copied: using it would fill python-docx's caches with its own elements.
    """
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for section in document.sections:
        section.left_margin = section.right_margin = Inches(1)
        section.footer.is_linked_to_previous = False  # its part made once here, not every build
    _prepare(document, language_tag)
    buffer = BytesIO()
    document.save(buffer)
    return Package.open(BytesIO(buffer.getvalue()))


# Parts a build never changes: their bytes are taken from the template as they are.
TEMPLATE_ONLY_PARTS = (
    "/word/styles.xml",
    "/word/stylesWithEffects.xml",
    "/word/theme/theme1.xml",
    "/word/fontTable.xml",
    "/word/settings.xml",
    "/word/webSettings.xml",
    "/word/numbering.xml",
    "/docProps/app.xml",
)


@cache
def _template_blobs(language_tag: str) -> dict[str, bytes]:
    parts = _template_package(language_tag).iter_parts()
    return {p.partname: p.blob for p in parts if p.partname in TEMPLATE_ONLY_PARTS}


def _letterhead_document(letterhead: bytes, language_tag: str) -> DocxDocument:
    document = Document(BytesIO(letterhead))
    # Keep the letterhead's look: styles, header, footer and the sectPr that points at them. Its
    # body is sample text that must not end up in a contract.
    document.element.body.clear_content()
    for name, element in _default_styles().items():
        # Word saves only the styles a document uses; a letterhead may lack a heading style.
        if name not in document.styles:
            document.styles.element.append(copy.deepcopy(element))
    _prepare(document, language_tag)
    return document


@cache
def _default_styles() -> dict[str, etree._Element]:
    styles = Document().styles
    return {
        name: styles[name].element for name in ("Title", "Heading 1", "Heading 2", "Table Grid")
    }


def _style_ids(document: DocxDocument | None = None) -> dict[str, str]:
    """The ids of the styles we use, in the document or else in python-docx's template."""
    if document is None:
        return {name: style.get(qn("w:styleId")) for name, style in _default_styles().items()}
    return {name: document.styles[name].style_id for name in _default_styles()}


def _prepare(document: DocxDocument, language_tag: str) -> None:
    # Spelling and hyphenation follow the language; every style inherits it from Normal.
    normal = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    if normal is not None:
        _set_language(normal.element.get_or_add_rPr(), language_tag)
    # A template's thumbnail shows another document's first page in file browsers.
    rels = document.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[r_id]


def _set_language(r_pr: etree._Element, tag: str) -> None:
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    lang = OxmlElement("w:lang", {qn("w:val"): tag})
    r_pr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")


@cache
def _run_properties(
    bold: bool, size: int | None, grey: bool, tag: str | None
) -> etree._Element | None:
    """The w:rPr for a kind of run, made once by python-docx; each run gets a copy."""
    run = Run(OxmlElement("w:r"), None)
    run.font.bold = bold or None
    run.font.size = size
    if grey:
        run.font.color.rgb = GREY
    if tag:
        _set_language(run.element.get_or_add_rPr(), tag)
    r_pr = run.element.rPr
    return r_pr if r_pr is not None and len(r_pr) else None


def _text_width(section: Section) -> int:
    if None in (section.page_width, section.left_margin, section.right_margin):
        return Inches(6.5)
    return section.page_width - section.left_margin - section.right_margin


# --- one language version ---


def _write_version(writer: _Writer, content: AddendumContent, *, bilingual: bool) -> None:
    if bilingual:
        writer.paragraph(writer.words["version"], size=SMALL, grey=True, bold=True)
    writer.paragraph(writer.words["title"], "Title")
    _write_parties(writer, content.organisation, content.vendor)
    _write_facts(writer, content)
    _write_schedule(writer, content.schedule.get(writer.lang, []))
    if content.measures:
        _write_measures(writer, content.measures.get(writer.lang, []))
    if content.sub_processors:
        _write_sub_processors(writer, content.sub_processors.get(writer.lang, []))
    writer.paragraph(writer.words["clauses"], "Heading 1")
    for clause in content.clauses:
        _write_clause(writer, clause)
    if content.privacy_officer:
        writer.paragraph()
        writer.labelled(writer.words["privacy_officer"], content.privacy_officer)
    if bilingual:
        prevailing = writer.words["french" if content.prevailing == "fr" else "english"]
        writer.paragraph()
        writer.paragraph(writer.words["languages"].format(prevailing=prevailing))
    for annex in content.annexes.get(writer.lang, []):
        _write_annex(writer, annex)


def _write_annex(writer: _Writer, annex: Annex) -> None:
    writer.paragraph(annex.title, "Heading 1")
    for part in annex.parts:
        if part.heading:
            writer.paragraph(part.heading, "Heading 2")
        for label, value in part.entries:
            if label:
                writer.labelled(label, value)
            else:
                writer.paragraph(value)


def _write_parties(writer: _Writer, organisation: Party, vendor: Party) -> None:
    table = _party_table(writer, organisation, vendor, writer.words, extra_rows=1)
    for cell, party in zip(table.rows[2].cells, (organisation, vendor), strict=True):
        writer.run(cell.paragraphs[0], party.address)
    writer.paragraph()


def _write_facts(writer: _Writer, content: AddendumContent) -> None:
    writer.labelled(
        writer.words["effective_date"], document_date(content.effective_date, writer.lang)
    )
    if content.all_contracts:
        writer.labelled(writer.words["reference"], writer.words["all_contracts"])
    elif content.reference:
        writer.labelled(writer.words["reference"], content.reference)
    writer.paragraph(preamble(writer.words, content))


def preamble(words: dict[str, str], content: AddendumContent) -> str:
    """The opening sentences: which contract the addendum amends, and since when it applies."""
    opening = words["preamble_all" if content.all_contracts else "preamble"]
    return f"{opening} {words['covers_earlier']}" if content.covers_earlier else opening


def _write_schedule(writer: _Writer, rows: list[ScheduleRow]) -> None:
    writer.paragraph(writer.words["schedule"], "Heading 1")
    headings = [writer.words[column] for column in SCHEDULE_COLUMNS]
    _grid(writer, headings, SCHEDULE_WIDTHS, [_cells(r, SCHEDULE_COLUMNS) for r in rows])


def _grid(writer: _Writer, headings: list[str], shares, rows: list[list[str]]) -> None:
    """A table with a shaded heading row repeated on each page, columns sized by `shares` of
    the text width, and rows kept whole across pages."""
    widths = [int(writer.width * share) for share in shares]
    table = writer.table(1 + len(rows), widths, style="Table Grid")
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        writer.run(cell.paragraphs[0], heading, bold=True, size=TABLE_TEXT)
        shade(cell, HEADER_FILL)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            writer.run(cell.paragraphs[0], value, size=TABLE_TEXT)
    keep_rows_whole(table, repeat_header=True)


def _cells(item, columns: tuple[str, ...]) -> list[str]:
    return [getattr(item, column) for column in columns]


SUB_PROCESSOR_COLUMNS = ("name", "address", "processing", "location")
SUB_PROCESSOR_WIDTHS = (0.24, 0.26, 0.32, 0.18)


def _write_sub_processors(writer: _Writer, rows: list[SubProcessorRow]) -> None:
    writer.paragraph(writer.words["sub_processors"], "Heading 2")
    if not rows:
        writer.paragraph(writer.words["no_sub_processors"])
        return
    headings = [writer.words[f"sub_{column}"] for column in SUB_PROCESSOR_COLUMNS]
    cells = [_cells(r, SUB_PROCESSOR_COLUMNS) for r in rows]
    _grid(writer, headings, SUB_PROCESSOR_WIDTHS, cells)


def _write_measures(writer: _Writer, measures: list[str]) -> None:
    writer.paragraph(writer.words["measures"], "Heading 2")
    for measure in measures:
        writer.paragraph(f"\u2013\t{measure}", indent="hang")


def _write_clause(writer: _Writer, clause: ClauseText) -> None:
    # Numbered in the text: Word list numbering cannot be restarted from python-docx, and a
    # contract's numbers must not change when the file is opened elsewhere.
    writer.paragraph(f"{clause.number}. {clause.title[writer.lang]}", "Heading 2")
    paragraphs = clause.paragraphs[writer.lang]
    for index, text in enumerate(paragraphs, start=1):
        if len(paragraphs) == 1:
            writer.paragraph(text, indent="left")
        else:
            writer.paragraph(f"{clause.number}.{index}\t{text}", indent="hang")


@cache
def _indented_properties(*, hanging: bool) -> etree._Element:
    """The w:pPr of a clause's text, made once by python-docx; each paragraph gets a copy."""
    paragraph = Paragraph(OxmlElement("w:p"), None)
    fmt = paragraph.paragraph_format
    fmt.left_indent = CLAUSE_INDENT
    if hanging:
        # The number stands in the margin and the text aligns on one edge, as in a contract.
        fmt.first_line_indent = -CLAUSE_INDENT
        fmt.tab_stops.add_tab_stop(CLAUSE_INDENT)
    return paragraph._p.pPr


SIGNATURE_LABELS = ("signatures", "signature", "name", "signatory_title", "date")
PARTY_LABELS = ("organisation", "vendor")


def _labels(versions: tuple[str, ...]) -> dict[str, str]:
    """The signature block's words, "français / English" where the versions differ."""
    labels = {
        key: " / ".join(dict.fromkeys(STRINGS[v][key] for v in versions))
        for key in (*SIGNATURE_LABELS, *PARTY_LABELS)
    }
    return {**labels, "colon": STRINGS[versions[0]]["colon"]}


def _write_signatures(writer: _Writer, organisation: Party, vendor: Party, words) -> None:
    writer.paragraph(words["signatures"], "Heading 1")
    lines = (
        (words["signature"], SIGNATURE_LINE, SIGNATURE_LINE),
        (words["name"], organisation.signatory, vendor.signatory),
        (words["signatory_title"], organisation.signatory_title, vendor.signatory_title),
        (words["date"], SIGNATURE_LINE, SIGNATURE_LINE),
    )
    table = _party_table(writer, organisation, vendor, words, extra_rows=len(lines))
    # A row a line keeps both parties' lines level, however long their names.
    for row, (label, *values) in zip(table.rows[2:], lines, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_before = Pt(20 if label == lines[0][0] else 4)
            writer.run(paragraph, label + words["colon"], size=TABLE_TEXT, grey=True)
            writer.run(paragraph, value or SIGNATURE_LINE)
    keep_rows_whole(table, together=True)


# --- tables ---


def _party_table(
    writer: _Writer, organisation: Party, vendor: Party, words, *, extra_rows: int
) -> Table:
    """Start a borderless table with a column a party: its role, then its name."""
    table = writer.table(2 + extra_rows, 2)
    roles, names = table.rows[0].cells, table.rows[1].cells
    for column, (role, party) in enumerate((("organisation", organisation), ("vendor", vendor))):
        writer.run(roles[column].paragraphs[0], words[role].upper(), size=SMALL, grey=True)
        writer.run(names[column].paragraphs[0], party.name, bold=True)
    return table


# --- footer: the title and page numbers ---


def _write_footers(writer: _Writer) -> None:
    for footer in footers(writer.document, writer.document.sections[-1]):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        only_right_tab(paragraph, writer.width)
        writer.run(paragraph, writer.words["title"] + "\t", size=SMALL, grey=True)
        before, rest = writer.words["page"].split("{page}")
        between, after = rest.split("{pages}")
        for text, field in ((before, "PAGE"), (between, "NUMPAGES"), (after, None)):
            if text:
                writer.run(paragraph, text, size=SMALL, grey=True)
            if field:
                _add_field(writer, paragraph, field)


def _add_field(writer: _Writer, paragraph: Paragraph, instruction: str) -> None:
    """Add a field that Word and LibreOffice compute as they lay out the pages."""
    instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instr.text = f" {instruction} "
    pieces = (field_char("begin"), instr, field_char("separate"), None, field_char("end"))
    for piece in pieces:
        # The "1" shows only until the pages are laid out.
        run = writer.run(paragraph, "1" if piece is None else "", size=SMALL, grey=True)
        if piece is not None:
            run.element.append(piece)


# --- properties ---


def _set_core_properties(
    document: DocxDocument, content: AddendumContent, versions: tuple[str, ...]
) -> None:
    props = document.core_properties
    props.title = " / ".join(STRINGS[lang]["title"] for lang in versions)
    props.subject = clean(content.vendor.name)[:CORE_LIMIT]
    props.author = props.last_modified_by = "VendorTrack"
    props.language = LANGUAGE_TAGS[versions[0]]
    props.keywords = _fit(content.clause_versions)
    props.comments = "Generated by VendorTrack"
    props.category = ""
    props.revision = 1
    # The effective date, not the clock: building the same content twice gives the same file.
    props.created = props.modified = datetime.combine(content.effective_date, time(), UTC)


def _fit(versions: str) -> str:
    # Whole entries only, as a cut "id@12" names a wrong version; the custom property has all.
    while len(versions) > CORE_LIMIT:
        versions = versions.rsplit(", ", 1)[0]
    return versions


def _custom_values(content: AddendumContent, lang: str) -> dict[str, str]:
    values = {
        **content.properties,
        "VendorTrack clauses": content.clause_versions,
        "VendorTrack language": lang,
    }
    return {clean(name): clean(value) for name, value in values.items() if clean(name).strip()}
