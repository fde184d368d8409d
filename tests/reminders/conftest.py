"""Fixtures for reminders: people, vendors with due dates, and sweeps at chosen moments."""

import pytest

from tests.helpers import at
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.reminders.sweep import send_due


@pytest.fixture
def owner(create_user):
    return create_user(Role.OWNER, email="olivia@example.org", name="Olivia Owner")


@pytest.fixture
def manager(create_user):
    return create_user(Role.MANAGER, email="manon@example.org", name="Manon Manager")


@pytest.fixture
def due_vendor(create_vendor):
    """due_vendor(owner, review=date, notice=date, **values): a vendor with these due dates."""

    def make(owner=None, review=None, notice=None, **values):
        vendor = create_vendor(owner_id=owner.id if owner else None, **values)
        vendor.review_due_on = review
        vendor.notice_deadline_on = notice
        db.session.commit()
        return vendor

    return make


@pytest.fixture
def sweep(app):
    """sweep("2026-12-01 08:00") -> the result of a sweep at that Toronto time."""

    def run(moment: str, settings=None):
        return send_due(at(moment), settings)

    return run
