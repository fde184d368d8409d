"""Input that once made the review pages answer with a server error, found by tests/test_fuzz.py."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.reviews.checklist import CHECKLIST
from vendortrack.reviews.models import EvidenceFile, Review, ReviewTrigger

PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


@pytest.fixture
def owner(signed_in):
    return signed_in(Role.OWNER)


@pytest.fixture
def vendor(owner, create_vendor):
    return create_vendor(owner_id=owner.user.id)


def review(**extra) -> dict:
    return {
        "outcome": "approved_with_conditions",
        "completed_on": "2026-10-15",
        **{f"check_{code}": "yes" for code in CHECKLIST},
        "conditions-0-text": "Send the SOC 2 report",
        "conditions-0-due_on": "2027-01-15",
        **extra,
    }


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    "name",
    [
        "\r",  # a raw line break garbles the part's header: it arrives with no name at all
        "conditions-²-text",  # a digit to str.isdigit(), not to int()
        "conditions-" + "9" * 5000 + "-text",  # more digits than int() reads
        "conditions_²-text",  # WTForms reads any character after the list's name as a separator
        "conditionsx" + "9" * 5000 + "-text",
    ],
)
def test_names_that_number_no_condition_are_left_aside(owner, vendor, name):
    response = owner.post(
        f"/vendors/{vendor.id}/reviews/new",
        data=review(**{name: "Something else"}),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    recorded = db.session.scalar(select(Review))
    assert [c.text for c in recorded.conditions] == ["Send the SOC 2 report"]


def test_an_evidence_file_keeps_a_name_without_control_characters(owner, vendor):
    name = "é" * 300 + "\x00\x1f.png"
    response = owner.post(
        f"/vendors/{vendor.id}/reviews/new",
        data=review(evidence=(io.BytesIO(PNG), name)),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    stored = db.session.scalar(select(EvidenceFile.filename))
    assert stored == ("é" * 300 + ".png")[-255:]
    assert stored.endswith("é.png") and len(stored) == 255


def test_an_incident_described_with_a_nul_character_is_refused(owner, vendor):
    response = owner.post(
        f"/vendors/{vendor.id}/incidents",
        data={"raised_on": date(2026, 1, 5).isoformat(), "detail": "Laptop\x00stolen"},
        follow_redirects=True,
    )
    assert "it holds an invisible character (NUL) that cannot be saved." in response.text
    assert count(ReviewTrigger) == 0
