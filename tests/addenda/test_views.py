"""Legal generates an addendum from a vendor's page and tracks it to signature."""

import hashlib
import io
import re
import zipfile
from datetime import date

import docx
import pytest
from sqlalchemy import select

from tests.helpers import count, generate, real_pdf
from vendortrack.accounts.models import Role
from vendortrack.addenda.models import Addendum, AddendumStatus
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings

PLAN_FOUR = ("protection", "audit", "purpose", "access_requests")


def document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_checklist_shows_what_the_facts_require_and_why(legal, settings, quebec_vendor):
    page = legal.get(f"/vendors/{quebec_vendor.id}/addenda/new").text
    for clause in (*PLAN_FOUR, "breach", "cross_border"):
        assert f'value="{clause}" id="clause-{clause}" checked' in page
    for clause in ("gdpr_instructions", "quebec_pia"):
        assert f'value="{clause}" id="clause-{clause}" checked' not in page
    # No assessment recorded: the clause saying one was done is left out, and the page says why.
    assert "no privacy impact assessment (s. 17 of the Québec private-sector Act)" in page
    # The bases shown are this vendor's regimes: neither the GDPR's nor the CCPA's.
    assert "Art. 28(1)" not in page
    assert "1798" not in page
    assert "the Québec private-sector Act applies to this information" in page
    assert "OPC guidance" in page
    assert "regulator guidance" in page


def test_legal_generates_a_french_addendum_that_downloads_byte_for_byte(
    app, legal, settings, quebec_vendor
):
    response = generate(legal, quebec_vendor, "fr")
    assert response.status_code == 302, response.text
    with app.app_context():
        addendum = db.session.scalar(select(Addendum))
        assert addendum.status == AddendumStatus.DRAFT
        assert addendum.sha256 == hashlib.sha256(addendum.document).hexdigest()
        assert {"breach", *PLAN_FOUR} <= set(addendum.clause_versions)
        assert addendum.omissions == {}  # optional clauses not chosen are not "left out"
        assert addendum.effective_date == date(2027, 1, 15)
        addendum_id, document = addendum.id, addendum.document
    download = legal.get(f"/addenda/{addendum_id}/download")
    assert download.data == document
    assert "attachment" in download.headers["Content-Disposition"]
    text = document_text(download.data)
    assert 'Gestion Émile & Fils <inc> "Québec" 🎉' in text or "Centres Sportifs Boréal" in text
    assert "Soins & <suivi>" in text
    assert "Renseignements sur la santé" in text


def test_missing_settings_are_named_and_nothing_is_stored(app, legal, quebec_vendor):
    response = generate(legal, quebec_vendor, "en")
    assert response.status_code == 200
    assert "legal name (Settings)" in response.text
    with app.app_context():
        assert count(Addendum) == 0


def test_a_vendor_without_data_sharing_gets_a_clear_message(app, legal, settings, create_vendor):
    vendor = create_vendor()
    response = generate(legal, vendor, "en", clauses=list(PLAN_FOUR))
    assert "nothing for an addendum to protect" in response.text
    with app.app_context():
        assert count(Addendum) == 0


def test_a_required_clause_needs_a_reason_to_be_left_out(app, legal, settings, quebec_vendor):
    page = legal.get(f"/vendors/{quebec_vendor.id}/addenda/new").text
    required = re.findall(r'value="(\w+)" id="clause-\w+" checked', page)
    ticked = [c for c in required if c != "cross_border"]
    response = generate(legal, quebec_vendor, "en", clauses=ticked)
    assert "Give the reason for leaving out each required clause" in response.text
    with app.app_context():
        assert count(Addendum) == 0
    reason = "Covered by the master services agreement, s. 14"
    response = generate(legal, quebec_vendor, "en", clauses=ticked, omit_cross_border=reason)
    assert response.status_code == 302
    with app.app_context():
        addendum = db.session.scalar(select(Addendum))
        assert addendum.omissions == {"cross_border": reason}
        assert "cross_border" not in addendum.clause_versions
        addendum_id = addendum.id
    assert reason in legal.get(f"/addenda/{addendum_id}").text


def test_a_reason_for_leaving_out_a_clause_is_held_to_a_paragraph(
    app, legal, settings, quebec_vendor
):
    page = legal.get(f"/vendors/{quebec_vendor.id}/addenda/new").text
    ticked = re.findall(r'value="(\w+)" id="clause-\w+" checked', page)
    ticked.remove("cross_border")

    response = generate(legal, quebec_vendor, "en", clauses=ticked, omit_cross_border="x" * 2001)

    assert response.status_code == 200
    assert "Write at most 2,000 characters." in response.text
    with app.app_context():
        assert count(Addendum) == 0


def test_preview_shows_the_content_and_stores_nothing(app, legal, settings, quebec_vendor):
    page = legal.get(f"/vendors/{quebec_vendor.id}/addenda/new").text
    ticked = re.findall(r'value="(\w+)" id="clause-\w+" checked', page)
    data = {
        "language": "bilingual",
        "effective_date": "2027-01-15",
        "negotiated": "",
        "clauses": ticked,
        "action": "preview",
        "contract": "Services agreement",
    }
    response = legal.post(f"/vendors/{quebec_vendor.id}/addenda/new", data=data)
    assert response.status_code == 200
    assert response.text.index('id="preview-fr"') < response.text.index('id="preview-en"')
    assert "Soins &amp; &lt;suivi&gt;" in response.text
    with app.app_context():
        assert count(Addendum) == 0


def signed_docx() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Signed")
    document.save(buffer)
    return buffer.getvalue()


def test_track_to_signature(app, legal, settings, quebec_vendor):
    generate(legal, quebec_vendor, "fr")
    with app.app_context():
        first_id = db.session.scalar(select(Addendum.id))
    legal.post(f"/addenda/{first_id}/sent")
    with app.app_context():
        first = db.session.get(Addendum, first_id)
        assert first.status == AddendumStatus.SENT
        assert first.sent_at
    upload = {"signed_copy": (io.BytesIO(signed_docx()), "signed.docx"), "signed_on": "2026-11-01"}
    legal.post(f"/addenda/{first_id}/sign", data=upload, content_type="multipart/form-data")
    with app.app_context():
        first = db.session.get(Addendum, first_id)
        assert first.status == AddendumStatus.SIGNED
        assert first.signed_on == date(2026, 11, 1)
        signed_copy = first.signed_copy
    assert legal.get(f"/addenda/{first_id}/signed-copy").data == signed_copy

    generate(legal, quebec_vendor, "fr")
    with app.app_context():
        second_id = db.session.scalars(select(Addendum.id).order_by(Addendum.id.desc())).first()
    upload = {"signed_copy": (io.BytesIO(real_pdf()), "s.pdf"), "signed_on": "2026-11-02"}
    legal.post(f"/addenda/{second_id}/sign", data=upload, content_type="multipart/form-data")
    with app.app_context():
        first = db.session.get(Addendum, first_id)
        assert first.status == AddendumStatus.SUPERSEDED  # one signed addendum in force


def macro_docx() -> bytes:
    buffer = io.BytesIO(signed_docx())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"macro")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"not a pdf at all", "copy.pdf", "This is not a complete PDF file."),
        (b"%PDF-1.4 garbage %%EOF", "copy.pdf", "This is not a complete PDF file."),
        (b"PK\x03\x04 broken", "copy.docx", "This is not a Word .docx file."),
        (None, "copy.docx", "Files with macros are refused"),
        (b"%PDF-1.4 %%EOF", "copy.exe", "as a .docx or .pdf file"),
    ],
)
def test_a_bad_signed_copy_is_refused_and_nothing_stored(
    app, legal, settings, quebec_vendor, data, name, message
):
    generate(legal, quebec_vendor, "fr")
    with app.app_context():
        addendum_id = db.session.scalar(select(Addendum.id))
    upload = {"signed_copy": (io.BytesIO(data or macro_docx()), name), "signed_on": "2026-11-01"}
    response = legal.post(
        f"/addenda/{addendum_id}/sign",
        data=upload,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert message in response.text
    with app.app_context():
        addendum = db.session.get(Addendum, addendum_id)
        assert addendum.status == AddendumStatus.DRAFT
        assert addendum.signed_copy is None


def test_english_can_be_chosen_only_after_the_french_was_delivered(
    app, legal, settings, quebec_vendor
):
    generate(legal, quebec_vendor, "en")
    with app.app_context():
        addendum_id = db.session.scalar(select(Addendum.id))
    form = {
        "negotiated": "no",
        "french_delivered_at": "2027-01-10T09:00",
        "english_chosen_at": "2027-01-09T09:00",
    }
    response = legal.post(f"/addenda/{addendum_id}/language", data=form, follow_redirects=True)
    assert "only be chosen after the French version was delivered" in response.text
    form["english_chosen_at"] = "2027-01-12T15:30"
    legal.post(f"/addenda/{addendum_id}/language", data=form)
    with app.app_context():
        addendum = db.session.get(Addendum, addendum_id)
        assert addendum.negotiated is False
        assert addendum.french_delivered_at < addendum.english_chosen_at


def test_readers_see_and_download_but_do_not_generate(
    app, signed_in, settings, quebec_vendor, legal
):
    generate(legal, quebec_vendor, "en")
    with app.app_context():
        addendum = db.session.scalar(select(Addendum))
        addendum_id, document = addendum.id, addendum.document
    manager = signed_in(Role.MANAGER)
    assert manager.get(f"/addenda/{addendum_id}").status_code == 200
    assert manager.get(f"/addenda/{addendum_id}/download").data == document
    assert generate(manager, quebec_vendor, "en").status_code == 403
    with app.app_context():
        assert count(Addendum) == 1


@pytest.mark.parametrize("language", ["en", "fr", "bilingual"])
def test_every_chosen_clause_is_in_the_file_in_its_language_and_nothing_else(
    app, legal, settings, quebec_vendor, language
):
    generate(legal, quebec_vendor, language)
    with app.app_context():
        addendum = db.session.scalar(select(Addendum))
        text = " ".join(document_text(addendum.document).split())
        versions, values = addendum.clause_versions, addendum.facts["values"]
        facts = addendum.facts["facts"]
    library = legal.application.extensions["clause_library"]
    chosen = [library.clauses[cid] for cid in versions]
    languages = {"en": ["en"], "fr": ["fr"], "bilingual": ["fr", "en"]}[language]
    for clause in chosen:
        for lang in languages:
            assert clause.title[lang] in text, (clause.id, lang)
            for paragraph in clause.paragraphs(lang, values[lang], facts):
                assert paragraph in text, (clause.id, lang)
    others = [c for c in library.clauses.values() if c.id not in versions]
    for clause in others:  # clauses not chosen stay out, in every language
        assert all(clause.paragraphs(lang, values[lang])[0] not in text for lang in ("en", "fr"))
    for lang in {"en", "fr"} - set(languages):  # and so does the other language
        assert all(
            clause.title[lang] not in text
            for clause in chosen
            if clause.title["en"] != clause.title["fr"]
        )
    purposes = {"en": "Care & <follow-up>", "fr": "Soins & <suivi>"}
    for lang in ("en", "fr"):  # each language's purpose, and only there
        assert (purposes[lang] in text) is (lang in languages)
    if language == "bilingual":
        assert text.index(chosen[0].title["fr"]) < text.index(chosen[0].title["en"])


def test_the_letterhead_from_the_settings_dresses_the_addendum(app, legal, settings, quebec_vendor):
    letterhead = docx.Document()
    letterhead.sections[0].header.paragraphs[0].text = "CENTRES SPORTIFS BORÉAL"
    letterhead.add_paragraph("Sample body text of the letterhead")
    buffer = io.BytesIO()
    letterhead.save(buffer)
    with app.app_context():
        row = db.session.get(OrganisationSettings, settings.id)
        row.letterhead, row.letterhead_filename = buffer.getvalue(), "boreal.docx"
        db.session.commit()

    generate(legal, quebec_vendor, "fr")
    with app.app_context():
        generated = db.session.scalar(select(Addendum)).document
    document = docx.Document(io.BytesIO(generated))
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    assert "CENTRES SPORTIFS BORÉAL" in header
    assert "Sample body text" not in document_text(generated)


def test_a_sent_addendum_survives_a_new_draft_and_its_signature_replaces_the_rest(
    app, legal, settings, quebec_vendor
):
    generate(legal, quebec_vendor, "fr")
    with app.app_context():
        sent_id = db.session.scalar(select(Addendum.id))
    legal.post(f"/addenda/{sent_id}/sent")
    generate(legal, quebec_vendor, "en")  # legal prepares another version meanwhile
    with app.app_context():
        sent = db.session.get(Addendum, sent_id)
        assert sent.status == AddendumStatus.SENT  # still with the vendor, still signable

    upload = {"signed_copy": (io.BytesIO(real_pdf(2)), "signed.pdf"), "signed_on": "2026-11-01"}
    legal.post(f"/addenda/{sent_id}/sign", data=upload, content_type="multipart/form-data")
    with app.app_context():
        statuses = dict(db.session.execute(select(Addendum.id, Addendum.status)).all())
    assert statuses[sent_id] == AddendumStatus.SIGNED
    assert [s for i, s in statuses.items() if i != sent_id] == [AddendumStatus.SUPERSEDED]


@pytest.mark.parametrize("language", ["en", "fr", "bilingual"])
def test_the_signed_document_holds_terms_and_the_bases_go_to_counsel(
    app, legal, settings, quebec_vendor, language
):
    generate(legal, quebec_vendor, language)
    with app.app_context():
        text = document_text(db.session.scalar(select(Addendum)).document)
    for words in ("Basis", "Fondement", "statute", "(loi)", "good practice", "Privacy plan"):
        assert words not in text, words
    note = generate(legal, quebec_vendor, language, action="counsel_note")
    assert note.headers["Content-Disposition"].startswith("attachment; filename=counsel-note-")
    assert note.mimetype.endswith("wordprocessingml.document")
    said = document_text(note.data)
    first = "fr" if language != "en" else "en"
    basis = {"en": "Basis: ", "fr": "Fondement\u00a0: "}[first]
    assert said.count(basis) >= len(PLAN_FOUR)
    # Québec's Act and Canada's, for this vendor; never the GDPR's or the CCPA's.
    assert ("s. 18.3" if first == "en" else "art. 18.3") in said
    for foreign in ("GDPR", "RGPD", "CCPA", "1798"):
        assert foreign not in said, foreign
    with app.app_context():
        assert count(Addendum) == 1  # the note is not an addendum


# 31 December 9999 at 23:59 in Montréal is already the year 10000 in UTC.
@pytest.mark.parametrize("field", ["french_delivered_at", "english_chosen_at"])
def test_a_time_past_the_end_of_the_calendar_is_refused_and_nothing_saved(app, legal, draft, field):
    response = legal.post(
        f"/addenda/{draft.id}/language",
        data={"negotiated": "yes", "french_delivered_at": "2026-01-10T09:00"}
        | {field: "9999-12-31T23:59"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "VendorTrack cannot record a date and time this far from today." in response.text
    with app.app_context():
        addendum = db.session.get(Addendum, draft.id)
        assert (addendum.negotiated, addendum.french_delivered_at, addendum.english_chosen_at) == (
            None,
            None,
            None,
        )
