"""Footers python-docx does not write for us: finding every footer of a section (first page,
even pages), telling whether a letterhead's footer says anything, and field characters for the
PAGE and NUMPAGES fields.

The fields are XML written with python-docx's element helpers (`docx.oxml`), and footers are
typed by its `_Footer` class, neither documented as public: pyproject.toml bounds python-docx
below 1.3.
"""

from docx.document import Document as DocxDocument
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section, _Footer
from docx.text.paragraph import Paragraph
from lxml import etree


def footer_is_empty(document: DocxDocument) -> bool:
    """Whether the first section prints nothing at the foot of its pages."""
    return all(is_blank(footer) for footer in footers(document, document.sections[0]))


def is_blank(footer: _Footer) -> bool:
    if footer.is_linked_to_previous:
        return True
    element = footer.part.element
    drawn = element.xpath(".//w:drawing | .//w:pict | .//w:fldSimple | .//w:fldChar | .//w:tbl")
    return not drawn and not any(p.text.strip() for p in footer.paragraphs)


def footers(document: DocxDocument, section: Section) -> list[_Footer]:
    footers = [section.footer]
    if section.different_first_page_header_footer:
        footers.append(section.first_page_footer)
    if document.settings.odd_and_even_pages_header_footer:
        footers.append(section.even_page_footer)
    return footers


def only_right_tab(paragraph: Paragraph, width: int) -> None:
    # The footer style's centre tab would catch the page number: clear it, keep one right tab.
    tabs = paragraph.paragraph_format.tab_stops
    style = paragraph.style
    for stop in style.paragraph_format.tab_stops if style is not None else ():
        if stop.position != width:
            tabs.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def field_char(kind: str) -> etree._Element:
    return OxmlElement("w:fldChar", {qn("w:fldCharType"): kind})
