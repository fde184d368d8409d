"""The checks every uploaded Word and PDF file goes through (vendortrack.uploads), on hostile
files built here in memory; the helpers that build them serve the upload tests of each feature.
"""

import io
import re
import zipfile
import zlib

import docx
import pytest
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from vendortrack.config import Config, ConfigError, settings_from_environment
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


def hidden_in_object_stream(data: bytes) -> bytes:
    """The PDF with an update appending, compressed in an object stream nothing refers to, a
    JavaScript action whose name is written with an escape (/J#61vaScript): only the raw bytes,
    once the stream is unpacked, tell."""
    objects = b"9 0 << /S /J#61vaScript /JS (app.alert(1)) >>"
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


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\evil.pdf", "evil.pdf"),
        ("C:\\Users\\ana\\report.pdf", "report.pdf"),
        ("/var/tmp/scan.pdf", "scan.pdf"),
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
