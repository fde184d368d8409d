"""A vendor's agreement read as text with its places, from each format a vendor sends, and the
files that cannot be read refused with a message that says why."""

import io

import pytest
from pypdf import PdfReader, PdfWriter

from tests.contracts.documents import docx_of, paged, pdf_of
from vendortrack.contracts.reading import read_agreement
from vendortrack.uploads import UploadError

SECTIONS = [
    ("heading", "7. Sub-processors"),
    ("text", "7.1 The Processor shall inform the Customer of any new sub-processor."),
    ("heading", "Article 8 – Audits"),
    ("text", "Le Client peut procéder à un audit une fois par an."),
]


def texts(paragraphs) -> list[str]:
    return [paragraph.text for paragraph in paragraphs]


def test_a_word_file_gives_its_paragraphs_with_their_sections_and_headings():
    paragraphs = read_agreement(docx_of(SECTIONS), "dpa.docx")
    assert texts(paragraphs) == [text for _, text in SECTIONS]
    duty = paragraphs[1]
    assert (duty.section, duty.heading, duty.page) == ("7.1", "Sub-processors", None)
    assert duty.where == "§ 7.1 · Sub-processors"
    assert (paragraphs[3].section, paragraphs[3].heading) == ("8", "Audits")


def test_a_pdf_is_unwrapped_unhyphenated_and_freed_of_its_running_headers():
    lines = []
    topics = ["Security", "Audits", "Breaches", "Deletion", "Transfers"]
    for number, topic in enumerate(topics * 16, start=1):
        lines += [
            f"{number}. {topic} for Part {number * 7}",
            f"{number}.1 The Processor shall keep the personal informa-",
            f"tion of the {topic.lower()} part safe and tell the Customer.",
        ]
    paragraphs = read_agreement(pdf_of(paged(lines)), "dpa.pdf")
    assert "Acme Cloud" not in " ".join(texts(paragraphs))
    assert not any(text.startswith("Page ") for text in texts(paragraphs))
    duty = next(p for p in paragraphs if p.text.startswith("60.1 "))
    assert duty.text == (
        "60.1 The Processor shall keep the personal information of the transfers part safe and "
        "tell the Customer."
    )
    assert (duty.section, duty.heading, duty.page) == ("60.1", "Transfers for Part 420", 4)
    assert duty.where == "§ 60.1 · Transfers for Part 420 · p. 4"


def test_a_web_page_gives_its_text_without_scripts_menus_or_entities():
    page = b"""<html><head><title>DPA</title><script>var x = "shall";</script></head>
    <body><nav><a href="/">Home</a></nav><h2>5. Security &amp; Confidentiality</h2>
    <p>We will protect your data with
       appropriate&nbsp;measures.</p><ul><li>(a) encryption;</li><li>(b) access logs.</li></ul>
    </body></html>"""
    paragraphs = read_agreement(page, "terms.html")
    assert texts(paragraphs) == [
        "5. Security & Confidentiality",
        "We will protect your data with appropriate measures.",
        "(a) encryption;",
        "(b) access logs.",
    ]
    assert paragraphs[1].heading == "Security & Confidentiality"


def test_markdown_and_hard_wrapped_text_are_joined_into_paragraphs():
    markdown = (
        "# Data Processing Terms\n\n## 3. Deletion\n\nThe **Processor** shall delete the\n"
        "data at the [end](https://x.example) of the services.\n\n- (a) backups within 30 days;\n"
    )
    paragraphs = read_agreement(markdown.encode(), "terms.md")
    assert texts(paragraphs) == [
        "Data Processing Terms",
        "3. Deletion",
        "The Processor shall delete the data at the end of the services.",
        "- (a) backups within 30 days;",
    ]
    assert paragraphs[2].where == "§ 3 · Deletion"
    wrapped = (
        "1. Purpose\n\nThe Service Provider shall use the personal\n"
        "information only to provide the services.\n"
    )
    assert texts(read_agreement(wrapped.encode("cp1252"), "terms.txt"))[1] == (
        "The Service Provider shall use the personal information only to provide the services."
    )


def test_an_amount_restated_in_figures_on_the_next_line_is_no_list_item():
    wrapped = "Ledgerline shall notify the Merchant no later than seventy-two\n(72) hours after.\n"
    assert texts(read_agreement(wrapped.encode(), "dpa.txt")) == [
        "Ledgerline shall notify the Merchant no later than seventy-two (72) hours after."
    ]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "dpa.pdf", "The file is empty."),
        (b"  \n ", "dpa.txt", "The file is empty."),
        (pdf_of([[], []]), "scan.pdf", "The PDF has no text layer (a scan?)"),
        (b"\x00\x01binary", "dpa.txt", "The file is not text"),
        (b"%PDF-1.4 broken", "dpa.pdf", "PDF"),
        (b"<html><script>only()</script></html>", "dpa.html", "The file holds no text."),
        (b"hello", "dpa.odt", "Upload the agreement as a .docx, .pdf"),
        (b"PK not a zip", "dpa.docx", ""),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_saying_why(data, name, message):
    with pytest.raises(UploadError) as refused:
        read_agreement(data, name)
    assert message in str(refused.value)


def test_a_pdf_locked_by_a_password_is_refused():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of([["The Processor shall."] * 10]))))
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(UploadError, match="protected by a password"):
        read_agreement(locked.getvalue(), "locked.pdf")
