"""Vendors whose rows a transaction wrote with plain statements, past the session's unit of work.

Whatever keeps a value derived from the register current by watching the session's flushes (the
stored compliance) does not see those writes: the writer names the vendors here, and the watcher
takes them with what it noted itself. Kept in the session's info, like the watcher's own notes,
so that a rollback forgets them the same way.
"""

from collections.abc import Iterable

from sqlalchemy.orm import Session

WRITTEN = "vendortrack_vendors_written_in_bulk"


def note_bulk_written(session: Session, vendor_ids: Iterable[int]) -> None:
    session.info.setdefault(WRITTEN, set()).update(vendor_ids)


def take_bulk_written(session: Session) -> set[int]:
    """The vendors noted since the last call, forgotten from the session."""
    return session.info.pop(WRITTEN, None) or set()
