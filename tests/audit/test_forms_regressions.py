"""Input that once made the audit trail fail with a server error (found by tests/test_fuzz.py)."""

from sqlalchemy import select

from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.trail.models import AuditEntry


def test_an_export_of_the_trail_records_the_filters_it_understood(signed_in):
    # The raw address once went into the trail: PostgreSQL refused its NUL, and anyone could
    # write whatever they liked into the record of who took a copy.
    admin = signed_in(Role.ADMIN)
    admin.get(
        "/audit.csv", query_string={"action": "view", "junk": "a\x00b", "user": "x"}
    ).get_data()
    exports = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "export", AuditEntry.entity == "audit_entry")
    ).all()
    assert [e.changes for e in exports] == [{"filters": [None, {"action": "view"}]}]
