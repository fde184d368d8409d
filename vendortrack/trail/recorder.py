"""Recording the audit trail: every insert, change and delete of the records it covers, cascades
included, caught once per row as the session flushes rather than in each view; and the views of
them that the views report.

Knows no feature: each model the trail covers says so where it is defined, with @track, so this
package sits below every feature and every feature may record views.
"""

import enum
import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import LargeBinary, event, insert, inspect
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import PASSIVE_NO_INITIALIZE, get_history

from vendortrack.crypto import EncryptedText
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.trail.models import AuditEntry


@dataclass(frozen=True)
class Tracked:
    """How the trail names a model's rows, and finds the vendor a row belongs to (None for rows
    of no vendor). `parent`: the column naming the row's parent when that parent is not the
    vendor, named in every entry about the row: the entry's vendor column says whose it is, not
    under which row it sits."""

    entity: str
    vendor_of: Callable[[Any], int | None] | None = None
    parent: str | None = None


# Filled by @track as the models are defined.
TRACKED: dict[type, Tracked] = {}


def track(
    entity: str, vendor_of: Callable[[Any], int | None] | None = None, parent: str | None = None
):
    """Class decorator: record every insert, change and delete of this model's rows, under the
    name `entity`; `vendor_of(row)` gives the vendor's id, for a model whose rows have one."""

    def register(model: type) -> type:
        TRACKED[model] = Tracked(entity, vendor_of, parent)
        return model

    return register


# Kept by the application itself, not changed by anyone: they would bury the changes people
# make (every sharing change moves the review date; every sign-in, last_login_at).
DERIVED = frozenset(
    {
        "created_at",
        "updated_at",
        "name_key",
        "risk_tier",
        "review_due_on",
        "notice_deadline_on",
        "last_login_at",
        "contact_email_hmac",
        "version",
        "compliance_status",
        "compliance_reasons",
        "compliance_judged_on",
        "compliance_valid_until",
        # A questionnaire's questions as sent: the set's id and version, recorded, name them.
        "questions",
    }
)
# Never written into the trail, only that they changed.
SECRET = frozenset({"password_hash", "calendar_token_hash", "token_hash"})
# Encrypted at rest (vendors' contacts); the trail must not keep them in clear either.
ENCRYPTED = "(encrypted)"
# Text longer than this is recorded as its size and SHA-256, not itself: every save of a long
# note would otherwise copy it into the trail again, for ever. The hash still shows whether two
# entries hold the same text, and which text a record held.
LONG_TEXT = 1_000
PENDING = "vendortrack_audit_pending"
DELETED_VENDORS = "vendortrack_audit_deleted_vendors"


def register_audit(app) -> None:
    """Listen to every flush (once, however many apps are created), and save the views a request
    noted once its response is ready."""
    if not event.contains(Session, "before_flush", _prepare):
        event.listen(Session, "before_flush", _prepare)
        # Mapper events, not the session's lists: they see every row the flush writes, those it
        # deletes by cascade or as orphans (never in session.deleted) included, once each, with
        # the keys the flush gave them.
        # On the base class (propagate: every model, those defined later included), so that
        # this package need not know them; rows of models not tracked are let through.
        for name, listener in (
            ("after_insert", _inserted),
            ("after_update", _updated),
            ("after_delete", _deleted),
        ):
            event.listen(db.Model, name, listener, propagate=True)
        event.listen(Session, "after_flush_postexec", _write)
    app.after_request(_save_views)


def record_view(entity: str, entity_id: int | None, vendor_id: int | None = None) -> None:
    """Note that the signed-in user opened (or exported) this record.

    Saved after the response is rendered: committing now would expire what the page is about
    to show and cost a query per object to read it again.
    """
    db.session.add(_entry("view", entity, entity_id, vendor_id, {}))
    g.audit_views = True


def record_export(entity: str, filters: dict, vendor_id: int | None = None) -> None:
    """Note that the signed-in user exported records of a kind (of one vendor's), and with
    which filters."""
    db.session.add(_entry("export", entity, None, vendor_id, {"filters": [None, filters]}))
    g.audit_views = True


def _save_views(response):
    if g.pop("audit_views", False):
        db.session.commit()
    return response


def _prepare(session: Session, flush_context, instances) -> None:
    for row in session.dirty:
        if type(row) is AuditEntry:
            raise RuntimeError("audit entries are never changed")
    vendors = {}
    for row in session.deleted:
        if type(row) is AuditEntry:
            raise RuntimeError("audit entries are never deleted")
        if type(row) in TRACKED:
            # Found before the flush, where reading is safe: a commit may have expired the row
            # or its parent, and loading them mid-flush would mean queries between its DELETEs.
            vendors[row] = _vendor_of(row)
    # Started afresh: what a failed flush noted was rolled back with it.
    session.info[PENDING] = []
    session.info[DELETED_VENDORS] = vendors


def _inserted(mapper, connection, row) -> None:
    if type(row) in TRACKED:
        _note(row, "create", _changes(row, "create"))


def _updated(mapper, connection, row) -> None:
    # Called for every dirty row, even one whose only change is to a list of other rows (a data
    # sharing row's places): _changes finds nothing to record there.
    if type(row) in TRACKED and (changes := _changes(row, "update")) is not None:
        _note(row, "update", _named_parent(row, changes))


def _deleted(mapper, connection, row) -> None:
    # Rows deleted by cascade or as orphans were not in session.deleted: their vendor is found
    # now, from parents loaded to find them. A parent deleted in the same flush is still in the
    # session (children go first); it is gone from it once the flush ends.
    if type(row) not in TRACKED:
        return
    known = object_session(row).info.get(DELETED_VENDORS, {})
    vendor_id = known[row] if row in known else _vendor_of(row)
    _note(row, "delete", _changes(row, "delete"), vendor_id)


def _note(row, action: str, changes: dict, vendor_id: int | None = None) -> None:
    object_session(row).info.setdefault(PENDING, []).append((action, row, changes, vendor_id))


def _write(session: Session, flush_context) -> None:
    # After the flush, when new rows have their ids and their parents are in the session. Written
    # with one INSERT of many rows on the flush's own connection, in its transaction: as objects,
    # an import's tens of thousands of entries cost more than the rows they record.
    pending = session.info.pop(PENDING, [])
    session.info.pop(DELETED_VENDORS, None)
    if not pending:
        return
    entries = []
    for action, row, changes, deleted_vendor_id in pending:
        entity = TRACKED[type(row)].entity
        vendor_id = deleted_vendor_id if action == "delete" else _vendor_of(row)
        entries.append(_entry_values(action, entity, row.id, vendor_id, changes))
    session.connection().execute(insert(AuditEntry.__table__), entries)


def _named_parent(row, changes: dict) -> dict:
    """The changes, naming the row's parent (see Tracked) as [id, id] when it stayed."""
    key = TRACKED[type(row)].parent
    if key and key not in changes:
        parent_id = getattr(row, key)
        changes[key] = [parent_id, parent_id]
    return changes


def _vendor_of(row) -> int | None:
    vendor_of = TRACKED[type(row)].vendor_of
    return vendor_of(row) if vendor_of else None


def record_created(model: type, rows: Sequence[Mapping], vendor_ids: Sequence[int | None]) -> None:
    """Record rows of a tracked model that were inserted with a plain INSERT, which the flush
    events never see: `rows` as written (every column, the id included), `vendor_ids` the
    vendor of each. The entries are those the flush would have recorded."""
    entity, columns = TRACKED[model].entity, _recorded_columns(model)
    who = _who()
    entries = [
        _entry_values("create", entity, row["id"], vendor_id, _created(columns, row), who)
        for row, vendor_id in zip(rows, vendor_ids, strict=True)
    ]
    if entries:
        db.session.connection().execute(insert(AuditEntry.__table__), entries)


@functools.cache  # the same for every row of a model: read its mapping once
def _recorded_columns(model: type) -> list[tuple[str, Callable[[Any], Any]]]:
    """(key, how a value is shown) of each column the trail records of this model's rows."""
    return [
        (attribute.key, _how_shown(attribute.key, attribute.columns[0].type))
        for attribute in inspect(model).column_attrs
        if attribute.key not in DERIVED and attribute.key != "id"
    ]


def _created(columns: list[tuple[str, Callable]], values: Mapping) -> dict:
    return {
        key: [None, None if (value := values.get(key)) is None else shown(value)]
        for key, shown in columns
    }


def _changes(row, action: str) -> dict | None:
    """{field: [before, after]}; None for an update that changed nothing worth recording."""
    state = inspect(row)
    columns = _recorded_columns(type(row))
    if action == "create":
        return _created(columns, state.dict)
    changes = {}
    for key, shown in columns:
        if action == "update":
            history = get_history(row, key, PASSIVE_NO_INITIALIZE)
            if not history.has_changes():
                continue
            before, after = (history.deleted or [None])[0], (history.added or [None])[0]
        else:
            before, after = state.dict.get(key), None
        changes[key] = [shown(before), shown(after)]
    if action == "update" and not changes:
        return None
    return changes


def _how_shown(key: str, column_type) -> Callable[[Any], Any]:
    """How the trail writes this column's values, chosen once per column (an import records
    hundreds of thousands)."""
    if key in SECRET:
        return lambda value: None if value is None else "(secret)"
    if isinstance(column_type, EncryptedText):
        return lambda value: None if value is None else ENCRYPTED
    if isinstance(column_type, LargeBinary):
        return lambda value: None if value is None else f"({len(value):,} bytes)"
    return _shown


def _shown(value):  # noqa: PLR0911 - one return per kind of value
    # The commonest first: plain text (a StrEnum is not exactly str), then nothing.
    if type(value) is str:
        return value if len(value) <= LONG_TEXT else long_text(value)
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str):
        return _shown(str(value))
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, int | float | bool | list | dict):
        return value
    return str(value)


def long_text(value: str) -> str:
    """How the trail records a long text: its size and the SHA-256 of its UTF-8 bytes."""
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"({len(value):,} characters, SHA-256 {digest})"


def _entry(action, entity, entity_id, vendor_id, changes) -> AuditEntry:
    return AuditEntry(**_entry_values(action, entity, entity_id, vendor_id, changes))


def _entry_values(action, entity, entity_id, vendor_id, changes, who=None) -> dict:
    user, address = who or _who()
    return {
        "at": utcnow(),
        "user_id": user.id if user else None,
        "user_email": user.email if user else None,
        "ip_address": address,
        "actor": _actor(),
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "vendor_id": vendor_id,
        "changes": changes,
    }


def _who() -> tuple[Any, str | None]:
    if not has_request_context():
        return None, None  # a command run on the server
    if _actor():
        return None, request.remote_addr  # whoever's browser it is, they act as that actor
    user = current_user if current_user and current_user.is_authenticated else None
    return user, request.remote_addr


def act_as(actor: str) -> None:
    """Record what the rest of this request does as done by `actor`, not by a user: the
    questionnaire link pages act as "vendor_link", the vendor's contact."""
    g.audit_actor = actor


def _actor() -> str | None:
    return g.get("audit_actor") if has_request_context() else None
