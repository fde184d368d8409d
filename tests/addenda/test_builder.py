"""The addendum .docx, read back with python-docx as Word would show it."""

import io
import os
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.table import Table
from lxml import etree

from vendortrack.documents.builder import (
    _unchanged_elements,
    build_addendum,
    build_counsel_note,
)
from vendortrack.documents.content import (
    AddendumContent,
    Annex,
    AnnexPart,
    ClauseText,
    Party,
    ScheduleRow,
    SubProcessorRow,
)
from vendortrack.documents.wording import STRINGS
from vendortrack.uploads import UploadError, check_docx

SNAPSHOTS = Path(__file__).parent / "snapshots"
TRICKY = 'Gestion Émile & Fils <inc> "Québec" 🎉 {x}'
CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def make_content(**overrides) -> AddendumContent:
    clauses = [
        ClauseText(
            number=n,
            id=f"clause-{n}",
            version=n + 1,
            title={"en": f"English heading {n}", "fr": f"Titre français {n}"},
            paragraphs={
                "en": [f"The vendor keeps promise {n}.{i} & {{no}} <tags>." for i in range(1, m)],
                "fr": [f"Le fournisseur tient l’engagement {n}.{i} « ici »." for i in range(1, m)],
            },
            basis={"en": f"GDPR Art. 28(3)({n}) (statute)", "fr": f"RGPD art. 28(3)({n}) (loi)"},
        )
        for n, m in ((1, 2), (2, 3), (3, 4), (4, 2))  # 1, 2, 3 and 1 paragraphs
    ]
    values = {
        "organisation": Party(
            "Ville de Saint-Lambert",
            "55, rue Saint-Charles\nSaint-Lambert (Québec)",
            "Marie Tremblay",
            "Directrice générale",
        ),
        "vendor": Party(TRICKY, "1 rue <Principale> & fils", "Émile O'Brien", "Président"),
        "effective_date": date(2027, 3, 31),
        "reference": "CT-2027/014",
        "schedule": {
            "en": [
                ScheduleRow("Contact details", "Payroll", "Employees", "Canada", "7 years"),
                ScheduleRow("Bank accounts", "Deposits", "Staff", "United States", "1 year"),
            ],
            "fr": [
                ScheduleRow("Coordonnées", "Paie", "Employés", "Canada", "7 ans"),
                ScheduleRow("Comptes bancaires", "Dépôts", "Personnel", "États-Unis", "1 an"),
            ],
        },
        "clauses": clauses,
        "sub_processors": {
            "en": [SubProcessorRow("Cloud Inc.", "1 Peel Street", "Hosting", "Quebec (Canada)")],
            "fr": [SubProcessorRow("Nuage inc.", "1, rue Peel", "Hébergement", "Québec (Canada)")],
        },
        "annexes": {
            "en": [
                Annex("Annex I", [AnnexPart("A. Parties", [("Role", "Controller"), ("", "All")])])
            ],
            "fr": [
                Annex(
                    "Annexe I", [AnnexPart("A. Parties", [("Rôle", "Responsable"), ("", "Tout")])]
                )
            ],
        },
        "privacy_officer": "Marie Tremblay, vie.privee@example.org",
        "properties": {"Department": "Finance"},
    }
    values.update(overrides)
    return AddendumContent(**values)


@pytest.fixture
def sample_content() -> AddendumContent:
    return make_content()


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def lines(document) -> list[str]:
    """The body as a reader sees it, in order: a paragraph a line, a table row as cells."""
    found = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            found.extend(" | ".join(c.text for c in row.cells) for row in block.rows)
        else:
            found.append(block.text)
    return found


def expected_clause_lines(content: AddendumContent, lang: str) -> list[str]:
    expected = []
    for clause in content.clauses:
        expected.append(f"{clause.number}. {clause.title[lang]}")
        paragraphs = clause.paragraphs[lang]
        if len(paragraphs) == 1:
            expected.append(paragraphs[0])
        else:
            expected.extend(f"{clause.number}.{i}\t{p}" for i, p in enumerate(paragraphs, 1))
    return expected


def language_texts(content: AddendumContent, lang: str) -> set[str]:
    """Every piece of text only the given language's version prints."""
    texts = set(expected_clause_lines(content, lang))
    for row in (*content.schedule[lang], *content.sub_processors[lang]):
        texts.update(vars(row).values())
    for annex in content.annexes[lang]:
        texts.add(annex.title)
        texts.update(value for part in annex.parts for _label, value in part.entries)
    other = "fr" if lang == "en" else "en"
    texts.update(v for k, v in STRINGS[lang].items() if STRINGS[other][k] != v)
    return texts - {"Canada", ":", ": "}


def in_order(haystack: list[str], needles: list[str]) -> bool:
    position = -1
    for needle in needles:
        try:
            position = haystack.index(needle, position + 1)
        except ValueError:
            return False
    return True


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_clause_is_there_numbered_in_its_language(sample_content, lang):
    document = open_docx(build_addendum(sample_content, lang))
    body = lines(document)

    assert in_order(body, expected_clause_lines(sample_content, lang))
    headings = [p for p in document.paragraphs if p.text.startswith(("1. ", "2. ", "3. "))]
    assert {p.style.name for p in headings} == {"Heading 2"}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_schedule_table_holds_the_facts(sample_content, lang):
    words = STRINGS[lang]
    table = docx.Document(io.BytesIO(build_addendum(sample_content, lang))).tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]

    columns = ["category", "purpose", "data_subjects", "locations", "retention"]
    assert rows[0] == [words[c] for c in columns]
    assert rows[1:] == [[getattr(r, c) for c in columns] for r in sample_content.schedule[lang]]
    assert table.style.name == "Table Grid"


@pytest.mark.parametrize(("lang", "other"), [("en", "fr"), ("fr", "en")])
def test_nothing_of_the_other_language_leaks_in(sample_content, lang, other):
    document = open_docx(build_addendum(sample_content, lang))
    text = "\n".join(lines(document) + [p.text for p in document.sections[0].footer.paragraphs])

    leaked = [t for t in language_texts(sample_content, other) if t in text]
    assert leaked == []
    assert STRINGS[lang]["title"] in text


def test_the_dates_are_written_the_way_each_language_writes_them(sample_content):
    english = lines(open_docx(build_addendum(sample_content, "en")))
    french = lines(open_docx(build_addendum(sample_content, "fr")))

    assert "Effective date: March 31, 2027" in english
    assert "Date d’entrée en vigueur\u00a0: 31 mars 2027" in french


def test_bilingual_holds_both_versions_in_full_with_french_first(sample_content):
    document = open_docx(build_addendum(sample_content, "bilingual"))
    body = lines(document)

    french = body.index("Version française")
    english = body.index("English version")
    assert french < english
    assert in_order(body[french:english], expected_clause_lines(sample_content, "fr"))
    assert in_order(body[english:], expected_clause_lines(sample_content, "en"))
    assert not language_texts(sample_content, "en") & set(body[:english])
    titles = [
        p for p in document.paragraphs if p.text in (STRINGS["fr"]["title"], STRINGS["en"]["title"])
    ]
    assert [t.text for t in titles] == [STRINGS["fr"]["title"], STRINGS["en"]["title"]]
    assert titles[0].style.name == titles[1].style.name == "Title"  # as prominent


def test_the_english_version_of_a_bilingual_addendum_starts_a_page_with_its_own_footer(
    sample_content,
):
    document = open_docx(build_addendum(sample_content, "bilingual"))
    french, english = document.sections

    assert english.start_type == WD_SECTION.NEW_PAGE
    assert STRINGS["fr"]["title"] in french.footer.paragraphs[0].text
    assert "Page 1 de 1" in french.footer.paragraphs[0].text
    assert STRINGS["en"]["title"] in english.footer.paragraphs[0].text
    assert "Page 1 of 1" in english.footer.paragraphs[0].text


@pytest.mark.parametrize("lang", ["en", "fr", "bilingual"])
def test_the_footer_numbers_pages_with_fields(sample_content, lang):
    document = open_docx(build_addendum(sample_content, lang))

    for section in document.sections:
        footer = section.footer
        assert not footer.is_linked_to_previous
        instructions = [e.text.strip() for e in footer._element.iter(qn("w:instrText"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        kinds = [e.get(qn("w:fldCharType")) for e in footer._element.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"] * 2


def test_names_and_addresses_come_out_exactly_as_given(sample_content):
    document = open_docx(build_addendum(sample_content, "en"))
    body = lines(document)

    assert "ORGANISATION | VENDOR" in body
    assert f"Ville de Saint-Lambert | {TRICKY}" in body
    assert "55, rue Saint-Charles\nSaint-Lambert (Québec) | 1 rue <Principale> & fils" in body
    assert "Name: Marie Tremblay | Name: Émile O'Brien" in body
    assert "The vendor keeps promise 1.1 & {no} <tags>." in body
    assert document.core_properties.subject == TRICKY


def test_characters_xml_cannot_hold_are_dropped_not_fatal(sample_content):
    vendor = Party("Acme\x00 \x0bCorp\x1f\ud800", "Line\x0c one")
    clause = replace(sample_content.clauses[0], paragraphs={"en": ["Keep\x08 it"], "fr": ["Ça"]})
    content = replace(
        sample_content,
        vendor=vendor,
        clauses=[clause],
        properties={"Note\x01": "value\x02"},
    )

    document = open_docx(build_addendum(content, "en"))

    body = lines(document)
    assert "Ville de Saint-Lambert | Acme Corp" in body
    assert "Keep it" in body
    assert document.core_properties.subject == "Acme Corp"


def test_signature_blocks_sit_side_by_side_without_borders(sample_content):
    document = open_docx(build_addendum(sample_content, "fr"))
    table = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]

    assert rows[0] == ["ORGANISATION", "FOURNISSEUR"]
    assert rows[1] == ["Ville de Saint-Lambert", TRICKY]
    assert rows[2][0].startswith("Signature\u00a0: ___")
    assert rows[3] == ["Nom\u00a0: Marie Tremblay", "Nom\u00a0: Émile O'Brien"]
    assert rows[4] == ["Fonction\u00a0: Directrice générale", "Fonction\u00a0: Président"]
    assert rows[5][1].startswith("Date\u00a0: ___")
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_a_missing_signatory_leaves_a_line_to_fill(sample_content):
    content = replace(sample_content, vendor=Party("Acme"), reference="", privacy_officer="")
    document = open_docx(build_addendum(content, "en"))
    body = lines(document)

    assert any(line.endswith("Name: " + "_" * 28) for line in body)
    assert not any("Contract reference" in line or "Privacy officer" in line for line in body)


def test_the_privacy_officer_and_reference_are_printed(sample_content):
    body = lines(open_docx(build_addendum(sample_content, "en")))

    assert "Privacy officer: Marie Tremblay, vie.privee@example.org" in body
    assert "Contract reference: CT-2027/014" in body


@pytest.mark.parametrize(("lang", "title", "tag"), [
    ("en", STRINGS["en"]["title"], "en-CA"),
    ("fr", STRINGS["fr"]["title"], "fr-CA"),
    ("bilingual", f"{STRINGS['fr']['title']} / {STRINGS['en']['title']}", "fr-CA"),
])  # fmt: skip
def test_core_properties_describe_the_addendum(sample_content, lang, title, tag):
    props = open_docx(build_addendum(sample_content, lang)).core_properties

    assert props.title == title
    assert props.subject == TRICKY
    assert props.author == props.last_modified_by == "VendorTrack"
    assert props.language == tag
    assert props.keywords == "clause-1@2, clause-2@3, clause-3@4, clause-4@5"
    assert props.created == props.modified == datetime(2027, 3, 31, tzinfo=UTC)


def test_custom_properties_record_clause_versions_and_extra_properties(sample_content):
    data = build_addendum(sample_content, "en")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("docProps/custom.xml"))
    found = {p.get("name"): "".join(p.itertext()) for p in root.iter(f"{CUSTOM_NS}property")}

    assert found == {
        "Department": "Finance",
        "VendorTrack clauses": sample_content.clause_versions,
        "VendorTrack language": "en",
    }
    assert [p.get("pid") for p in root] == ["2", "3", "4"]


def test_keywords_keep_whole_entries_when_the_versions_do_not_fit(sample_content):
    clause = sample_content.clauses[0]
    clauses = [replace(clause, id=f"a-long-clause-identifier-{n}", number=n) for n in range(30)]
    content = replace(sample_content, clauses=clauses)

    keywords = open_docx(build_addendum(content, "en")).core_properties.keywords

    assert len(keywords) <= 255
    assert content.clause_versions.startswith(keywords + ", ")


def test_the_same_content_gives_the_same_bytes(sample_content):
    first = build_addendum(sample_content, "bilingual")

    assert build_addendum(sample_content, "bilingual") == first
    assert build_addendum(sample_content, "en") != first


def test_a_build_leaves_the_template_parts_it_shares_as_they_were(sample_content):
    # Every build shares the elements of the template's unchanged parts (styles, numbering...)
    # rather than copying them: one that wrote into them would change every later document.
    before = [etree.tostring(element) for element in _unchanged_elements("en-CA")]
    build_addendum(sample_content, "en")
    build_addendum(sample_content, "bilingual")
    assert [etree.tostring(element) for element in _unchanged_elements("en-CA")] == before


def test_an_unknown_language_is_refused(sample_content):
    with pytest.raises(ValueError, match="unknown language 'de'"):
        build_addendum(sample_content, "de")


@pytest.mark.parametrize("lang", ["en", "fr", "bilingual"])
def test_the_document_never_prints_the_bases_of_its_clauses(sample_content, lang):
    text = "\n".join(lines(open_docx(build_addendum(sample_content, lang))))
    for clause in sample_content.clauses:
        assert clause.basis["en"] not in text
        assert clause.basis["fr"] not in text
    assert "Basis" not in text
    assert "Fondement" not in text


def test_the_assessments_measures_follow_the_schedule_in_each_language(sample_content):
    measures = {"en": ["Encrypt backups", "Keep logs 1 year"], "fr": ["Chiffrer", "Journaux 1 an"]}
    content = replace(sample_content, measures=measures)
    for lang in ("en", "fr"):
        found = lines(open_docx(build_addendum(content, lang)))
        heading = found.index(STRINGS[lang]["measures"])
        assert found[heading + 1 : heading + 3] == [f"\u2013\t{m}" for m in measures[lang]]
        assert heading < found.index(STRINGS[lang]["clauses"])
        other = measures["fr" if lang == "en" else "en"]
        assert not set(other) & set(found)
    plain = lines(open_docx(build_addendum(sample_content, "en")))
    assert STRINGS["en"]["measures"] not in plain  # none recorded: no heading either


@pytest.mark.parametrize("lang", ["en", "fr", "bilingual"])
def test_the_note_for_counsel_gives_each_clause_its_basis(sample_content, lang):
    content = replace(
        sample_content,
        clauses=[
            *sample_content.clauses[:-1],
            replace(sample_content.clauses[-1], basis={"en": "", "fr": ""}),
        ],
    )
    found = lines(open_docx(build_counsel_note(content, lang)))
    for version in ("fr", "en") if lang == "bilingual" else (lang,):
        words = STRINGS[version]
        assert words["note_title"] in found
        assert words["note_intro"] in found
        for clause in content.clauses[:-1]:
            assert f"{clause.number}. {clause.title[version]}" in found
            assert words["basis"] + words["colon"] + clause.basis[version] in found
        assert words["basis"] + words["colon"] + words["no_basis"] in found
    with pytest.raises(ValueError, match="unknown language"):
        build_counsel_note(content, "de")


def test_reference_english_addendum_matches_its_snapshot(sample_content):
    document = open_docx(build_addendum(sample_content, "en"))
    footer = [p.text for p in document.sections[0].footer.paragraphs]
    text = "\n".join([*lines(document), "--- footer ---", *footer]) + "\n"
    snapshot = SNAPSHOTS / "reference_en.txt"

    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.exists(), "no snapshot yet: run with UPDATE_SNAPSHOTS=1 and review the file"
    assert text == snapshot.read_text(encoding="utf-8")


# --- letterheads ---


def make_letterhead(*, footer: str = "", drop_style: str = "") -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "ACME LETTERHEAD"
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    style = document.styles.add_style("Acme Body", WD_STYLE_TYPE.PARAGRAPH)
    style.font.name = "Georgia"
    document.add_paragraph("Sample letterhead text, never in a contract.", style=style)
    if drop_style:
        document.styles.element.remove(document.styles[drop_style].element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_letterhead_dresses_the_addendum_with_its_header_and_styles(sample_content):
    document = open_docx(build_addendum(sample_content, "en", letterhead=make_letterhead()))
    body = lines(document)

    assert document.sections[0].header.paragraphs[0].text == "ACME LETTERHEAD"
    assert "Acme Body" in [s.name for s in document.styles]
    assert not any("Sample letterhead text" in line for line in body)
    assert body[0] == STRINGS["en"]["title"]
    assert in_order(body, expected_clause_lines(sample_content, "en"))
    assert "Page 1 of 1" in document.sections[0].footer.paragraphs[0].text


def test_a_letterhead_footer_that_says_something_is_kept_as_it_is(sample_content):
    letterhead = make_letterhead(footer="ACME Inc. · 1 Main Street")
    document = open_docx(build_addendum(sample_content, "bilingual", letterhead=letterhead))

    for section in document.sections:
        assert [p.text for p in section.footer.paragraphs] == ["ACME Inc. · 1 Main Street"]
        assert section.header.paragraphs[0].text == "ACME LETTERHEAD"
    assert not list(document.sections[0].footer._element.iter(qn("w:instrText")))


def test_a_letterhead_without_a_heading_style_gets_ours(sample_content):
    letterhead = make_letterhead(drop_style="Heading 2")
    assert "Heading 2" not in [s.name for s in open_docx(letterhead).styles]

    document = open_docx(build_addendum(sample_content, "en", letterhead=letterhead))

    heading = next(p for p in document.paragraphs if p.text.startswith("1. "))
    assert heading.style.name == "Heading 2"


def test_a_good_letterhead_passes_the_check():
    check_docx(make_letterhead())


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_macros(letterhead: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(letterhead)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["word/vbaProject.bin"] = b"\x00" * 64
    return zip_of(entries)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: os.urandom(2048), "not a Word .docx file"),
        (lambda: b"", "not a Word .docx file"),
        (lambda: zip_of({"notes.txt": b"hello"}), "not a Word .docx file"),
        (lambda: with_macros(make_letterhead()), "macros are refused"),
        (lambda: zip_of({f"f{n}.xml": b"<a/>" for n in range(600)}), "too many parts"),
        (lambda: zip_of({"big.bin": bytes(51 * 1024 * 1024)}), "more than 50 MB"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "password-protected"),
        (
            lambda: zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x"}),
            "cannot be opened",
        ),
    ],
    ids=["random", "empty", "not-docx", "macros", "600-entries", "zip-bomb", "ole", "broken"],
)
def test_check_docx_refuses(make, message):
    with pytest.raises(UploadError, match=message):
        check_docx(make())
