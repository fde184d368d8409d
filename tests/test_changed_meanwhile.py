"""Writes that meet a record someone saved at the very same moment (its version moved), outside
the edit forms' own notice: never a server error, nothing saved, and sign-out still ends.

The race itself lasts milliseconds; these tests raise SQLAlchemy's StaleDataError where the race
would, as the database would have."""

from html import unescape

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from tests.helpers import count, sign_in
from tests.reviews.test_reviews import complete, sharing_form, today
from tests.vendors.test_csv import row, to_csv
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.register.models import DataSharing, SubProcessor, Vendor, VendorStatus
from vendortrack.reviews.models import ReviewTrigger
from vendortrack.trail.models import AuditEntry

SHARING = sharing_form(purpose="Payroll")


def stale(*args, **kwargs):
    raise StaleDataError("UPDATE statement on table 'vendors' expected to update 1 row(s)")


def test_any_other_write_that_meets_one_gets_a_page_saying_so(
    app, signed_in, create_vendor, monkeypatch
):
    legal = signed_in(Role.LEGAL)
    vendor = create_vendor(status=VendorStatus.ACTIVE)
    monkeypatch.setattr("vendortrack.vendors.views.terminate_vendor", stale)

    response = legal.post(f"/vendors/{vendor.id}/terminate")

    assert response.status_code == 409
    assert "Someone else saved the same record at the same moment" in unescape(response.text)
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).status is VendorStatus.ACTIVE


def test_a_new_data_sharing_row_keeps_what_was_typed(app, signed_in, create_vendor, monkeypatch):
    legal = signed_in(Role.LEGAL)
    vendor = create_vendor()
    monkeypatch.setattr("vendortrack.vendors.views.save_sharing", stale)

    response = legal.post(f"/vendors/{vendor.id}/sharing/new", data=SHARING)

    assert response.status_code == 409
    page = unescape(response.text)
    assert "The vendor was saved by someone else at the same moment" in page
    assert "Payroll</textarea>" in page  # what was typed is still in the form
    with app.app_context():
        assert count(DataSharing) == 0


def test_a_new_sub_processor_keeps_what_was_typed(app, signed_in, create_vendor, monkeypatch):
    legal = signed_in(Role.LEGAL)
    vendor = create_vendor()  # confirmed to engage none: a new one withdraws that
    monkeypatch.setattr("vendortrack.vendors.sub_processor_views.save_sub_processor", stale)

    response = legal.post(
        f"/vendors/{vendor.id}/sub-processors/new",
        data={"name": "Nuage inc.", "processing": "Hosting", "location": "CA"},
    )

    assert response.status_code == 409
    page = unescape(response.text)
    assert "The vendor was saved by someone else at the same moment" in page
    assert 'value="Nuage inc."' in page
    with app.app_context():
        assert count(SubProcessor) == 0


def test_signing_out_ends_this_browsers_session_even_when_the_database_fails(
    app, create_user, monkeypatch
):
    client = sign_in(app.test_client(), create_user(Role.MANAGER))
    monkeypatch.setattr("vendortrack.accounts.views.end_sessions", stale)

    client.post("/logout")

    response = client.get("/vendors/new")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_deactivating_an_account_ends_its_sessions_for_good(app, signed_in, create_user):
    admin = signed_in(Role.ADMIN)
    user = create_user(Role.OWNER)
    theirs = sign_in(app.test_client(), user)
    form = {"email": user.email, "name": user.name, "role": "owner", "language": "en"}

    admin.post(f"/users/{user.id}/edit", data=form)  # active left out: unticked
    admin.post(f"/users/{user.id}/edit", data={**form, "active": "y"})

    response = theirs.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("events", [1, 3])
def test_each_event_a_review_answers_is_in_the_audit_trail(app, signed_in, create_vendor, events):
    owner = signed_in(Role.OWNER)
    vendor = create_vendor(owner_id=owner.user.id)
    for number in range(events):
        owner.post(
            f"/vendors/{vendor.id}/incidents",
            data={"raised_on": f"2026-01-0{number + 1}", "detail": f"Incident {number}"},
        )
    complete(owner, vendor, completed_on=today().isoformat())

    with app.app_context():
        triggers = list(db.session.scalars(select(ReviewTrigger)))
        assert len(triggers) == events
        assert all(t.answered_by_review_id for t in triggers)
        answered = db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "review_trigger", AuditEntry.action == "update"
            )
        ).all()
        assert sorted(e.entity_id for e in answered) == sorted(t.id for t in triggers)


def test_an_import_from_the_command_line_that_meets_one_says_so(app, runner, tmp_path, monkeypatch):
    file = tmp_path / "vendors.csv"
    file.write_bytes(to_csv(row()))
    monkeypatch.setattr("vendortrack.vendors.cli.apply_import", stale)

    result = runner.invoke(args=["vendors", "import", str(file)])

    assert result.exit_code == 1
    assert "saved by someone else meanwhile; nothing was imported" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert count(DataSharing) == 0
