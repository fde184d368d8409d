"""Keeping each vendor's stored status true (models.StoredStatus), by construction.

- A change: every insert, update and delete of a row the rules read (the vendor, its data
  sharing and places, addenda and their clauses, reviews and their conditions) notes its vendor
  in the session (watch.py); the commit judges those vendors again, in the same transaction,
  before it ends. A change of the organisation's home country judges every vendor, in batches.
- Time: a row holds from the day it was judged until its `valid_until` (rules.holds_until).
  Before reading, `bring_up_to_date(day)` judges again every row that does not hold on that day,
  and every row when what the rules read outside the register (the clause library, the
  catalogue, the home country) is not what the rows were judged against. The daily run does
  the same, so that the first page of the day rarely has anything to do.

The rules are written once, in status.py; this module only decides when to apply them.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import date

from flask import current_app, g, has_request_context
from sqlalchemy import delete, event, func, insert, or_, select, update
from sqlalchemy.orm import Session

from vendortrack.addenda.models import Addendum
from vendortrack.compliance.models import ComplianceBasis, StoredStatus
from vendortrack.compliance.rules import FOREVER, RULES, SOON_DAYS, STATUSES, status_of
from vendortrack.compliance.status import judge
from vendortrack.compliance.watch import Noted, forget, note_deleted, note_written, take_noted
from vendortrack.extensions import db
from vendortrack.i18n import local_today
from vendortrack.organisation.services import home_country
from vendortrack.register.catalogue import categories
from vendortrack.register.models import DataSharing, Vendor
from vendortrack.reviews.models import Review

BATCH = 500
BASIS_ID = 1


def keep_current(app) -> None:
    """Judge at each commit the vendors its changes touched (listening once, however many apps
    are created), and save after the response what a page's read brought up to date."""
    for name, listener in (
        ("before_flush", note_deleted),
        ("after_flush", note_written),
        ("before_commit", _judge_noted),
        ("after_transaction_end", forget),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
    app.after_request(_save_judged)


def _judge_noted(session: Session) -> None:
    session.flush()  # the last changes note their vendors as they flush
    changed = take_noted(session)
    if changed.everyone:
        judge_everyone(local_today())
    elif changed:
        judge_again(vendors_of(changed), local_today())


def _save_judged(response):
    # Saved once the page is rendered: committing before would expire what it shows.
    if g.pop("compliance_judged", False):
        db.session.commit()
    return response


def judge_again(vendor_ids: Iterable[int], day: date) -> int:
    """Judge these vendors on `day` and store the result; return how many were judged."""
    ids = sorted(set(vendor_ids))
    library, home = current_app.extensions["clause_library"], home_country()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        stored = _lock(chunk)
        found = judge(chunk, day, library, home)
        _write(chunk, found, stored, day)
    return len(ids)


def judge_everyone(day: date, progress=lambda n: None) -> int:
    """Judge every vendor on `day`, a batch at a time, and record the basis judged against."""
    count = 0
    for chunk in _every_vendor():
        count += judge_again(chunk, day)
        progress(len(chunk))
    _record_basis()
    return count


def bring_up_to_date(day: date) -> int:
    """Judge again, before a read, every stored status that does not hold on `day`; return how
    many were judged. Flushes; the caller commits."""
    db.session.flush()  # the changes of this transaction note their vendors as they flush
    changed = take_noted(db.session)
    if changed.everyone or _basis() != basis_fingerprint():
        count = judge_everyone(day)
    else:
        count = judge_again(vendors_of(changed), day) if changed else 0
        while stale := _stale(day):
            count += judge_again(stale, day)
    if count and has_request_context():
        g.compliance_judged = True
    return count


def _stale(day: date) -> list[int]:
    query = (
        select(StoredStatus.vendor_id)
        .where(or_(StoredStatus.valid_until < day, StoredStatus.judged_on > day))
        .limit(BATCH)
    )
    return list(db.session.scalars(query))


def _lock(vendor_ids: list[int]) -> set[int]:
    # Row locks (PostgreSQL) taken before judging: a transaction that changed the same vendor
    # waits for ours to commit, then judges with our change in view, rather than both judging
    # without the other's and the last to commit storing a status neither change gave.
    # SQLite lets one transaction write at a time, which serialises the same way.
    query = (
        select(StoredStatus.vendor_id)
        .where(StoredStatus.vendor_id.in_(vendor_ids))
        .order_by(StoredStatus.vendor_id)
        .with_for_update()
    )
    return set(db.session.scalars(query))


def _write(vendor_ids: list[int], found: dict, stored: set[int], day: date) -> None:
    present = set(db.session.scalars(select(Vendor.id).where(Vendor.id.in_(vendor_ids))))
    changes = [_row(vendor_id, found.get(vendor_id), day) for vendor_id in sorted(stored & present)]
    additions = [
        _row(vendor_id, found.get(vendor_id), day) for vendor_id in sorted(present - stored)
    ]
    if changes:
        db.session.execute(update(StoredStatus), changes)
    if additions:
        db.session.execute(insert(StoredStatus), additions)
    if gone := stored - present:
        # A vendor deleted in this transaction: PostgreSQL's foreign key deleted its row already,
        # SQLite (which VendorTrack runs without enforcing foreign keys) did not.
        db.session.execute(delete(StoredStatus).where(StoredStatus.vendor_id.in_(gone)))


def _row(vendor_id: int, judgement, day: date) -> dict:
    if judgement is None:  # terminated
        return {
            "vendor_id": vendor_id,
            "status": None,
            "reasons": "",
            "judged_on": day,
            "valid_until": FOREVER,
        }
    return {
        "vendor_id": vendor_id,
        "status": status_of(judgement.codes),
        "reasons": " ".join(judgement.codes),
        "judged_on": day,
        "valid_until": judgement.holds_until,
    }


def _every_vendor() -> Iterator[list[int]]:
    last_id = 0
    query = select(Vendor.id).order_by(Vendor.id).limit(BATCH)
    while ids := list(db.session.scalars(query.where(Vendor.id > last_id))):
        yield ids
        last_id = ids[-1]


def vendors_of(changed: Noted) -> set[int]:
    """The vendors whose rows these are."""
    found = set(changed.vendors)
    for model, ids in (
        (DataSharing, changed.sharings),
        (Addendum, changed.addenda),
        (Review, changed.reviews),
    ):
        for start in range(0, len(ids), BATCH):
            chunk = sorted(ids)[start : start + BATCH]
            found.update(db.session.scalars(select(model.vendor_id).where(model.id.in_(chunk))))
    return found


def basis_fingerprint() -> str:
    """What the statuses depend on besides the register's rows, as one hash."""
    library = current_app.extensions["clause_library"]
    basis = {
        "clauses": [
            (c.id, c.version, c.required, sorted(c.all_facts), sorted(c.any_facts))
            for c in library.ordered()
        ],
        "sensitive": sorted((code, entry.sensitivity) for code, entry in categories().items()),
        "home": home_country(),
        "rules": [(rule.code, rule.severity) for rule in RULES],
        "soon": SOON_DAYS,
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()


def _basis() -> str | None:
    return db.session.scalar(
        select(ComplianceBasis.fingerprint).where(ComplianceBasis.id == BASIS_ID)
    )


def _record_basis() -> None:
    fingerprint = basis_fingerprint()
    basis = db.session.get(ComplianceBasis, BASIS_ID)
    if basis is None:
        db.session.add(ComplianceBasis(id=BASIS_ID, fingerprint=fingerprint))
    else:
        basis.fingerprint = fingerprint
    db.session.flush()


def status_counts(day: date) -> dict[str, int]:
    """{overdue, action, compliant: how many vendors} on `day`, terminated vendors left out."""
    bring_up_to_date(day)
    rows = db.session.execute(
        select(StoredStatus.status, func.count())
        .where(StoredStatus.status.is_not(None))
        .group_by(StoredStatus.status)
    ).all()
    found = dict.fromkeys(STATUSES, 0)
    found.update({status: n for status, n in rows if status in found})
    return found
