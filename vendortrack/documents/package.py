"""The .docx package: custom document properties, and a zip written the same way every time.

python-docx's own save stamps each zip entry with the current time, so two builds of the same
content would differ; addenda are hashed and compared, so ours fixes the time.

python-docx has public API for neither (only the core properties, and a save that stamps the
time), so this walks its package and parts (`docx.opc`), which it does not document as public:
pyproject.toml bounds python-docx below 1.3, and the tests check both the properties and the
identical bytes.
"""

import zipfile
from collections.abc import Mapping
from io import BytesIO

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries carry a time; a constant keeps builds identical
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
# A letterhead's properties are read with no DTD, no entity expanded and nothing fetched: the
# upload checks refuse a DTD, and this holds for a letterhead stored before they did.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def set_custom_properties(document: DocxDocument, values: dict[str, str]) -> None:
    """Record values in docProps/custom.xml: Word shows them under File > Properties."""
    package = document.part.package
    kept = {}
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:  # a letterhead's own: keep what we don't replace
            root = etree.fromstring(rel.target_part.blob, SAFE_PARSER)
            kept = {p.get("name", ""): "".join(p.itertext()) for p in root.iterchildren()}
            del package.rels[r_id]
    # Word treats names without regard to case; ours replace a letterhead's.
    merged = {name.casefold(): (name, value) for name, value in {**kept, **values}.items()}
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(merged.values(), start=2):  # pids 0 and 1 are reserved
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=CUSTOM_FMTID)
        prop.set("pid", str(pid))
        prop.set("name", name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def save_reproducibly(document: DocxDocument, known: Mapping[str, bytes] | None = None) -> bytes:
    """Zip the package as python-docx's save does, but with fixed entry times.

    `known` gives the serialised bytes of parts the caller knows are unchanged from a template
    (styles, theme, settings...), by part name: serialising them again is a fifth of a build.
    """
    known = known or {}
    package = document.part.package
    parts = list(package.iter_parts())
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _add_entry(archive, "[Content_Types].xml", _content_types(parts))
        _add_entry(archive, "_rels/.rels", package.rels.xml)
        for part in parts:
            part.before_marshal()
            blob = known.get(part.partname) or part.blob
            _add_entry(archive, part.partname.membername, blob)
            if part.rels:
                _add_entry(archive, part.partname.rels_uri.membername, part.rels.xml)
    return buffer.getvalue()


def _add_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    entry = zipfile.ZipInfo(name, ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    # The fastest deflate level: a few percent larger, several times quicker to write.
    archive.writestr(entry, data, compresslevel=1)


def _content_types(parts: list[Part]) -> bytes:
    # Every part named with its type; the two defaults cover the relationship items.
    root = etree.Element(f"{{{TYPES_NS}}}Types", nsmap={None: TYPES_NS})
    for extension, content_type in (("rels", CT.OPC_RELATIONSHIPS), ("xml", CT.XML)):
        etree.SubElement(
            root, f"{{{TYPES_NS}}}Default", Extension=extension, ContentType=content_type
        )
    for part in parts:
        attributes = {"PartName": part.partname, "ContentType": part.content_type}
        etree.SubElement(root, f"{{{TYPES_NS}}}Override", attributes)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
