"""What the audit trail records: changes with their before and after values, views, exports,
who and from where; and that nothing can change or remove an entry."""

import pytest
from sqlalchemy import select

from tests.helpers import sign_in
from tests.vendors.test_views import SHARING, form_of
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.register.models import Level, Vendor
from vendortrack.reviews.services import refresh_review_due
from vendortrack.trail.models import AuditEntry


def entries(**where) -> list[AuditEntry]:
    query = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def test_a_change_is_recorded_with_who_where_and_before_and_after(app, create_user, create_vendor):
    manager = create_user(Role.MANAGER)
    editor = app.test_client()
    editor.environ_base["REMOTE_ADDR"] = "203.0.113.9"  # the whole session from this address
    sign_in(editor, manager)
    vendor = create_vendor(name="Old name", criticality=Level.LOW)
    editor.post(
        f"/vendors/{vendor.id}/edit", data=form_of(vendor, name="New name", criticality="high")
    )
    with app.app_context():
        (entry,) = entries(action="update", entity="vendor")
        assert (entry.user_id, entry.user_email) == (manager.id, manager.email)
        assert entry.ip_address == "203.0.113.9"
        assert (entry.entity_id, entry.vendor_id) == (vendor.id, vendor.id)
        assert entry.changes["name"] == ["Old name", "New name"]
        assert entry.changes["criticality"] == [1, 3]
        assert "risk_tier" not in entry.changes  # kept by the application, not changed by anyone


def test_a_new_data_sharing_row_and_its_places_are_recorded_under_the_vendor(
    app, signed_in, create_vendor
):
    editor = signed_in(Role.MANAGER)
    vendor = create_vendor()
    editor.post(f"/vendors/{vendor.id}/sharing/new", data=SHARING)
    with app.app_context():
        (sharing,) = entries(action="create", entity="data_sharing")
        assert sharing.vendor_id == vendor.id
        assert sharing.changes["purpose"] == [None, "Run the payroll"]
        places = entries(action="create", entity="processing_location")
        assert sorted(p.changes["code"][1] for p in places) == ["CA-QC", "US"]
        assert {p.vendor_id for p in places} == {vendor.id}


def test_opening_a_vendor_is_recorded_each_time(app, signed_in, create_vendor):
    owner = signed_in(Role.OWNER)
    vendor = create_vendor()
    owner.get(f"/vendors/{vendor.id}")
    owner.get(f"/vendors/{vendor.id}")
    with app.app_context():
        views = entries(action="view", entity="vendor")
        assert [(v.user_id, v.vendor_id) for v in views] == [(owner.user.id, vendor.id)] * 2
        assert views[0].ip_address == "127.0.0.1"


def test_downloading_an_addendum_and_exporting_the_register_are_recorded(
    app, signed_in, create_vendor, create_addendum
):
    manager = signed_in(Role.MANAGER)
    vendor = create_vendor()
    addendum = create_addendum(vendor)
    manager.get(f"/addenda/{addendum.id}/download")
    manager.get("/vendors/export.csv?status=active").get_data()
    with app.app_context():
        (download,) = entries(action="view", entity="addendum")
        assert (download.entity_id, download.vendor_id) == (addendum.id, vendor.id)
        (export,) = entries(action="export")
        assert export.changes == {"filters": [None, {"status": "active"}]}


def test_secrets_are_never_written_into_the_trail(app, signed_in):
    admin = signed_in(Role.ADMIN)
    admin.post(
        "/account/password",
        data={
            "current": "correct horse battery",
            "password": "a much better passphrase",
            "confirm": "a much better passphrase",
        },
    )
    with app.app_context():
        changes = [e.changes for e in entries(entity="user", action="update")]
    assert changes
    assert all(c.get("password_hash", ["(secret)"])[1] == "(secret)" for c in changes)
    assert "passphrase" not in str(changes)


def test_what_the_application_computes_is_not_recorded(app, create_vendor):
    vendor = create_vendor()
    with app.app_context():
        before = len(entries())
        refresh_review_due(db.session.get(Vendor, vendor.id))  # moves review_due_on only
        db.session.commit()
        assert len(entries()) == before


def test_a_command_is_recorded_without_a_person_or_address(app, runner):
    runner.invoke(
        args=["users", "create", "cli@example.org", "--role", "owner"],
        input="a long enough passphrase\na long enough passphrase\n",
    )
    with app.app_context():
        (created,) = entries(action="create", entity="user")
        assert (created.user_id, created.ip_address) == (None, None)
        assert created.changes["email"] == [None, "cli@example.org"]


def test_entries_can_be_neither_changed_nor_deleted(app, create_vendor):
    create_vendor()
    with app.app_context():
        entry = entries()[0]
        entry.action = "view"
        with pytest.raises(RuntimeError, match="never changed"):
            db.session.commit()
        db.session.rollback()
        db.session.delete(entries()[0])
        with pytest.raises(RuntimeError, match="never deleted"):
            db.session.commit()
        db.session.rollback()


def test_behind_a_trusted_proxy_the_persons_own_address_is_recorded(tmp_path, smtp_server):
    from vendortrack import create_app
    from vendortrack.accounts.models import User

    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/proxy.db",
            "PROXY_COUNT": "1",
        }
    )
    with app.app_context():
        db.create_all()
        user = User(email="p@example.org", name="P", role=Role.ADMIN)
        user.set_password("correct horse battery")
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    headers = {"X-Forwarded-For": "198.51.100.7, 10.0.0.1"}
    client.post(
        "/login",
        data={"email": "p@example.org", "password": "correct horse battery"},
        environ_base=proxy,
        headers=headers,
    )
    client.get(f"/users/{user_id}/edit", environ_base=proxy, headers=headers)
    with app.app_context():
        (view,) = entries(action="view", entity="user")
        assert view.ip_address == "10.0.0.1"  # the one proxy's word, not the client's claim
        db.engine.dispose()


def test_a_proxy_count_that_is_not_a_number_stops_the_app():
    from vendortrack import create_app
    from vendortrack.config import ConfigError

    with pytest.raises(ConfigError, match="VENDORTRACK_PROXY_COUNT"):
        create_app(
            {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://", "PROXY_COUNT": "one"}
        )
