"""Adding an import's new vendors with one INSERT of many rows per table.

Through the session, every new vendor, data sharing row and place would be an object that the
unit of work tracks, orders and writes, and that the audit trail reads back: for a first import
of thousands of vendors, several times the cost of the rows themselves. A new row has nothing to
compare with, so here it is made as plain values, the ones the services would give it: the same
name check, the columns the models' validators derive, the tier from the one risk rule, the
columns' defaults. The rows go with executemany on the session's connection, in its transaction;
the audit trail records them as a flush would (trail.record_created), and the stored compliance
judges them at commit (bulkwrites). Existing vendors still change through the services.
"""

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, insert

from vendortrack.database import reserve_ids
from vendortrack.extensions import db
from vendortrack.register.bulkwrites import note_bulk_written
from vendortrack.register.models import (
    DataSharing,
    ProcessingLocation,
    Vendor,
    contact_email_hmac,
    name_key,
    place_codes,
)
from vendortrack.register.risk import SharingFacts, assess_risk
from vendortrack.register.services import SHARING_FIELDS, VENDOR_FIELDS, check_name_length
from vendortrack.trail.recorder import record_created

# How the review feature dates a new vendor from its rows, before they are inserted:
# (vendor row, data sharing rows) -> (review_due_on, notice_deadline_on).
NewVendorSchedule = Callable[[Mapping, Sequence[Mapping]], tuple[date | None, date | None]]


@dataclass
class NewVendor:
    """The rows of one new vendor, as they will be inserted (_insert adds each one's id)."""

    vendor: dict
    sharings: list[dict]
    places: list[list[str]]  # the location codes of each data sharing row


def new_vendor(
    values: Mapping,
    sharings: Sequence[Mapping],
    home_country: str,
    schedule: NewVendorSchedule | None = None,
) -> NewVendor:
    """The rows of a vendor not in the register, from checked import values, dated by
    `schedule` (else left without a next review); raises VendorError as save_vendor would."""
    check_name_length(values["name"])
    name = values["name"].strip()
    places = [place_codes(item.get("location_codes", ())) for item in sharings]
    facts = [
        SharingFacts(item["category"], item.get("record_count"), tuple(codes))
        for item, codes in zip(sharings, places, strict=True)
    ]
    vendor = {field: values[field] for field in VENDOR_FIELDS if field in values} | {
        "name": name,
        "name_key": name_key(name),
        "contact_email_hmac": contact_email_hmac(values.get("contact_email")),
        "risk_tier": assess_risk(values["criticality"], facts, home_country).tier,
    }
    vendor = _complete(Vendor.__table__, vendor)
    rows = [  # their vendor_id once the vendor has its id
        _complete(DataSharing.__table__, {f: item[f] for f in SHARING_FIELDS if f in item})
        for item in sharings
    ]
    if schedule is not None:
        vendor["review_due_on"], vendor["notice_deadline_on"] = schedule(vendor, rows)
    return NewVendor(vendor, rows, places)


def insert_vendors(new: Sequence[NewVendor]) -> list[int]:
    """Insert these vendors with their data sharing and places; return their ids, in order."""
    vendor_ids = _insert(Vendor.__table__, [n.vendor for n in new])
    sharings, places = [], []
    for vendor_id, vendor in zip(vendor_ids, new, strict=True):
        for sharing, codes in zip(vendor.sharings, vendor.places, strict=True):
            sharing["vendor_id"] = vendor_id
            sharings.append(sharing)
            places.append(codes)
    sharing_ids = _insert(DataSharing.__table__, sharings)
    locations = [
        _complete(ProcessingLocation.__table__, {"data_sharing_id": sharing_id, "code": code})
        for sharing_id, codes in zip(sharing_ids, places, strict=True)
        for code in codes
    ]
    _insert(ProcessingLocation.__table__, locations)
    vendor_of_sharing = {row["id"]: row["vendor_id"] for row in sharings}
    record_created(Vendor, [n.vendor for n in new], vendor_ids)
    record_created(DataSharing, sharings, [row["vendor_id"] for row in sharings])
    record_created(
        ProcessingLocation,
        locations,
        [vendor_of_sharing[row["data_sharing_id"]] for row in locations],
    )
    note_bulk_written(db.session, vendor_ids)
    return vendor_ids


def _complete(table: Table, values: dict) -> dict:
    """The row with every column the database does not fill itself: the value given, else (as
    a flush does for a value left at None) the column's default, made now, else None."""
    row = {}
    for key, default in _fills(table):
        if values.get(key) is not None:
            row[key] = values[key]
        elif default is None:
            row[key] = None
        else:
            row[key] = default.arg(None) if default.is_callable else default.arg
    return row


@functools.cache  # the same for every row of a table
def _fills(table: Table) -> list[tuple[str, Any]]:
    """(key, default or None) of each column an INSERT of the table names: all but the id and
    those only the database fills (server defaults)."""
    return [
        (column.key, column.default)
        for column in table.columns
        if not column.primary_key and (column.default is not None or column.server_default is None)
    ]


def _insert(table: Table, rows: list[dict]) -> list[int]:
    """INSERT the rows with ids reserved for them (one executemany); return the ids, in order.

    Each row's dict gets its "id", which the rows naming it and the audit entries then read."""
    if not rows:
        return []
    ids = reserve_ids(db.session, table, len(rows))
    for row, row_id in zip(rows, ids, strict=True):
        row["id"] = row_id
    db.session.connection().execute(insert(table), rows)
    return ids
