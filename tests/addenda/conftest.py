"""Fixtures for the addenda tests: our settings, a legal user, a Québec vendor, and generating."""

import io
import re

import pytest
from pypdf import PdfWriter

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


def generate(client, vendor, language="fr", clauses=None, **extra):
    page = client.get(f"/vendors/{vendor.id}/addenda/new").text
    ticked = (
        clauses
        if clauses is not None
        else re.findall(r'value="(\w+)" id="clause-\w+" checked', page)
    )
    data = {
        "language": language,
        "effective_date": "2027-01-15",
        "negotiated": "no",
        "clauses": ticked,
        "action": "generate",
        **extra,
    }
    return client.post(f"/vendors/{vendor.id}/addenda/new", data=data)


def real_pdf(pages: int = 1) -> bytes:
    """A small but genuine PDF, as a scanner or a signing service would send."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
