"""CSV files that open safely in a spreadsheet: no cell typed by a person runs as a formula.

Used by every export (vendors, the audit trail, the evidence pack) and by the vendor import,
which reads its own exports back.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection). Exported
# cells that would be are prefixed with an apostrophe, which spreadsheets show as text, and an
# import removes it again so that the file still round-trips. Phone numbers and signed numbers
# ("+1 514 555 0100", "-5") are left alone: spreadsheets read those as numbers, not formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_LIKE = re.compile(r"[+-][\d\s().+-]*")
# Tells spreadsheets the file is UTF-8, so that accents open as written.
BOM = "\ufeff"


def guard_formula(cell: str) -> str:
    """Make a cell that a spreadsheet would run as a formula read as text instead."""
    if cell.startswith(FORMULA_STARTS) and not NUMBER_LIKE.fullmatch(cell):
        return "'" + cell
    return cell


def unguard_formula(cell: str) -> str:
    """Undo guard_formula on a cell read back from a file we exported."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def csv_chunks(
    rows: Iterable[Sequence[str]], header: Sequence[str], bom: bool = False, batch: int = 500
) -> Iterator[str]:
    """The CSV file as text, header first, a batch of rows at a time, for streaming. Every cell
    is guarded: what people typed must never run as a spreadsheet formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM if bom else "")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([guard_formula(cell) for cell in row])
        if count % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[str]], header: Sequence[str]) -> bytes:
    """A whole CSV file, as the exports write one (a byte order mark, guarded cells), in UTF-8."""
    return "".join(csv_chunks(rows, header, bom=True)).encode("utf-8")
