"""Fixtures for reminders: people, vendors with due dates, and sweeps at chosen moments."""

import pytest

from tests.helpers import app_context, at, loaded
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.register.models import Vendor
from vendortrack.reminders.sweep import send_due


@pytest.fixture
def owner(create_user):
    return create_user(Role.OWNER, email="olivia@example.org", name="Olivia Owner")


@pytest.fixture
def manager(create_user):
    return create_user(Role.MANAGER, email="manon@example.org", name="Manon Manager")


@pytest.fixture
def due_vendor(app, create_vendor):
    """due_vendor(owner, review=date, notice=date, **values): a vendor with these due dates."""

    def make(owner=None, review=None, notice=None, **values):
        vendor_id = create_vendor(owner_id=owner.id if owner else None, **values).id
        with app_context(app):
            vendor = db.session.get(Vendor, vendor_id)
            vendor.review_due_on = review
            vendor.notice_deadline_on = notice
            db.session.commit()
            return loaded(vendor)

    return make


@pytest.fixture
def sweep(app):
    """sweep("2026-12-01 08:00") -> the result of a sweep at that Toronto time."""

    def run(moment: str, settings=None):
        with app_context(app):
            return send_due(at(moment), settings)

    return run
