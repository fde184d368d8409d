"""The vendor CSV file: reading and checking an import, writing an export.

One row per data-sharing row: the vendor's columns repeat on every row of that vendor, and a vendor
without data sharing is one row whose data-sharing columns are empty. The columns themselves are in
csvcolumns. Pure: no request, no database. Messages are lazy, and so are the numbers in them: each
reader sees them in their own language when they are shown (the web in the user's, the command
line in English).
"""

import codecs
import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from vendortrack.geography import country_of
from vendortrack.register.csvcolumns import (
    COLUMN_OF_FIELD,
    COLUMNS,
    EXPORT_COLUMN_NAMES,
    READ_ONLY,
    SHARING,
    SHARING_COLUMNS,
    VENDOR_COLUMNS,
    CellError,
    Column,
    lazy_number,
)
from vendortrack.register.models import name_key
from vendortrack.spreadsheet import unguard_formula

MAX_ROWS = 200_000
# An export's contact cell whose stored value no configured key decrypts. Files say the same in
# every language. Read back, the cell leaves the stored value as it is rather than storing this.
UNREADABLE_CELL = "(unreadable)"
CONTACT_COLUMNS = frozenset({"contact_name", "contact_email", "contact_phone"})

# Messages without values, here so that the code using them stays short.
REQUIRED = _l("This column is required.")
EMPTY_FILE = _l("The file is empty: its first row must name the columns.")
MISSING_COLUMN = _l(
    "This column is missing. Every column except risk_tier is required, even when its cells are "
    "empty."
)
UNKNOWN_COLUMN = _l("Unknown column. The columns are listed on the import page.")
REPEATED_COLUMN = _l("This column appears more than once.")
NOT_UTF8 = _l(
    "This is not UTF-8 text. Save the file as “CSV UTF-8” from your spreadsheet and import it "
    "again."
)
UNREADABLE_ROW = _l("This row cannot be read as CSV.")
TOO_MANY_CELLS = _l("This row has more cells than the first row has columns.")
NO_CATEGORY = _l("This row has no category: give one, or leave every data-sharing column empty.")
ENDS_BEFORE_START = _l("The contract cannot end before it starts.")
NO_PURPOSE = _l("Say why the vendor receives this information.")
NO_CONSENT = _l("Give the kind of consent: express, implied or opt_out.")
BOTH_RETENTIONS = _l("Give retention_months or retention_until_contract_end, not both.")
HOLDS_NUL = _l(
    "This cell holds an invisible character (NUL) that cannot be saved; type the cell again."
)
NO_RETENTION = _l("Say how long the vendor keeps this information.")


@dataclass(frozen=True)
class RowError:
    """One problem in an import, where a spreadsheet user finds it (the header is row 1)."""

    row: int
    column: str | None
    message: Any  # a lazy string, translated when shown

    def __str__(self) -> str:
        if self.column:
            return _(
                "Row %(row)s, column %(column)s: %(message)s",
                row=self.row,
                column=self.column,
                message=self.message,
            )
        return _("Row %(row)s: %(message)s", row=self.row, message=self.message)


@dataclass
class SharingRecord:
    row: int
    values: dict[str, Any]  # in services.save_sharing's terms


@dataclass
class VendorRecord:
    row: int  # the first row of this vendor
    key: str  # its name's models.name_key, which finds it in the register
    values: dict[str, Any]  # in services.save_vendor's terms
    sharings: list[SharingRecord] = field(default_factory=list)


@dataclass
class ParsedImport:
    vendors: list[VendorRecord]
    errors: list[RowError]


def read_vendor_csv(
    data: bytes, owners: Mapping[str, int], max_rows: int = MAX_ROWS
) -> ParsedImport:
    """Read and check a whole import file, reporting every problem; nothing is written.

    owners maps the email of each user who may own a vendor to their id.
    """
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return ParsedImport([], [_encoding_error(data, error.start)])
    reader = _Reader(owners)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        reader.read(rows, max_rows)
    except csv.Error as error:
        reader.errors.append(RowError(reader.row + 1, None, _csv_problem(error)))
    return ParsedImport(list(reader.vendors.values()), reader.errors)


def _csv_problem(error: csv.Error) -> Any:
    # The csv module's reasons are English and technical; say the one a user can meet in ours.
    if str(error).startswith("field larger than field limit"):
        limit = lazy_number(csv.field_size_limit())
        return _l("A cell is longer than %(max)s characters.", max=limit)
    return UNREADABLE_ROW


def _delimiter(text: str) -> str:
    # Spreadsheets set to French separate cells with semicolons; column names contain neither.
    end = text.find("\n")
    header = text if end < 0 else text[:end]
    return ";" if ";" in header and "," not in header else ","


def _encoding_error(data: bytes, position: int) -> RowError:
    """Name the row and column of the first bytes that are not UTF-8."""
    before = data[:position].decode("utf-8") + "?"  # "?" stands in for the bad bytes
    rows = list(csv.reader(io.StringIO(before, newline=""), delimiter=_delimiter(before)))
    header = [name.strip().lower() for name in rows[0]]
    row, cells = len(rows), rows[-1]  # the last row read is the one with the bad bytes
    column = header[len(cells) - 1] if row > 1 and len(cells) <= len(header) else None
    return RowError(row, column, NOT_UTF8)


class _Reader:
    """Reads rows one by one, grouping them by vendor and collecting every problem."""

    def __init__(self, owners: Mapping[str, int]):
        self.owners = owners
        self.vendors: dict[str, VendorRecord] = {}
        # The vendor cells of the row each vendor's values came from, or None while every row of
        # that vendor had errors: a row repeating them exactly needs no second check.
        self.reference: dict[str, tuple[str, ...] | None] = {}
        self.errors: list[RowError] = []
        self.row = 0

    def read(self, rows: Iterator[list[str]], max_rows: int) -> None:
        header = self.read_header(next(rows, None))
        self.row = 1
        if header is None:
            return
        for cells in rows:
            self.row += 1
            if self.row > max_rows + 1:
                message = _l(
                    "The file has more than %(max)s rows; split it into smaller files.",
                    max=lazy_number(max_rows),
                )
                self.errors.append(RowError(self.row, None, message))
                return
            self.read_row(header, [cell.strip() for cell in cells])

    def read_header(self, cells: list[str] | None) -> list[str] | None:
        if not cells:
            self.errors.append(RowError(1, None, EMPTY_FILE))
            return None
        names = [cell.strip().lower() for cell in cells]
        errors = [_header_error(names, index) for index in range(len(names))]
        errors += [
            RowError(1, c.name, MISSING_COLUMN)
            for c in COLUMNS
            if c.part != READ_ONLY and c.name not in names
        ]
        self.errors += [error for error in errors if error]
        return None if self.errors else names

    def read_row(self, header: list[str], cells: list[str]) -> None:
        if not any(cells):
            return  # spreadsheets leave blank rows behind
        if any(cells[len(header) :]):
            self.errors.append(RowError(self.row, None, TOO_MANY_CELLS))
            return
        values = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
        record = self.read_vendor(values)
        sharing, errors = parse_sharing(self.row, values)
        self.errors += errors
        if record is not None and sharing is not None:
            self.add_sharing(record, SharingRecord(self.row, sharing))

    def read_vendor(self, cells: dict[str, str]) -> VendorRecord | None:
        key = name_key(cells["vendor_name"])
        raw = tuple(cells[c.name] for c in VENDOR_COLUMNS)
        record = self.vendors.get(key)
        if record is not None and self.reference[key] == raw:
            return record
        values, errors = parse_vendor(self.row, cells, self.owners)
        self.errors += errors
        if not key:
            return None
        if record is None:
            record = self.vendors[key] = VendorRecord(self.row, key, values)
            self.reference[key] = None if errors else raw
        elif not errors and self.reference[key] is None:
            record.values, self.reference[key] = values, raw
        elif not errors:
            self.errors += _disagreements(record, self.row, values)
        return record

    def add_sharing(self, record: VendorRecord, sharing: SharingRecord) -> None:
        category = sharing.values["category"]
        first = next((s for s in record.sharings if s.values["category"] == category), None)
        if first is None:
            record.sharings.append(sharing)
            return
        message = _l(
            "Row %(first)s already gives %(category)s for this vendor; a vendor has one row per "
            "category.",
            first=first.row,
            category=category,
        )
        self.errors.append(RowError(sharing.row, "category", message))


def _header_error(names: list[str], index: int) -> RowError | None:
    name = names[index]
    if not name:
        return RowError(1, None, _l("Column %(number)s has no name.", number=index + 1))
    if name not in EXPORT_COLUMN_NAMES:  # an export's read-only columns are accepted, unread
        return RowError(1, name, UNKNOWN_COLUMN)
    if names.index(name) != index:
        return RowError(1, name, REPEATED_COLUMN)
    return None


def _disagreements(record: VendorRecord, row: int, values: dict[str, Any]) -> list[RowError]:
    message = _l(
        "Differs from row %(first)s of the same vendor; repeat the vendor's columns identically "
        "on each of its rows.",
        first=record.row,
    )
    return [
        RowError(row, COLUMN_OF_FIELD[name], message)
        for name, value in values.items()
        if record.values.get(name) != value
    ]


def _parse_cells(
    row: int, cells: Mapping[str, str], columns: Sequence[Column]
) -> tuple[dict[str, Any], list[RowError]]:
    values, errors = {}, []
    for column in columns:
        value = unguard_formula(cells[column.name])
        try:
            if "\x00" in value:  # PostgreSQL stores no NUL, in any column
                raise CellError(HOLDS_NUL)
            if value:
                values[column.field] = column.parse(value)
            elif column.required:
                raise CellError(REQUIRED)
            else:
                values[column.field] = column.empty()
        except CellError as error:
            errors.append(RowError(row, column.name, error.message))
    return values, errors


def parse_vendor(
    row: int, cells: Mapping[str, str], owners: Mapping[str, int]
) -> tuple[dict[str, Any], list[RowError]]:
    """One row's vendor columns in the model's terms, with the owner's email turned into an id.

    A contact column holding UNREADABLE_CELL is left out, so the stored contact stays as it is.
    """
    columns = [c for c in VENDOR_COLUMNS if not _kept_as_stored(c, cells)]
    values, errors = _parse_cells(row, cells, columns)
    errors += _vendor_rules(row, values)
    email = values.get("owner_id")
    if email:
        values["owner_id"] = owners.get(email)
        if values["owner_id"] is None:
            message = _l("No user has the email %(value)s.", value=email)
            errors.append(RowError(row, "owner_email", message))
    return values, errors


def _kept_as_stored(column: Column, cells: Mapping[str, str]) -> bool:
    return column.name in CONTACT_COLUMNS and cells[column.name] == UNREADABLE_CELL


def _vendor_rules(row: int, values: dict[str, Any]) -> list[RowError]:
    """What the vendor columns must say together; columns that did not parse are not in values."""
    errors = []
    subdivision, country = values.get("subdivision"), values.get("country")
    if subdivision and country and country_of(subdivision) != country:
        message = _l(
            "%(value)s is not in the country %(country)s.", value=subdivision, country=country
        )
        errors.append(RowError(row, "subdivision", message))
    start, end = values.get("contract_start"), values.get("contract_end")
    if start and end and end < start:
        errors.append(RowError(row, "contract_end", ENDS_BEFORE_START))
    return errors


def parse_sharing(
    row: int, cells: Mapping[str, str]
) -> tuple[dict[str, Any] | None, list[RowError]]:
    """One row's data-sharing columns in the model's terms; None when the row has no category."""
    if not cells["category"]:
        filled = next((c.name for c in SHARING_COLUMNS if cells[c.name]), None)
        if filled is None:
            return None, []
        return None, [RowError(row, filled, NO_CATEGORY)]
    values, errors = _parse_cells(row, cells, SHARING_COLUMNS)
    errors += _sharing_rules(row, values)
    return (values if not errors else None), errors


def _sharing_rules(row: int, values: dict[str, Any]) -> list[RowError]:
    """What a row with a category must also say; columns that did not parse are not in values."""
    errors = []
    if "purpose" in values and not values["purpose"]:
        errors.append(RowError(row, "purpose", NO_PURPOSE))
    if "consent_basis" in values and values["consent_basis"] is None:
        errors.append(RowError(row, "consent_basis", NO_CONSENT))
    if "retention_months" in values and "retention_until_contract_end" in values:
        months, until_end = values["retention_months"], values["retention_until_contract_end"]
        if months and until_end:
            errors.append(RowError(row, "retention_months", BOTH_RETENTIONS))
        elif not months and not until_end:
            errors.append(RowError(row, "retention_months", NO_RETENTION))
    return errors


def format_row(
    vendor: Any,
    owner_email: str | None,
    sharing: Any | None,
    location_codes: Sequence[str],
    contacts: Mapping[str, str | None],
) -> list[str]:
    """A Vendor and one of its DataSharing rows (or None) as the cells of one CSV row.

    The owner's email, the location codes and the contact (decrypted, or UNREADABLE_CELL) are
    given, so that formatting never queries nor decrypts.
    """
    cells = []
    for column in COLUMNS:
        if column.field == "owner_id":
            value = owner_email
        elif column.name in CONTACT_COLUMNS:
            value = contacts[column.field]
        elif column.part != SHARING:
            value = getattr(vendor, column.field)
        elif sharing is None:
            cells.append("")
            continue
        elif column.field == "location_codes":
            value = location_codes
        else:
            value = getattr(sharing, column.field)
        cells.append(column.show(value))
    return cells
