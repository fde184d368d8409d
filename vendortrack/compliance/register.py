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

from flask import current_app

from vendortrack.compliance.rules import status_of
from vendortrack.compliance.status import Assessment, assess, assessments, status_condition
from vendortrack.organisation.services import home_country
from vendortrack.paging import Page
from vendortrack.register.bulk import count_export_rows, export_records
from vendortrack.register.listing import VendorFilter, list_vendors

ASSESS_BATCH = 500  # vendors assessed in one query while exporting
REASON_SEPARATOR = "; "

Assessor = Callable[[list[int]], Mapping[int, list[str]]]


def vendor_page(f: VendorFilter, per_page: int, today: date) -> tuple[Page, dict]:
    """One page of the vendor list, its compliance filter included, and {vendor id: Assessment}
    for the vendors on it (terminated vendors absent)."""
    page = list_vendors(f, per_page, _also(f, today))
    return page, assessments([vendor.id for vendor in page.rows], today)


def vendor_compliance(vendor_id: int, today: date) -> Assessment | None:
    """A vendor's status and the rules it breaks today; None for a terminated vendor."""
    return assessments([vendor_id], today).get(vendor_id)


def export_rows_with_compliance(f: VendorFilter, today: date) -> Iterator[list[str]]:
    """The export's rows (EXPORT_COLUMN_NAMES) for the list's filters, its compliance filter
    included, each ending with its vendor's status and reasons today. Streamed: one query for the
    rows, one per batch of vendors for their assessment."""
    library, home = current_app.extensions["clause_library"], home_country()
    records = export_records(f, _also(f, today))
    return with_compliance(records, lambda ids: assess(ids, today, library, home))


def count_rows(f: VendorFilter, today: date) -> int:
    """How many rows export_rows_with_compliance will give, for a progress bar."""
    return count_export_rows(f, _also(f, today))


def _also(f: VendorFilter, today: date) -> list:
    # The list's compliance filter is ours to turn into a condition, as the list's view does.
    return [status_condition(f.compliance, today)] if f.compliance else []


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
