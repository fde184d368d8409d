"""Writing many vendors' rows with plain statements, past the session's unit of work.

- Locking them first, in one order for every such writer (lock_vendors).
- Naming them afterwards: whatever keeps a value derived from the register current by watching
  the session's flushes (the stored compliance) does not see those writes, so the writer names
  the vendors here and the watcher takes them with what it noted itself. Kept in the session's
  info, like the watcher's own notes, so that a rollback forgets them the same way.
"""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendortrack.extensions import db
from vendortrack.register.models import Vendor

WRITTEN = "vendortrack_vendors_written_in_bulk"


def note_bulk_written(session: Session, vendor_ids: Iterable[int]) -> None:
    session.info.setdefault(WRITTEN, set()).update(vendor_ids)


def take_bulk_written(session: Session) -> set[int]:
    """The vendors noted since the last call, forgotten from the session."""
    return session.info.pop(WRITTEN, None) or set()


def lock_vendors(vendor_ids: Iterable[int]) -> list[int]:
    """Lock these vendors' rows until the transaction ends (PostgreSQL) and return those that
    exist, in id order.

    Before reading what the write depends on: a transaction that changed the same vendor waits
    for ours to commit, then reads with our change in view, rather than both working from what
    the other had not committed and the last to write storing a value neither change gave. In
    id order, as every writer of many vendors locks them, so that none waits on another that
    waits on it. FOR NO KEY UPDATE, which does not conflict with the lock that adding a child
    row (a sharing, an addendum, a review) takes on its vendor. SQLite has no row locks: its
    writers take the database's write lock first (database.begin_writing).
    """
    query = (
        select(Vendor.id)
        .where(Vendor.id.in_(list(vendor_ids)))
        .order_by(Vendor.id)
        .with_for_update(key_share=True)
    )
    return list(db.session.scalars(query))
