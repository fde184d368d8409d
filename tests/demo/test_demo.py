import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests.helpers import app_context, count
from vendortrack.accounts.models import Role, User
from vendortrack.demo.loader import load_demo
from vendortrack.demo.sample import USERS, VENDORS
from vendortrack.extensions import db
from vendortrack.geography import country_of, is_location, is_subdivision
from vendortrack.register.catalogue import categories, subjects
from vendortrack.register.models import ConsentBasis, DataSharing, Level, Vendor, VendorStatus

TODAY = date(2031, 3, 14)


def load(app, today=TODAY):
    with app_context(app):
        summary = load_demo(app.config["HOME_COUNTRY"], today)
        db.session.commit()
        return summary


def test_cli_loads_the_sample_then_changes_nothing(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        assert count(Vendor) == len(VENDORS) >= 25
    assert f"Created {len(VENDORS)} vendors" in first.output
    assert "cannot sign in until an administrator sets one" in first.output

    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert "Created 0 vendors" in second.output
    assert "Created 0 users" in second.output
    assert f"Skipped {len(VENDORS)} vendors" in second.output
    with app.app_context():
        assert count(Vendor) == len(VENDORS)
        assert count(DataSharing) == sum(len(v.sharings) for v in VENDORS)


def test_sample_covers_every_status_level_tier_and_category(app):
    load(app)
    with app.app_context():
        vendors = db.session.scalars(select(Vendor)).all()
        sharings = db.session.scalars(select(DataSharing)).all()
        assert {v.status for v in vendors} == set(VendorStatus)
        assert {v.criticality for v in vendors} == set(Level)
        assert {v.risk_tier for v in vendors} == set(Level)
        assert {s.category for s in sharings} == set(categories())
        assert {code for s in sharings for code in s.data_subjects} == set(subjects())
        assert {s.consent_basis for s in sharings} == set(ConsentBasis)
        assert any(s.subjects_in_quebec for s in sharings)
        assert any(s.subjects_in_eu for s in sharings)
        assert any(s.subjects_in_california for s in sharings)
        assert any(s.retention_until_contract_end for s in sharings)
        assert any(s.record_count >= 100_000 for s in sharings)
        assert {"CA-QC", "US-CA"} <= {v.subdivision for v in vendors}
        assert {"DE", "FR", "IE"} <= {v.country for v in vendors}
        assert any(v.owner is None for v in vendors)
        assert sum(v.status == VendorStatus.ACTIVE for v in vendors) > len(vendors) / 2


def test_some_quebec_information_is_processed_outside_quebec_or_canada(app):
    load(app)
    with app.app_context():
        quebec = db.session.scalars(select(DataSharing).where(DataSharing.subjects_in_quebec)).all()
        locations = [set(s.location_codes) for s in quebec]
    assert any("CA-QC" not in codes and {"CA-ON", "CA-NB"} & codes for codes in locations)
    assert any(any(country_of(c) != "CA" for c in codes) for codes in locations)


def test_contract_dates_follow_the_day_the_sample_is_loaded(app):
    load(app)
    with app.app_context():
        ends = [v.contract_end for v in db.session.scalars(select(Vendor)) if v.contract_end]
        assert any(TODAY < end <= TODAY + timedelta(days=30) for end in ends)
        assert any(end < TODAY for end in ends)
        renewing = db.session.scalars(select(Vendor).where(Vendor.auto_renewal)).all()
        assert renewing
        assert all(v.notice_period_days for v in renewing)


def test_loading_the_sample_first_still_leaves_the_way_in_through_setup(app, client):
    load(app)
    response = client.get("/vendors/")
    assert urlsplit(response.location).path == "/setup"
    assert client.get("/setup").status_code == 200


def test_sample_users_have_no_password_and_cannot_sign_in(app, client, create_user):
    load(app)
    with app.app_context():
        users = db.session.scalars(select(User)).all()
        assert {u.email for u in users} == {u.email for u in USERS}
        assert {u.role for u in users} >= {Role.OWNER, Role.LEGAL, Role.MANAGER}
        assert Role.ADMIN not in {u.role for u in users}
        assert all(u.password_hash is None for u in users)
    create_user(Role.ADMIN)  # set-up done: the sign-in page is open
    for password in ("", "password", USERS[0].email):
        response = client.post("/login", data={"email": USERS[0].email, "password": password})
        assert response.status_code == 200  # the form again, not a redirect into the app
    assert "Wrong email or password." in response.text


def test_existing_vendors_and_users_are_kept_as_they_are(app, create_vendor, create_user):
    mine = create_vendor(name="  PIPELANE   crm ", status=VendorStatus.PROSPECT)
    hr = create_user(Role.ADMIN, email="MC.Tremblay@example.org", name="M-C Tremblay")

    summary = load(app)

    assert summary.vendors_skipped == ["Pipelane CRM"]
    assert summary.users_skipped == ["mc.tremblay@example.org"]
    assert len(summary.vendors_created) == len(VENDORS) - 1
    with app.app_context():
        mine = db.session.get(Vendor, mine.id)
        assert (mine.status, mine.sharings) == (VendorStatus.PROSPECT, [])
        hr = db.session.get(User, hr.id)
        assert hr.role == Role.ADMIN
        assert hr.password_hash is not None
        payroll = db.session.scalar(select(Vendor).where(Vendor.name == "Horizon Paie"))
        assert payroll.owner == hr


def test_sample_uses_only_known_codes():
    for vendor in VENDORS:
        assert vendor.subdivision is None or is_subdivision(vendor.subdivision), vendor.name
        assert vendor.subdivision is None or country_of(vendor.subdivision) == vendor.country
        assert vendor.owner is None or vendor.owner in {u.email for u in USERS}
        for sharing in vendor.sharings:
            assert sharing.category in categories(), vendor.name
            assert set(sharing.subjects) <= set(subjects()), vendor.name
            assert all(is_location(code) for code in sharing.locations), vendor.name


def test_admin_loads_the_sample_from_the_empty_list(app, signed_in):
    client = signed_in(Role.ADMIN)
    app.config["WTF_CSRF_ENABLED"] = True  # go through the real button, token included
    page = client.get("/vendors/")
    assert "Load the sample data" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    response = client.post("/demo/load", data={"csrf_token": token})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/vendors/")
    with app.app_context():
        assert count(Vendor) == len(VENDORS)
    listing = client.get("/vendors/")
    assert f"The sample data is loaded: {len(VENDORS)} vendors and {len(USERS)} users" in (
        listing.text
    )
    assert "Services informatiques Lévesque &amp; Fils" in listing.text
    assert "Load the sample data" not in listing.text


def test_loading_again_from_the_web_adds_nothing(app, signed_in):
    client = signed_in(Role.ADMIN)
    client.post("/demo/load")
    response = client.post("/demo/load", follow_redirects=True)
    assert "The sample data was already loaded; nothing was added." in response.text
    with app.app_context():
        assert count(Vendor) == len(VENDORS)


def test_a_forged_request_without_token_loads_nothing(app, signed_in):
    client = signed_in(Role.ADMIN)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/demo/load").status_code == 400
    with app.app_context():
        assert count(Vendor) == 0


@pytest.mark.parametrize("role", [Role.LEGAL, Role.MANAGER, Role.OWNER])
def test_only_admins_may_load_the_sample(app, signed_in, role):
    client = signed_in(role)
    assert client.post("/demo/load").status_code == 403
    with app.app_context():
        assert count(Vendor) == 0
    assert "Load the sample data" not in client.get("/vendors/").text


def test_signed_out_visitors_are_sent_to_sign_in(app, client, create_user):
    create_user(Role.ADMIN)
    response = client.post("/demo/load")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    with app.app_context():
        assert count(Vendor) == 0


def test_loading_is_post_only(app, signed_in):
    assert signed_in(Role.ADMIN).get("/demo/load").status_code == 405


def test_every_sample_vendor_page_renders(app, signed_in):
    load(app)
    client = signed_in(Role.ADMIN)
    with app.app_context():
        vendors = db.session.execute(select(Vendor.id, Vendor.name)).all()
    for vendor_id, name in vendors:
        response = client.get(f"/vendors/{vendor_id}")
        assert response.status_code == 200, name
    for sort in ("name", "risk", "owner", "contract_end"):
        assert client.get(f"/vendors/?sort={sort}&dir=desc").status_code == 200
