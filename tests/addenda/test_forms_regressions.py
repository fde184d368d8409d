"""Input that once made the addenda pages fail with a server error (found by tests/test_fuzz.py)."""

import io

import pytest
from sqlalchemy import select

from tests.addenda.conftest import real_pdf
from vendortrack.addenda.models import Addendum, AddendumStatus
from vendortrack.extensions import db


@pytest.fixture
def draft(create_vendor, create_addendum):
    return create_addendum(create_vendor(), signed_copy=None, signed_filename=None)


# 31 December 9999 at 23:59 in Montréal is already the year 10000 in UTC.
@pytest.mark.parametrize("field", ["french_delivered_at", "english_chosen_at"])
def test_a_time_past_the_end_of_the_calendar_is_refused_and_nothing_saved(legal, draft, field):
    response = legal.post(
        f"/addenda/{draft.id}/language",
        data={"negotiated": "yes", "french_delivered_at": "2026-01-10T09:00"}
        | {field: "9999-12-31T23:59"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "VendorTrack cannot record a date and time this far from today." in response.text
    db.session.refresh(draft)
    assert (draft.negotiated, draft.french_delivered_at, draft.english_chosen_at) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize("after", ["2147483648", "9" * 5000, "²", "-1", "next"])
def test_the_regeneration_refuses_a_position_its_page_never_sends(legal, after):
    response = legal.post("/addenda/outdated/regenerate", data={"after": after})
    assert response.status_code == 400


def test_the_regeneration_starts_from_the_first_addendum_when_given_no_position(legal):
    response = legal.post("/addenda/outdated/regenerate", data={})
    assert response.status_code == 200
    assert response.json == {"regenerated": 0, "failed": {}, "last_id": 0, "finished": True}


def test_a_signed_copy_keeps_a_name_without_control_characters(legal, draft):
    name = "é" * 300 + "\x00\x1b.pdf"
    legal.post(
        f"/addenda/{draft.id}/sign",
        data={"signed_copy": (io.BytesIO(real_pdf()), name), "signed_on": "2026-11-01"},
        content_type="multipart/form-data",
    )
    addendum = db.session.scalar(select(Addendum))
    assert addendum.status == AddendumStatus.SIGNED
    assert addendum.signed_filename == "é" * 251 + ".pdf"
    download = legal.get(f"/addenda/{addendum.id}/signed-copy")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
