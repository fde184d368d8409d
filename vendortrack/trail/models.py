"""The audit trail: who saw or changed which record, when, from where, and what changed.

The privacy plan asks for electronic audit trails that identify who has access to the
information. Entries are only ever added: no route or command edits or deletes one, and the
recorder refuses to flush a change to an existing entry.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from vendortrack.database import UTCDateTime, utcnow
from vendortrack.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # The person, and their address at the time: the entry must still say who it was if the
    # account's address changes later.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    user_email: Mapped[str | None] = mapped_column(String(254))
    ip_address: Mapped[str | None] = mapped_column(String(45))  # None: a command, not a request
    # Who acted when it was no user: "vendor_link", the vendor on a questionnaire's link page.
    actor: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(10))  # view, create, update, delete
    entity: Mapped[str] = mapped_column(String(30))  # vendor, data_sharing, addendum, review, user
    entity_id: Mapped[int | None]
    vendor_id: Mapped[int | None] = mapped_column(index=True)  # no key: the trail outlives rows
    # {field: [before, after]} for a change; empty for a view.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_audit_entries_entity", "entity", "entity_id"),)
