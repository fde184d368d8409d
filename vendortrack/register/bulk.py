"""Importing and exporting the register as CSV: the database side of csvfile.

An import is the truth for the vendors it names: each vendor's columns are updated, its data
sharing rows are created or updated by category, and its rows whose category the file does not list
are removed. Vendors the file does not name are untouched. Functions flush; the caller commits only
when the whole import went through, so a rejected import writes nothing.

Imports run one at a time (lock_imports): two interleaved would each write over what the other
read, and leave vendors matching neither file.
"""

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql.functions import aggregate_strings

from vendortrack.accounts.models import User
from vendortrack.crypto import KEYS_VARIABLE
from vendortrack.database import LockNotTaken, hold_lock
from vendortrack.extensions import db
from vendortrack.register.bulkwrites import lock_vendors
from vendortrack.register.contacts import (
    contact_tokens,
    decrypt_contacts,
    set_contacts,
    warn_unreadable,
)
from vendortrack.register.csvcolumns import CODE_SEPARATOR, COLUMN_OF_FIELD
from vendortrack.register.csvfile import (
    UNREADABLE_CELL,
    ParsedImport,
    RowError,
    VendorRecord,
    format_row,
    read_vendor_csv,
)
from vendortrack.register.listing import VendorFilter, conditions, vendor_query
from vendortrack.register.models import (
    DataSharing,
    ProcessingLocation,
    Vendor,
)
from vendortrack.register.newvendors import (
    NewVendor,
    NewVendorSchedule,
    insert_vendors,
    new_vendor,
)
from vendortrack.register.services import VendorError, remove_sharing, save_sharing, save_vendor

EXPORT_BATCH = 1000  # rows fetched from the database at a time while exporting
IMPORT_BATCH = 500  # vendors looked up in one query and written in one flush while importing
# The key of the lock every import holds, on PostgreSQL: any number no other lock uses ("vendors"
# in ASCII; the sign-in throttle's keys are hashes of emails).
IMPORT_LOCK = 0x76656E646F7273
# How long an import waits for one under way before telling its user to try again: long enough
# for a usual file, short of a web server's time limit for a request.
IMPORT_WAIT_SECONDS = 10
IMPORT_BUSY = _l("Another import is running, so nothing was imported; try again in a moment.")


class ImportRejected(Exception):
    """The import cannot be written; errors say where and why. Nothing may be committed."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


class ImportBusy(Exception):
    """Another import kept the register for longer than an import waits. Nothing may be
    committed: roll back."""

    def __init__(self):
        super().__init__(IMPORT_BUSY)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    sharing_rows: int = 0
    removed: int = 0
    vendor_ids: list[int] = field(default_factory=list)  # every vendor the file named
    updated_ids: list[int] = field(default_factory=list)  # those already in the register

    def __str__(self) -> str:
        return _(
            "Vendors added: %(created)s, updated: %(updated)s. Data sharing rows saved: "
            "%(saved)s, removed: %(removed)s.",
            created=format_decimal(self.created),
            updated=format_decimal(self.updated),
            saved=format_decimal(self.sharing_rows),
            removed=format_decimal(self.removed),
        )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for an import, from reading the file to the commit.

    Each row makes a few small containers (values, rows, audit entries) that live until the
    file is written: the collector, run every few hundred allocations, would go through them
    (and the rest of the application) again and again for cycles they do not have, a quarter of
    a large import's time. Whatever cycles the import leaves are collected once it is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def lock_imports() -> None:
    """Wait for an import under way to end, then keep every other one waiting until this
    transaction ends; raise ImportBusy after IMPORT_WAIT_SECONDS.

    Call it first, before check_import reads the register.
    """
    try:
        hold_lock(db.session, IMPORT_LOCK, IMPORT_WAIT_SECONDS)
    except LockNotTaken as error:
        raise ImportBusy() from error


def check_import(data: bytes) -> ParsedImport:
    """Read and check an import file against the register's users; writes nothing."""
    # Any user may be named owner, a deactivated one too: the vendor form keeps a deactivated
    # owner until someone reassigns the vendor, so an export names them and must read back.
    owners = dict(db.session.execute(select(User.email, User.id)).all())
    return read_vendor_csv(data, owners)


def import_vendors(
    data: bytes, home_country: str, schedule: NewVendorSchedule | None = None
) -> ImportSummary:
    """Check and write a whole import file, or raise ImportRejected with every problem (or
    ImportBusy). `schedule` dates the vendors it adds (see apply_import)."""
    lock_imports()
    parsed = check_import(data)
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    return apply_import(parsed, home_country, schedule=schedule)


def apply_import(
    parsed: ParsedImport,
    home_country: str,
    progress: Callable[[int], object] = lambda n: None,
    schedule: NewVendorSchedule | None = None,
) -> ImportSummary:
    """Write a checked import, a batch of vendors per query and per flush.

    The vendors it adds are dated by `schedule` as they are inserted (the review feature's
    reviews.services.new_vendor_schedule); the caller refreshes the dates of summary.updated_ids.
    progress(1) is called after each vendor.
    """
    summary = ImportSummary()
    _lock_named([record.key for record in parsed.vendors])
    for start in range(0, len(parsed.vendors), IMPORT_BATCH):
        batch = parsed.vendors[start : start + IMPORT_BATCH]
        _apply_batch(batch, home_country, summary, progress, schedule)
    return summary


def _lock_named(keys: list[str]) -> None:
    """Lock the file's vendors already in the register, all of them in id order, before any
    is changed (PostgreSQL; on SQLite lock_imports holds the whole database).

    The batches change them in the file's order, and whatever else writes many vendors locks
    them in id order (bulkwrites.lock_vendors): two transactions taking the same rows in
    different orders can each wait for the other, and the database then aborts one.
    """
    if db.session.connection().dialect.name != "postgresql":
        return  # no row locks to take: lock_imports took the database's write lock
    ids = []
    for start in range(0, len(keys), IMPORT_BATCH):
        chunk = sorted(set(keys[start : start + IMPORT_BATCH]))
        ids += db.session.scalars(select(Vendor.id).where(Vendor.name_key.in_(chunk)))
    ids.sort()
    for start in range(0, len(ids), IMPORT_BATCH):
        lock_vendors(ids[start : start + IMPORT_BATCH])


def _apply_batch(
    records: list[VendorRecord],
    home_country: str,
    summary: ImportSummary,
    progress: Callable[[int], object],
    schedule: NewVendorSchedule | None,
) -> None:
    """Write a batch of vendors: one query finds those that exist, which the services change
    (one flush); the others are inserted as rows (newvendors)."""
    existing = _vendors_named([record.key for record in records])
    new = []
    for record in records:
        vendor = existing.get(record.key)
        try:
            if vendor is None:
                new.append(_new_vendor(record, home_country, summary, schedule))
            else:
                _apply_vendor(record, vendor, home_country, summary)
        except VendorError as error:
            column = COLUMN_OF_FIELD.get(error.field or "name")
            raise ImportRejected([RowError(record.row, column, error.args[0])]) from error
        progress(1)
    db.session.flush()
    updated = [vendor.id for vendor in existing.values()]
    summary.updated_ids += updated
    summary.vendor_ids += updated + insert_vendors(new)


def _vendors_named(keys: list[str]) -> dict[str, Vendor]:
    """The existing vendors with these name keys, with their contact, data sharing and
    locations (all of which the import compares with the file).

    A contact no configured key opens is loaded as empty (contacts.set_contacts), so the file's
    value replaces it.
    """
    query = (
        select(Vendor, *contact_tokens())
        .where(Vendor.name_key.in_(sorted(set(keys))))
        .options(selectinload(Vendor.sharings).selectinload(DataSharing.locations))
    )
    found, unreadable = {}, []
    for vendor, *tokens in db.session.execute(query):
        found[vendor.name_key] = vendor
        if set_contacts(vendor, tokens):
            unreadable.append(vendor.id)
    if unreadable:
        warn_unreadable(unreadable)
    return found


def _new_vendor(
    record: VendorRecord,
    home_country: str,
    summary: ImportSummary,
    schedule: NewVendorSchedule | None,
) -> NewVendor:
    # The reader refused names repeated in the file, and categories repeated for a vendor.
    sharings = [item.values for item in record.sharings]
    new = new_vendor(record.values, sharings, home_country, schedule)
    summary.created += 1
    summary.sharing_rows += len(new.sharings)
    return new


def _apply_vendor(
    record: VendorRecord, vendor: Vendor, home_country: str, summary: ImportSummary
) -> None:
    summary.updated += 1
    # The reader refused names repeated in the file and _vendors_named found those already in the
    # register, so the services need not look each name up again.
    save_vendor(vendor, record.values, home_country, check_name=False, flush=False)
    _apply_sharings(record, vendor, home_country, summary)


def _apply_sharings(
    record: VendorRecord, vendor: Vendor, home_country: str, summary: ImportSummary
) -> None:
    """Make the vendor's data sharing rows the file's, matched by category."""
    listed = {item.values["category"] for item in record.sharings}
    for sharing in [s for s in vendor.sharings if s.category not in listed]:
        remove_sharing(vendor, sharing, home_country, flush=False)
        summary.removed += 1
    current = {sharing.category: sharing for sharing in vendor.sharings}
    for item in record.sharings:
        sharing = current.get(item.values["category"])
        # Rows a re-import leaves as they are are not touched, so their updated_at stays true;
        # save_vendor has already refreshed the tier from them.
        if sharing is None or not _unchanged(sharing, item.values):
            save_sharing(vendor, sharing or DataSharing(), item.values, home_country, flush=False)
        summary.sharing_rows += 1


def _unchanged(sharing: DataSharing, values: dict) -> bool:
    return all(getattr(sharing, name) == value for name, value in values.items())


def export_records(f: VendorFilter) -> Iterator[tuple[int, list[str]]]:
    """(vendor id, cells) of each export row for the vendors the filter selects, in the list's
    order, so that a vendor's rows follow one another.

    One query, streamed a batch at a time: vendors with their owner, joined to their data sharing,
    each row carrying its location codes aggregated by the database.
    """
    # The joined rows under another name: the category filter's EXISTS over a vendor's data
    # sharing must see all of its rows, not be correlated to the joined one.
    joined = aliased(DataSharing)
    locations = (
        select(aggregate_strings(ProcessingLocation.code, CODE_SEPARATOR))
        .where(ProcessingLocation.data_sharing_id == joined.id)
        .scalar_subquery()
    )
    query = (
        vendor_query(f)
        .outerjoin(joined, joined.vendor_id == Vendor.id)
        .add_columns(joined, locations, *contact_tokens())
        .order_by(joined.id)
        .execution_options(yield_per=EXPORT_BATCH)
    )
    # The contacts come as tokens, decrypted here once per vendor: one that no key opens must not
    # stop a download already under way (a short file that looks complete), so its cells say so.
    last_id, contacts, warned = None, {}, False
    for vendor, sharing, codes, *tokens in db.session.execute(query):
        if vendor.id != last_id:
            last_id, contacts = vendor.id, decrypt_contacts(tokens, UNREADABLE_CELL)
            if not warned and UNREADABLE_CELL in contacts.values():
                warned = _warn_unreadable_export(vendor.id)
        owner_email = vendor.owner.email if vendor.owner else None
        yield vendor.id, format_row(vendor, owner_email, sharing, _sorted_codes(codes), contacts)


def _warn_unreadable_export(vendor_id: int) -> bool:
    # Once per export: with a key lost, every row would say the same.
    current_app.logger.warning(
        "vendor export: contact details (first in vendors row %s) cannot be decrypted with the "
        "keys in %s; they are written as %s. The key that encrypted them must be in the list.",
        vendor_id,
        KEYS_VARIABLE,
        UNREADABLE_CELL,
    )
    return True


def export_rows(f: VendorFilter) -> Iterator[list[str]]:
    """The export's rows (the COLUMN_NAMES cells) for the vendors the filter selects."""
    return (cells for _vendor_id, cells in export_records(f))


def _sorted_codes(codes: str | None) -> list[str]:
    # The database aggregates in no particular order; the model orders locations by code.
    return sorted(codes.split(CODE_SEPARATOR)) if codes else []


def count_export_rows(f: VendorFilter) -> int:
    """How many rows export_records will give, for a progress bar."""
    joined = aliased(DataSharing)  # as in export_records
    query = (
        select(func.count())
        .select_from(Vendor)
        .outerjoin(joined, joined.vendor_id == Vendor.id)
        .where(*conditions(f))
    )
    return db.session.scalar(query) or 0
