"""Compliance as the vendor register shows it: its list with each vendor's status, one vendor's
status, and the export with the status and reasons (CSV and XLSX).

The public face of this package for the vendors' pages and commands: they call the functions
here and nothing else of it. The vendors feature writes the register's rows
(vendortrack.register.bulk, .listing); this module adds compliance to them. It lives here because
compliance depends on vendors, never the reverse. The reasons are rule codes, not labels, so that
a file says the same in every language and a script can read it.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date

from sqlalchemy import select

from vendortrack.compliance.rules import BY_CODE, REASON_LABELS, STATUS_LABELS, status_of
from vendortrack.compliance.status import Assessment
from vendortrack.compliance.stored import bring_up_to_date
from vendortrack.compliance.stored import status_counts as stored_status_counts
from vendortrack.extensions import db
from vendortrack.paging import Page
from vendortrack.register.bulk import count_export_rows, export_records
from vendortrack.register.labels import translated
from vendortrack.register.listing import VendorFilter, list_vendors
from vendortrack.register.models import Vendor

ASSESS_BATCH = 500  # vendors assessed in one query while exporting
REASON_SEPARATOR = "; "

Assessor = Callable[[list[int]], Mapping[int, list[str]]]


def vendor_page(f: VendorFilter, per_page: int, today: date) -> tuple[Page, dict]:
    """One page of the vendor list, its compliance filter included, and {vendor id: Assessment}
    for the vendors on it (terminated vendors absent)."""
    bring_up_to_date(today)  # before the list loads its rows, which then carry it
    page = list_vendors(f, per_page)
    return page, {
        vendor.id: _assessment(vendor.compliance_reasons.split())
        for vendor in page.rows
        if vendor.compliance_status is not None
    }


def labels() -> tuple[dict[str, str], dict[str, str]]:
    """The statuses' and the reasons' labels, translated once for a page that shows many."""
    return translated(STATUS_LABELS), translated(REASON_LABELS)


def vendor_compliance(vendor_id: int, today: date) -> Assessment | None:
    """A vendor's status and the rules it breaks today; None for a terminated vendor."""
    bring_up_to_date(today)
    return _assessments([vendor_id]).get(vendor_id)


def status_counts(today: date) -> dict[str, int]:
    """{overdue, action, compliant: how many vendors} today, terminated vendors left out."""
    return stored_status_counts(today)


def export_rows_with_compliance(f: VendorFilter, today: date) -> Iterator[list[str]]:
    """The export's rows (EXPORT_COLUMN_NAMES) for the list's filters, its compliance filter
    included, each ending with its vendor's status and reasons today. Streamed: one query for the
    rows, one per batch of vendors for their stored status."""
    bring_up_to_date(today)
    return with_compliance(export_records(f), _stored_reasons)


def count_rows(f: VendorFilter, today: date) -> int:
    """How many rows export_rows_with_compliance will give, for a progress bar."""
    bring_up_to_date(today)
    return count_export_rows(f)


def _stored_reasons(vendor_ids: list[int]) -> dict[int, list[str]]:
    """{vendor id: its stored reason codes}; terminated vendors absent."""
    # Read as columns, not from vendor objects the session may have loaded before the
    # statuses were brought up to date.
    rows = db.session.execute(
        select(Vendor.id, Vendor.compliance_reasons).where(
            Vendor.id.in_(vendor_ids), Vendor.compliance_status.is_not(None)
        )
    )
    return {vendor_id: reasons.split() for vendor_id, reasons in rows}


def _assessments(vendor_ids: list[int]) -> dict[int, Assessment]:
    return {
        vendor_id: _assessment(codes) for vendor_id, codes in _stored_reasons(vendor_ids).items()
    }


def _assessment(codes: list[str]) -> Assessment:
    return Assessment(status_of(codes), [BY_CODE[code] for code in codes])


def with_compliance(
    records: Iterable[tuple[int, list[str]]], assessor: Assessor, batch: int = ASSESS_BATCH
) -> Iterator[list[str]]:
    """Each record's cells followed by compliance_status and compliance_reasons, in the same
    order. assessor ({vendor id: rule codes}, terminated vendors absent) is asked about `batch`
    vendors at a time, so the rows of a batch wait in memory, never the whole register."""
    waiting: list[tuple[int, list[str]]] = []
    vendor_ids: dict[int, None] = {}  # a set that keeps the list's order
    for vendor_id, cells in records:
        if vendor_id not in vendor_ids and len(vendor_ids) == batch:
            yield from _assessed(waiting, assessor(list(vendor_ids)))
            waiting, vendor_ids = [], {}
        vendor_ids[vendor_id] = None
        waiting.append((vendor_id, cells))
    if waiting:
        yield from _assessed(waiting, assessor(list(vendor_ids)))


def _assessed(
    records: list[tuple[int, list[str]]], found: Mapping[int, list[str]]
) -> Iterator[list[str]]:
    for vendor_id, cells in records:
        codes = found.get(vendor_id)
        if codes is None:  # a terminated vendor is not assessed
            yield [*cells, "", ""]
        else:
            yield [*cells, status_of(codes), REASON_SEPARATOR.join(codes)]
