"""The vendor export as an Excel workbook: the CSV's rows and columns on one sheet.

Pure: no request, no database. Written with openpyxl's write-only workbook, which keeps a row in
memory only until it is written, whatever the register's size; a workbook is a zip, complete only
at its end, so unlike the CSV it is sent once written. The workbook is for reading; an
import takes the CSV.
"""

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

from vendortrack.register.csvcolumns import DATE_COLUMN_NAMES, EXPORT_COLUMN_NAMES
from vendortrack.spreadsheet import FORMULA_STARTS

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "vendors"


def write_xlsx(
    rows: Iterable[Sequence[str]], out: BinaryIO, header: Sequence[str] = EXPORT_COLUMN_NAMES
) -> None:
    """Write the rows (the CSV's cells) to out as a workbook: a bold, frozen header row, dates
    as dates, and every other cell as text that never runs as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"  # the column names stay in sight while scrolling
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, name, bold) for name in header])
    dates = {index for index, name in enumerate(header) if name in DATE_COLUMN_NAMES}
    for row in rows:
        sheet.append(
            [
                _date_cell(text) if i in dates else _text_cell(sheet, text)
                for i, text in enumerate(row)
            ]
        )
    workbook.save(out)


def xlsx_bytes(rows: Iterable[Sequence[str]], header: Sequence[str] = EXPORT_COLUMN_NAMES) -> bytes:
    """The workbook's bytes. Only the compressed zip is held in memory: openpyxl writes the
    sheet itself to a temporary file of its own as the rows arrive."""
    out = io.BytesIO()
    write_xlsx(rows, out, header)
    return out.getvalue()


def _header_cell(sheet, name: str, font: Font) -> Cell:
    cell = WriteOnlyCell(sheet, value=name)
    cell.font = font
    return cell


def _date_cell(text: str) -> date | None:
    # The CSV's cells are ISO dates (YYYY-MM-DD); openpyxl gives a date value a date format.
    return date.fromisoformat(text) if text else None


def _text_cell(sheet, text: str) -> Cell | None:
    if not text:
        return None  # no cell rather than an empty string, as a spreadsheet user leaves it
    # XML cannot carry most control characters, and openpyxl refuses them; a note pasted from
    # elsewhere may hold one, and it must not stop the export.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    # openpyxl makes a formula of any string starting with "=": what people typed is text, so
    # the cell is typed as a string whatever it starts with (spreadsheets never run those). The
    # quote prefix also keeps it text when someone edits the cell and presses Enter. Unlike the
    # CSV's apostrophe, the value stays exactly what was typed.
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell
