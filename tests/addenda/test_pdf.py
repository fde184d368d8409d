"""A generated addendum opens and lays out in a real word processor: LibreOffice, headless."""

import os
import re
import shutil
import subprocess

import pytest

from tests.addenda.test_builder import make_content
from vendortrack.documents.builder import build_addendum

# "/Type /Page" names a page object; "/Type /Pages" the tree that holds them.
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.mark.slow  # starts LibreOffice
def test_a_bilingual_addendum_converts_to_a_pdf_of_several_pages(tmp_path):
    soffice = os.environ.get("VENDORTRACK_TEST_SOFFICE") or shutil.which("soffice")
    if soffice is None:
        pytest.fail(
            "LibreOffice (soffice) is not installed: `make test` installs it where apt-get can "
            "run; elsewhere put soffice on PATH or set VENDORTRACK_TEST_SOFFICE."
        )
    source = tmp_path / "addendum.docx"
    source.write_bytes(build_addendum(make_content(), "bilingual"))

    result = subprocess.run(
        [
            soffice,
            # A profile of its own: a desktop LibreOffice left open cannot block the conversion.
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(source),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )

    pdf = tmp_path / "pdf" / "addendum.pdf"
    assert pdf.exists(), result.stderr.decode(errors="replace")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # The English version starts a page of its own after the French one.
    assert len(PAGE.findall(data)) >= 2
