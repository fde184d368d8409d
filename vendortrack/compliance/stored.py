"""Keeping each vendor's stored compliance true (the compliance_* columns of the vendor row),
by construction.

- A change: every insert, update and delete of a row the rules read (the vendor, its data
  sharing and places, addenda and their clauses, reviews and their conditions) notes its vendor
  in the session (watch.py); the commit judges those vendors again, in the same transaction,
  before it ends. A change of the organisation's home country judges every vendor, in batches.
- Time: a row holds from the day it was judged until its compliance_valid_until
  (rules.holds_until). Before reading, `bring_up_to_date(day)` judges again every row that does
  not hold on that day, and every row when what the rules read outside the register (the clause
  library, the catalogue, the home country) is not what the rows were judged against. The daily
  run does the same, so that the first page of the day rarely has anything to do.

The rules are written once, in status.py; this module only decides when to apply them.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import astuple
from datetime import date

from flask import current_app, g, has_request_context
from sqlalchemy import bindparam, event, func, select, union_all, update
from sqlalchemy.orm import Session

from vendortrack.addenda.facts import HIGH_RISK, QUEBEC, SENSITIVE
from vendortrack.addenda.models import Addendum
from vendortrack.compliance.models import ComplianceBasis
from vendortrack.compliance.rules import FOREVER, RULES, SOON_DAYS, STATUSES, status_of
from vendortrack.compliance.status import RULES_VERSION, judge, standing
from vendortrack.compliance.watch import Noted, forget, note_deleted, note_written, take_noted
from vendortrack.contracts.models import AgreementCheck
from vendortrack.database import begin_writing
from vendortrack.extensions import db
from vendortrack.geography import EEA_COUNTRIES
from vendortrack.i18n import local_today
from vendortrack.register.bulkwrites import lock_vendors
from vendortrack.register.catalogue import categories
from vendortrack.register.models import DataSharing, Vendor
from vendortrack.reviews.models import Review

BATCH = 500
BASIS_ID = 1
# How long judging waits for SQLite's write lock, held by another writer (an import: seconds).
WRITE_WAIT_SECONDS = 30


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
    # Saved once the page is rendered: committing before would expire what it shows. Not after
    # an error: whatever else the request had written must not be committed with it (the
    # statuses are judged again by the next read).
    if g.pop("compliance_judged", False) and response.status_code < 400:
        db.session.commit()
    return response


def judge_again(vendor_ids: Iterable[int], day: date) -> int:
    """Judge these vendors on `day` and store the result; return how many were judged."""
    ids = sorted(set(vendor_ids))
    if ids:
        begin_writing(db.session, WRITE_WAIT_SECONDS)
    library, where = current_app.extensions["clause_library"], standing()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        present = lock_vendors(chunk)  # a vendor deleted in this transaction is judged no more
        if present:
            _write(present, judge(present, day, library, where), day)
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
    many were judged. Flushes; the caller commits.

    The new statuses are written by plain UPDATEs: a vendor the session loaded before keeps the
    old ones in its attributes, so read them from rows loaded after, or as columns."""
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
    # The rows each condition finds, from its own index, then those in id order (as every
    # judging locks them): with OR, or ORDER BY beside each condition, SQLite walks every row in
    # id order instead, and a read that finds nothing stale (most of them) costs a whole scan.
    found = union_all(
        select(Vendor.id).where(Vendor.compliance_valid_until < day),
        select(Vendor.id).where(Vendor.compliance_judged_on > day),
    )
    query = select(Vendor.id).where(Vendor.id.in_(found)).order_by(Vendor.id).limit(BATCH)
    return list(db.session.scalars(query))


# A plain UPDATE of the compliance columns alone: updated_at keeps its value (the statement sets
# it to itself, else its onupdate would move it) and the ORM's version counter is not involved.
_STORE = (
    update(Vendor.__table__)
    .where(Vendor.__table__.c.id == bindparam("b_vendor"))
    .values(
        compliance_status=bindparam("b_status"),
        compliance_reasons=bindparam("b_reasons"),
        compliance_judged_on=bindparam("b_judged_on"),
        compliance_valid_until=bindparam("b_valid_until"),
        updated_at=Vendor.__table__.c.updated_at,
    )
)


def _write(vendor_ids: list[int], found: dict, day: date) -> None:
    rows = [_row(vendor_id, found.get(vendor_id), day) for vendor_id in vendor_ids]
    db.session.connection().execute(_STORE, rows)


def _row(vendor_id: int, judgement, day: date) -> dict:
    # No judgement: a terminated vendor, not assessed, which no day to come changes.
    return {
        "b_vendor": vendor_id,
        "b_status": status_of(judgement.codes) if judgement else None,
        "b_reasons": " ".join(judgement.codes) if judgement else "",
        "b_judged_on": day,
        "b_valid_until": judgement.holds_until if judgement else FOREVER,
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
        (AgreementCheck, changed.checks),
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
            (
                c.id,
                c.version,
                c.topic,
                c.required,
                sorted(c.all_facts),
                sorted(c.any_facts),
                [sorted(a.when) for a in c.additions],
            )
            for c in library.ordered()
        ],
        "sensitive": sorted((code, entry.sensitivity) for code, entry in categories().items()),
        "home": astuple(standing()),
        "rules": [(rule.code, rule.severity) for rule in RULES],
        "rules_version": RULES_VERSION,
        "soon": SOON_DAYS,
        "places": [sorted(EEA_COUNTRIES), QUEBEC, SENSITIVE, [str(t) for t in HIGH_RISK]],
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
        select(Vendor.compliance_status, func.count())
        .where(Vendor.compliance_status.is_not(None))
        .group_by(Vendor.compliance_status)
    ).all()
    found = dict.fromkeys(STATUSES, 0)
    found.update({status: n for status, n in rows if status in found})
    return found
