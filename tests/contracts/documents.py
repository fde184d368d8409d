"""Agreements as a vendor sends them, made in the tests: a PDF with a text layer (or none, as
a scan), and a Word file with headings."""

import io

from docx import Document

LINES_PER_PAGE = 48


def pdf_of(pages: list[list[str]]) -> bytes:
    """A PDF whose pages show these lines in Helvetica (an empty page list: pages of no text,
    as a scan without OCR has)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", _FONT]
    kids = []
    for lines in pages:
        content = _content(lines)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
            b"<< /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return _file(objects)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _content(lines: list[str]) -> bytes:
    if not lines:
        return b"0 0 0 rg 72 72 468 648 re f"  # a picture of a page, no text
    shown = [b"BT /F1 10 Tf 14 TL 72 740 Td"]
    for line in lines:
        text = line.encode("cp1252", errors="replace")
        text = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        shown.append(b"(%s) Tj T*" % text)
    shown.append(b"ET")
    return b"\n".join(shown)


def _file(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    )
    return out.getvalue()


def paged(lines: list[str]) -> list[list[str]]:
    """Lines cut into pages, each with a running header and footer as a vendor's PDF has."""
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    return [
        [
            "Acme Cloud - Data Processing Agreement - Confidential",
            *page,
            f"Page {n} of {len(pages)}",
        ]
        for n, page in enumerate(pages, start=1)
    ]


def docx_of(blocks: list[tuple[str, str]]) -> bytes:
    """A Word file: ("heading", text) or ("text", text) in order."""
    document = Document()
    for kind, text in blocks:
        if kind == "heading":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
