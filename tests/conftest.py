"""Shared fixtures: the app on a fresh database, clients signed in as each role, and factories."""

import itertools

import pytest

from vendortrack import create_app
from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.vendors.models import ConsentBasis, DataSharing, Level, Vendor, VendorStatus
from vendortrack.vendors.services import refresh_risk_tier

PASSWORD = "correct horse battery"


@pytest.fixture
def app(tmp_path):
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db"})
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_numbers = itertools.count(1)


@pytest.fixture
def create_user(app):
    def make(role=Role.OWNER, **overrides) -> User:
        n = next(_numbers)
        values = {"email": f"user{n}@example.org", "name": f"User {n}", "role": Role(role)}
        values.update(overrides)
        password = values.pop("password", PASSWORD)
        user = User(**values)
        if password:
            user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def create_vendor(app):
    def make(sharings=(), **overrides) -> Vendor:
        n = next(_numbers)
        values = {
            "name": f"Vendor {n}",
            "country": "CA",
            "status": VendorStatus.ACTIVE,
            "criticality": Level.MEDIUM,
        }
        values.update(overrides)
        vendor = Vendor(**values)
        for sharing in sharings:
            vendor.sharings.append(make_sharing(**sharing))
        refresh_risk_tier(vendor, app.config["HOME_COUNTRY"])
        db.session.add(vendor)
        db.session.commit()
        return vendor

    return make


def make_sharing(**overrides) -> DataSharing:
    locations = overrides.pop("locations", ["CA"])
    values = {
        "category": "identity_contact",
        "data_subjects": ["customers"],
        "purpose": "Deliver orders",
        "consent_basis": ConsentBasis.IMPLIED,
        "retention_months": 24,
    }
    values.update(overrides)
    sharing = DataSharing(**values)
    sharing.location_codes = locations
    return sharing


def sign_in(client, user: User, password: str = PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, "sign-in failed"
    return client


@pytest.fixture
def signed_in(app, create_user):
    """signed_in(role) -> a test client signed in as a new user with that role."""

    def make(role=Role.ADMIN, **overrides):
        user = create_user(role, **overrides)
        client = app.test_client()
        sign_in(client, user)
        client.user = user
        return client

    return make
