"""Table formatting python-docx does not offer: widths, borders, padding, shading, rows kept
whole across pages.

Written into the table's XML through python-docx's element objects (`table._tbl`, `cell._tc`,
`row._tr`), which it does not document as public, since it has no API for these:
pyproject.toml bounds python-docx below 1.3, and the addenda tests read them back.
"""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table, _Cell


def set_widths(table: Table, widths: list[int]) -> None:
    # Word reads each cell's width and LibreOffice the grid's; set both so they agree.
    table.autofit = False
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_column.w = width
    for row in table._tbl.tr_lst:
        for cell, width in zip(row.tc_lst, widths, strict=True):
            cell.width = width


def set_borders_and_padding(table: Table, *, borders: bool) -> None:
    tbl_pr = table._tbl.tblPr
    if not borders:
        # Said outright, so a letterhead whose default table style has borders cannot add them.
        edges = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edges.append(OxmlElement(f"w:{edge}", {qn("w:val"): "nil"}))
        tbl_pr.insert_element_before(edges, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    # Text touching the rules reads cramped: a little air above and below each cell's text.
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 43), ("left", 108), ("bottom", 43), ("right", 108)):
        margins.append(OxmlElement(f"w:{side}", {qn("w:w"): str(twips), qn("w:type"): "dxa"}))
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement(
        "w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill}
    )
    cell._tc.get_or_add_tcPr().insert_element_before(
        shading, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"
    )


def keep_rows_whole(table: Table, *, repeat_header: bool = False, together: bool = False) -> None:
    # A row cut across two pages is hard to read; signatures split apart are easy to dispute.
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if repeat_header and index == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
    for row in table.rows[:-1] if together else ():
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
