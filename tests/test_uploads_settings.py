"""The upload limits are settings: an installation that sets them lower is obeyed on every page
that takes files."""

import io
from datetime import date

import pytest

from tests.organisation.test_settings import FORM
from tests.reviews.test_reviews import PNG, assert_nothing_stored, complete, owned, owner
from tests.test_uploads import empty_paragraphs

__all__ = ["owned", "owner"]  # fixtures shared with the review tests


@pytest.fixture
def app_settings() -> dict:
    return {"UPLOAD_MAX_PART_MB": "1", "UPLOAD_MAX_FILES": "2"}


def test_the_letterhead_obeys_the_part_limit(signed_in, field_errors):
    admin = signed_in()
    letterhead = {"letterhead": (io.BytesIO(empty_paragraphs(300_000)), "letterhead.docx")}

    response = admin.post("/settings/", data=FORM | letterhead, content_type="multipart/form-data")

    assert field_errors(response.text, "letterhead") == [
        "The file is refused: its part word/document.xml unpacks to more than 1 MB."
    ]


def test_a_review_obeys_the_file_limit(app, owner, owned, field_errors):
    vendor = owned(review_due_on=date(2027, 5, 1))
    evidence = [(io.BytesIO(PNG), f"e{n}.png") for n in range(3)]

    response = complete(owner, vendor, evidence=evidence)

    assert field_errors(response.text, "evidence") == [
        "Upload at most 2 files at a time; this sent 3."
    ]
    with app.app_context():
        assert_nothing_stored(vendor, date(2027, 5, 1))
