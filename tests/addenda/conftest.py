"""Fixtures for the addenda tests: our settings, a legal user, a Québec vendor, and generating."""

import pytest

from vendortrack.accounts.models import Role


@pytest.fixture
def legal(signed_in):
    return signed_in(Role.LEGAL)


@pytest.fixture
def quebec_vendor(create_vendor):
    return create_vendor(
        name='Gestion Émile & Fils <inc> "Québec" 🎉',
        subdivision="CA-QC",
        sharings=[
            {
                "category": "health",
                "subjects_in_quebec": True,
                "locations": ["CA-QC", "US"],
                "purpose": "Soins & <suivi>",
            },
        ],
    )


@pytest.fixture
def draft(create_vendor, create_addendum):
    """An addendum neither negotiated nor signed yet."""
    return create_addendum(create_vendor(), signed_copy=None, signed_filename=None)
