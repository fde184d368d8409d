"""Fixtures for the addenda tests: our settings, a legal user, a Québec vendor, and generating."""

import pytest

from tests.helpers import app_context
from vendortrack.accounts.models import Role


@pytest.fixture
def legal(signed_in):
    return signed_in(Role.LEGAL)


@pytest.fixture
def quebec_vendor(app, create_vendor):
    with app_context(app):
        return create_vendor(
            name='Gestion Émile & Fils <inc> "Québec" 🎉',
            subdivision="CA-QC",
            sharings=[
                {
                    "category": "health",
                    "subjects_in_quebec": True,
                    "locations": ["CA-QC", "US"],
                    "purpose": "Care & <follow-up>",
                    "purpose_fr": "Soins & <suivi>",
                },
            ],
        )


@pytest.fixture
def draft(app, create_vendor, create_addendum):
    """An addendum neither negotiated nor signed yet."""
    with app_context(app):
        return create_addendum(create_vendor(), signed_copy=None, signed_filename=None)
