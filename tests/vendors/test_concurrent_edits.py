"""Two people editing the same vendor or data sharing row: a save made from a form loaded before
someone else's save is refused and shows what they changed, instead of undoing it."""

from io import BytesIO

import pytest
from sqlalchemy import event, select, update

from tests.helpers import form_in, form_on, stale_notice
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.register.models import DataSharing, Vendor
from vendortrack.trail.models import AuditEntry

REFUSED = "Someone else saved changes here after you opened this page."


@pytest.fixture
def manager(signed_in):
    return signed_in(Role.MANAGER)


@pytest.fixture
def legal(signed_in):
    return signed_in(Role.LEGAL)


def audited_updates(entity: str, entity_id: int) -> list[list[str]]:
    """The fields each recorded change of the row changed."""
    query = select(AuditEntry).where(
        AuditEntry.entity == entity,
        AuditEntry.entity_id == entity_id,
        AuditEntry.action == "update",
    )
    return [sorted(e.changes) for e in db.session.scalars(query.order_by(AuditEntry.id))]


# --- the vendor ---------------------------------------------------------------------------------


def test_a_save_from_a_form_loaded_before_another_save_is_refused(
    app, manager, legal, create_vendor
):
    vendor = create_vendor(notes="Old notes", contact_phone="+1 514 555 0100")
    url = f"/vendors/{vendor.id}/edit"
    managers_form, legals_form = form_on(manager, url), form_on(legal, url)

    assert manager.post(url, data=managers_form | {"notes": "New notes"}).status_code == 302
    response = legal.post(url, data=legals_form | {"contact_phone": "+1 514 555 0199"})

    assert response.status_code == 409
    notice = stale_notice(response.text)
    assert REFUSED in notice
    assert "Notes New notes (in your form: Old notes)" in notice  # what the manager saved
    assert "Contact phone" not in notice  # legal's own change: nobody else made one there
    assert form_in(response.text)["contact_phone"] == ["+1 514 555 0199"]  # legal's input kept
    with app.app_context():
        saved = db.session.get(Vendor, vendor.id)
        assert (saved.notes, saved.contact_phone) == ("New notes", "+1 514 555 0100")
        assert audited_updates("vendor", vendor.id) == [["notes"]]  # the manager's, and only it


def test_saving_again_from_the_notice_overwrites_knowingly(app, manager, legal, create_vendor):
    vendor = create_vendor(notes="Old notes")
    url = f"/vendors/{vendor.id}/edit"
    managers_form, legals_form = form_on(manager, url), form_on(legal, url)
    manager.post(url, data=managers_form | {"notes": "New notes"})
    refused = legal.post(url, data=legals_form | {"notes": "Legal's notes"})
    assert refused.status_code == 409

    response = legal.post(url, data=form_in(refused.text))

    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).notes == "Legal's notes"


def test_the_second_save_goes_through_when_the_first_changed_other_fields_the_same_way(
    app, manager, legal, create_vendor
):
    vendor = create_vendor(notes="Old notes")
    url = f"/vendors/{vendor.id}/edit"
    managers_form, legals_form = form_on(manager, url), form_on(legal, url)
    manager.post(url, data=managers_form | {"notes": "Agreed notes"})

    response = legal.post(url, data=legals_form | {"notes": "Agreed notes", "services": "Pay"})

    assert response.status_code == 302  # nothing the manager saved is undone
    with app.app_context():
        saved = db.session.get(Vendor, vendor.id)
        assert (saved.notes, saved.services) == ("Agreed notes", "Pay")


def test_bookkeeping_that_moves_the_version_does_not_refuse_a_save(app, legal, create_vendor):
    """The application moves a vendor's version for its own fields too (a risk tier or review
    date refreshed by a data sharing change); the form would undo none of them."""
    vendor = create_vendor(notes="Old notes")
    url = f"/vendors/{vendor.id}/edit"
    legals_form = form_on(legal, url)
    with app.app_context():
        row = db.session.get(Vendor, vendor.id)
        row.review_due_on = None
        row.risk_override_reason = "Set on the risk page"
        db.session.commit()

    response = legal.post(url, data=legals_form | {"notes": "Legal's notes"})

    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).notes == "Legal's notes"


def test_a_save_racing_another_between_check_and_write_is_refused(manager, create_vendor, app):
    vendor = create_vendor(notes="Old notes")
    url = f"/vendors/{vendor.id}/edit"
    form = form_on(manager, url)

    raced = []

    def someone_else_saves(session, context, instances):
        if raced:
            return
        raced.append(True)
        with db.engine.begin() as connection:
            connection.execute(
                update(Vendor.__table__)
                .where(Vendor.__table__.c.id == vendor.id)
                .values(notes="Racing notes", version=Vendor.__table__.c.version + 1)
            )

    event.listen(db.session, "before_flush", someone_else_saves)
    try:
        response = manager.post(url, data=form | {"notes": "Mine", "services": "Pay"})
    finally:
        event.remove(db.session, "before_flush", someone_else_saves)

    assert response.status_code == 409
    assert "Racing notes (in your form: Mine)" in stale_notice(response.text)
    with app.app_context():
        saved = db.session.get(Vendor, vendor.id)
        assert (saved.notes, saved.services) == ("Racing notes", None)


@pytest.mark.parametrize("version", ["", "x", "-1", "1e3", "9" * 400, "\x00", "1\n2", "١"])
def test_a_damaged_version_shows_the_notice_rather_than_failing(
    app, manager, create_vendor, version
):
    vendor = create_vendor(notes="Old notes")
    url = f"/vendors/{vendor.id}/edit"
    form = form_on(manager, url) | {"version": version, "loaded": "{not json"}

    response = manager.post(url, data=form | {"notes": "Mine"})

    assert response.status_code in (200, 409)
    if response.status_code == 200:  # refused by the checks every field has
        assert "This form came back damaged." in response.text
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).notes == "Old notes"


def test_a_form_without_a_version_is_compared_with_nothing(app, manager, create_vendor):
    # A page opened before versions existed, or a script: saved as before.
    vendor = create_vendor(notes="Old notes")
    url = f"/vendors/{vendor.id}/edit"
    form = {k: v for k, v in form_on(manager, url).items() if k not in ("version", "loaded")}

    assert manager.post(url, data=form | {"notes": "Mine"}).status_code == 302
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).notes == "Mine"


def test_an_import_moves_the_version_and_a_form_loaded_before_then_sees_its_change(
    manager, create_vendor
):
    vendor = create_vendor(name="Acme", notes="Old notes")
    url = f"/vendors/{vendor.id}/edit"
    form = form_on(manager, url)
    exported = manager.get("/vendors/export.csv").data.decode("utf-8-sig")
    changed = exported.replace("Old notes", "Imported notes").encode()
    imported = manager.post(
        "/vendors/import",
        data={"file": (BytesIO(changed), "vendors.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302, imported.text

    response = manager.post(url, data=form | {"services": "Pay"})

    assert response.status_code == 409
    assert "Imported notes" in stale_notice(response.text)


# --- a data sharing row ----------------------------------------------------------------------


SHARING = {"category": "health", "purpose": "Care", "locations": ["CA"]}


def test_a_stale_data_sharing_save_is_refused(app, manager, legal, create_vendor):
    vendor = create_vendor(sharings=[SHARING])
    sharing_id = vendor.sharings[0].id
    url = f"/vendors/{vendor.id}/sharing/{sharing_id}/edit"
    managers_form, legals_form = form_on(manager, url), form_on(legal, url)

    assert (
        manager.post(url, data=managers_form | {"purpose": "Care and billing"}).status_code == 302
    )
    response = legal.post(url, data=legals_form | {"record_count": "5000"})

    assert response.status_code == 409
    notice = stale_notice(response.text)
    assert "Care and billing (in your form: Care)" in notice
    assert "number of records" not in notice
    assert form_in(response.text)["record_count"] == ["5000"]
    with app.app_context():
        sharing = db.session.get(DataSharing, sharing_id)
        assert (sharing.purpose, sharing.record_count) == ("Care and billing", None)
        assert audited_updates("data_sharing", sharing_id) == [["purpose"]]

    again = legal.post(url, data=form_in(response.text))
    assert again.status_code == 302
    with app.app_context():
        assert db.session.get(DataSharing, sharing_id).record_count == 5000


def test_a_change_of_places_alone_is_seen_by_a_form_loaded_before(
    app, manager, legal, create_vendor
):
    vendor = create_vendor(sharings=[SHARING])
    sharing_id = vendor.sharings[0].id
    url = f"/vendors/{vendor.id}/sharing/{sharing_id}/edit"
    managers_form, legals_form = form_on(manager, url), form_on(legal, url)

    manager.post(url, data=managers_form | {"locations": "CA, US"})
    response = legal.post(url, data=legals_form | {"record_count": "5000"})

    assert response.status_code == 409
    assert "CA, US (in your form: CA)" in stale_notice(response.text)
    with app.app_context():
        assert db.session.get(DataSharing, sharing_id).location_codes == ["CA", "US"]
