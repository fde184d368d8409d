"""A vendor's notices of a change to its sub-processors: recorded with their objection deadline,
then accepted or objected to. Functions flush; the caller commits."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from vendortrack.accounts.models import User
from vendortrack.extensions import db
from vendortrack.geography import country_of
from vendortrack.register.models import (
    ChangeDecision,
    ChangeKind,
    SubProcessor,
    SubProcessorChange,
    SubProcessorSource,
    Vendor,
    name_key,
)
from vendortrack.register.services import VendorError, save_sub_processor


@dataclass(frozen=True)
class ChangeInput:
    kind: ChangeKind
    received_on: date
    name: str
    processing: str | None
    location: str | None
    categories: list[str]
    notice: str | None


def objection_deadline(received_on: date, notice_days: int) -> date:
    """The last day to object: the notice period, counted from the day the notice came."""
    return received_on + timedelta(days=notice_days)


def record_change(
    vendor: Vendor, given: ChangeInput, notice_days: int, by: User | None, today: date
) -> SubProcessorChange:
    """Record the vendor's notice, open to objection for `notice_days` from the day it came.
    An addition must name a sub-processor not listed yet, what it would do and where; a
    removal, one that is listed."""
    listed = {sub.name_key for sub in vendor.sub_processors}
    if given.kind == ChangeKind.ADDED and name_key(given.name) in listed:
        raise VendorError(_l("This sub-processor is already listed for this vendor."), "name")
    if given.kind == ChangeKind.REMOVED and name_key(given.name) not in listed:
        raise VendorError(
            _l("No sub-processor of this name is listed for this vendor: check its spelling."),
            "name",
        )
    if given.received_on > today:
        raise VendorError(_l("A notice cannot be received in the future."), "received_on")
    if given.kind == ChangeKind.ADDED and not (given.processing and given.location):
        field = "location" if given.processing else "processing"
        raise VendorError(
            _l("Say what the new sub-processor does, and where, as the notice says."), field
        )
    change = SubProcessorChange(
        vendor_id=vendor.id,
        kind=given.kind,
        received_on=given.received_on,
        objection_deadline=objection_deadline(given.received_on, notice_days),
        name=given.name,
        processing=given.processing,
        location=given.location,
        categories=list(given.categories),
        notice=given.notice,
        recorded_by_id=by.id if by else None,
    )
    db.session.add(change)
    db.session.flush()
    return change


def decide_change(
    vendor: Vendor,
    change: SubProcessorChange,
    decision: ChangeDecision,
    reason: str | None,
    by: User,
    today: date,
) -> bool:
    """Accept or object to the change; an addition accepted joins the vendor's list, a removal
    accepted leaves it. True when the addition brings a country the vendor's information did
    not go to before (the caller raises the "new country" review trigger)."""
    if change.decision is not None:
        raise VendorError(_l("This change is already decided."))
    if decision == ChangeDecision.OBJECTED and not reason:
        raise VendorError(_l("Give the reason for the objection: the vendor is owed it."), "reason")
    change.decision, change.reason = decision, reason
    change.decided_on, change.decided_by_id = today, by.id
    new_country = False
    if decision == ChangeDecision.ACCEPTED:
        new_country = _apply(vendor, change)
    db.session.flush()
    return new_country


def _apply(vendor: Vendor, change: SubProcessorChange) -> bool:
    listed = next((s for s in vendor.sub_processors if s.name_key == name_key(change.name)), None)
    if change.kind == ChangeKind.REMOVED:
        if listed is not None:
            vendor.sub_processors.remove(listed)
        return False
    known = _countries(vendor)
    if listed is None:
        values = {
            "name": change.name,
            "address": None,
            "processing": change.processing,
            "processing_fr": None,
            "location": change.location,
            "categories": list(change.categories or []),
            "since": change.decided_on,
            "source": SubProcessorSource.NOTICE.value,
        }
        save_sub_processor(vendor, SubProcessor(), values)
    return country_of(change.location) not in known


def _countries(vendor: Vendor) -> set[str]:
    """The countries the vendor's information goes to: its data sharing and sub-processors."""
    codes = {code for row in vendor.sharings for code in row.location_codes}
    codes |= {sub.location for sub in vendor.sub_processors}
    return {country_of(code) for code in codes}


def changes_of(vendor_id: int, recent: int = 10) -> list[SubProcessorChange]:
    """The vendor's change notices: those awaiting a decision first, soonest deadline first,
    then the latest decided."""
    query = (
        select(SubProcessorChange)
        .where(SubProcessorChange.vendor_id == vendor_id)
        .order_by(
            SubProcessorChange.decision.is_not(None),
            SubProcessorChange.objection_deadline,
            SubProcessorChange.id.desc(),
        )
        .limit(recent)
    )
    return list(db.session.scalars(query))
