"""Evidence files: how many one review takes, what in them is refused, and the name kept."""

import io
from datetime import date

import pytest

from tests.reviews.test_reviews import PNG, assert_nothing_stored, complete, owned, owner
from tests.test_uploads import (
    empty_paragraphs,
    ole_object,
    open_action_javascript,
    pdf_file,
    word_file,
)
from vendortrack.extensions import db
from vendortrack.reviews.models import EvidenceFile

__all__ = ["owned", "owner"]  # fixtures shared with the review tests


def files(*named: tuple[bytes, str]) -> list:
    return [(io.BytesIO(data), name) for data, name in named]


def test_more_evidence_files_than_allowed_are_refused_before_any_is_read(
    app, owner, owned, field_errors
):
    vendor = owned(review_due_on=date(2027, 5, 1))

    response = complete(owner, vendor, evidence=files(*[(PNG, f"e{n}.png") for n in range(11)]))

    assert response.status_code == 200
    assert field_errors(response.text, "evidence") == [
        "Upload at most 10 files at a time; this sent 11."
    ]
    with app.app_context():
        assert_nothing_stored(vendor, date(2027, 5, 1))


def test_ten_evidence_files_are_taken(app, owner, owned):
    vendor = owned()

    response = complete(owner, vendor, evidence=files(*[(PNG, f"e{n}.png") for n in range(10)]))

    assert response.status_code == 302
    with app.app_context():
        assert len(db.session.query(EvidenceFile).all()) == 10


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        (
            files(
                (empty_paragraphs(7_000_000), "big.docx"), (empty_paragraphs(7_000_000), "b.docx")
            ),
            "big.docx: The file is refused: its part word/document.xml unpacks to more than 5 MB.",
        ),
        (
            files((ole_object(word_file()), "report.docx")),
            "report.docx: The file is refused: it contains an OLE object "
            "(word/embeddings/oleObject1.bin). Remove the object and save it again.",
        ),
        (
            files((pdf_file(open_action_javascript), "soc2.pdf")),
            "soc2.pdf: The PDF is refused: it contains JavaScript, which a PDF reader would run.",
        ),
    ],
    ids=["unpacks too big", "OLE object", "javascript"],
)
def test_hostile_evidence_is_refused_next_to_the_field(
    app, owner, owned, field_errors, evidence, message
):
    vendor = owned(review_due_on=date(2027, 5, 1))

    response = complete(owner, vendor, evidence=evidence)

    assert response.status_code == 200
    assert field_errors(response.text, "evidence") == [message]
    with app.app_context():
        assert_nothing_stored(vendor, date(2027, 5, 1))


def test_evidence_keeps_only_its_own_name_in_what_it_stores_and_says(
    app, owner, owned, field_errors
):
    vendor = owned()

    refused = complete(owner, vendor, evidence=files((b"MZ", "../../Windows/e.exe")))
    assert field_errors(refused.text, "evidence") == [
        "e.exe: Upload evidence as .pdf, .docx, .png or .jpg files."
    ]

    complete(owner, vendor, evidence=files((PNG, "../../../etc/e.png")))
    with app.app_context():
        [stored] = db.session.query(EvidenceFile).all()
        assert stored.filename == "e.png"


def test_an_evidence_file_keeps_a_name_without_control_characters(app, owner, owned):
    response = complete(owner, owned(), evidence=files((PNG, "é" * 300 + "\x00\x1f.png")))

    assert response.status_code == 302
    with app.app_context():
        [stored] = db.session.query(EvidenceFile).all()
        assert stored.filename == ("é" * 300 + ".png")[-255:]
        assert stored.filename.endswith("é.png")
        assert len(stored.filename) == 255
