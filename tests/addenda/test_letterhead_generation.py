"""A letterhead stored before the upload checks existed, that they would now refuse: generating
says so and what to do, rather than failing with a server error or copying what it carries
(a remote template) into the addendum."""

import io
from html import unescape

import docx
import pytest

from tests.helpers import count, generate
from tests.test_uploads import XXE_PROPERTIES, remote_template, with_custom_properties, word_file
from vendortrack.addenda.models import Addendum, AddendumClause
from vendortrack.documents.package import set_custom_properties
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings

LETTERHEAD_REFUSED = (
    "The letterhead saved in the settings cannot be used, so nothing was generated: {reason} "
    "An administrator can upload a corrected letterhead, or remove it, on the Settings page."
)
DTD_REASON = (
    "The file is refused: its part docProps/custom.xml declares a DTD (<!DOCTYPE …>), which a "
    "Word document never needs."
)
TEMPLATE_REASON = (
    "The file is refused: it is attached to a template (attachedTemplate: "
    "https://attacker.example/t.dotm), which Word would fetch when opening it. Attach no template "
    "and save it again."
)


def store_letterhead(app, settings, data: bytes) -> None:
    with app.app_context():
        row = db.session.get(OrganisationSettings, settings.id)
        row.letterhead, row.letterhead_filename = data, "old.docx"
        db.session.commit()


@pytest.mark.parametrize(
    ("letterhead", "reason"),
    [
        (lambda: with_custom_properties(word_file()), DTD_REASON),
        (lambda: remote_template(word_file()), TEMPLATE_REASON),
    ],
    ids=["dtd", "remote template"],
)
def test_a_stored_letterhead_that_is_now_refused_stops_generation_with_a_message(
    app, legal, settings, quebec_vendor, letterhead, reason
):
    store_letterhead(app, settings, letterhead())

    response = generate(legal, quebec_vendor, "fr")

    assert response.status_code == 200
    assert LETTERHEAD_REFUSED.format(reason=reason) in unescape(response.text)
    with app.app_context():
        assert count(Addendum) == 0


def test_the_bulk_regeneration_reports_a_stored_letterhead_that_is_now_refused(
    app, legal, settings, create_addendum, quebec_vendor
):
    old = create_addendum(
        quebec_vendor,
        clauses=[AddendumClause(clause_id="breach", version=0, position=1)],
        signed_copy=None,
        facts={"facts": {}, "values": {}, "scope": {"contract": "Services agreement"}},
    )
    store_letterhead(app, settings, remote_template(word_file()))

    response = legal.post("/addenda/outdated/regenerate", data={"after": "0"})

    assert response.status_code == 200
    batch = response.get_json()
    assert batch["regenerated"] == 0
    assert batch["finished"]
    assert list(batch["failed"].values()) == [LETTERHEAD_REFUSED.format(reason=TEMPLATE_REASON)]
    with app.app_context():
        assert count(Addendum) == 1
        assert db.session.get(Addendum, old.id) is not None


def test_a_letterheads_properties_are_read_without_its_dtd_or_entities():
    # The addendum's properties are merged with a letterhead's own; a DTD there must neither
    # fail the build nor be followed.
    document = docx.Document(io.BytesIO(with_custom_properties(word_file(), XXE_PROPERTIES)))

    set_custom_properties(document, {"Vendor": "ACME"})

    buffer = io.BytesIO()
    document.save(buffer)
    properties = docx.Document(io.BytesIO(buffer.getvalue())).part.package
    custom = next(p for p in properties.iter_parts() if p.partname == "/docProps/custom.xml")
    assert b"ACME" in custom.blob
    assert b"root:" not in custom.blob
