"""Which vendors a transaction's changes may have moved, noted as the session flushes them.

A row the rules read names its vendor (the vendor itself, its data sharing, addenda, reviews) or
its parent (a place its data sharing, a clause its addendum, a condition its review), which
stored.vendors_of resolves with one query per kind when the commit comes. Deleted rows are read
before the flush, where loading an expired attribute is still possible; new and changed rows
after it, when new rows have their keys. A row moved to another parent names both. Orphans and
rows the database deletes by cascade are never in the session's lists, but their parent is
(changed by losing them, or deleted), and names the vendor.
"""

from dataclasses import dataclass, field

from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import PASSIVE_NO_INITIALIZE, get_history

from vendortrack.addenda.models import Addendum, AddendumClause
from vendortrack.assurance.models import RequiredDocument, VendorDocument
from vendortrack.contracts.models import AgreementCheck, AgreementFinding
from vendortrack.organisation.models import STANDING_FIELDS, OrganisationSettings
from vendortrack.register.bulkwrites import take_bulk_written
from vendortrack.register.models import (
    DataSharing,
    ProcessingLocation,
    SubProcessorChange,
    Vendor,
)
from vendortrack.reviews.models import Review, ReviewCondition

NOTED = "vendortrack_compliance_noted"


@dataclass
class Noted:
    vendors: set[int] = field(default_factory=set)
    sharings: set[int] = field(default_factory=set)
    addenda: set[int] = field(default_factory=set)
    reviews: set[int] = field(default_factory=set)
    checks: set[int] = field(default_factory=set)  # of the vendors' own agreements
    everyone: bool = False  # a setting the facts read changed: every vendor's facts may have

    def __bool__(self) -> bool:
        return bool(
            self.everyone
            or self.vendors
            or self.sharings
            or self.addenda
            or self.reviews
            or self.checks
        )


# model: (the set in Noted it goes to, the column that names it there)
WATCHED = {
    Vendor: ("vendors", "id"),
    DataSharing: ("vendors", "vendor_id"),
    Addendum: ("vendors", "vendor_id"),
    Review: ("vendors", "vendor_id"),
    ProcessingLocation: ("sharings", "data_sharing_id"),
    AddendumClause: ("addenda", "addendum_id"),
    ReviewCondition: ("reviews", "review_id"),
    AgreementCheck: ("vendors", "vendor_id"),
    AgreementFinding: ("checks", "check_id"),
    VendorDocument: ("vendors", "vendor_id"),
    SubProcessorChange: ("vendors", "vendor_id"),
}


def note_deleted(session: Session, flush_context, instances) -> None:
    """before_flush: the vendors of the rows about to be deleted."""
    for row in session.deleted:
        _note(session, row)


def note_written(session: Session, flush_context) -> None:
    """after_flush: the vendors of the rows just inserted or changed."""
    for row in (*session.new, *session.dirty):
        _note(session, row)


def noted(session: Session) -> Noted:
    return session.info.setdefault(NOTED, Noted())


def take_noted(session: Session) -> Noted:
    """What the session's flushes noted since the last call, with the vendors written in bulk
    (register.bulkwrites), forgotten from the session."""
    found = session.info.pop(NOTED, None) or Noted()
    found.vendors |= take_bulk_written(session)
    return found


def forget(session: Session, transaction) -> None:
    """after_transaction_end: a rollback undoes the writes, so what they noted goes with them.
    Only the outermost transaction's: a savepoint rolled back leaves the notes of the changes
    around it, and a vendor judged again for nothing costs only the time."""
    if transaction.parent is None:
        session.info.pop(NOTED, None)
        take_bulk_written(session)


def _note(session: Session, row) -> None:
    if type(row) is OrganisationSettings:
        if any(_changed(row, name) for name in STANDING_FIELDS):
            noted(session).everyone = True
        return
    if type(row) is RequiredDocument:  # the policy: any vendor of that tier may have moved
        noted(session).everyone = True
        return
    if type(row) in WATCHED:
        kind, column = WATCHED[type(row)]
        before = get_history(row, column, PASSIVE_NO_INITIALIZE).deleted or ()
        found = getattr(noted(session), kind)
        found.update(value for value in (getattr(row, column), *before) if value is not None)


def _changed(row, name: str) -> bool:
    state = inspect(row)
    return state.pending or state.deleted or state.attrs[name].history.has_changes()
