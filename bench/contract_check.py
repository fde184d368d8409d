"""How long does checking a vendor's 60-page agreement take, beside merely reading its text?

    .venv/bin/python bench/contract_check.py [--pages 60] [--runs 5]

Builds a 60-page processing agreement as a PDF (with a text layer, running headers and
hard-wrapped lines) and as a .docx: sections cycling through a duty for each topic, among the
addendum benchmark's clause texts. Then times, best of `runs`: the floor, extracting the file's text
and nothing else (pypdf's extract_text on every page; every paragraph's text from
python-docx), and the whole check (reading with places, sentences, all nine topics). Prints
the figures and the ratio; the target is under one second for either file. Never fails on them.
"""

import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' document makers

from addenda import EN

from tests.contracts.documents import LINES_PER_PAGE, docx_of, paged, pdf_of
from vendortrack.contracts.check import Standard, check
from vendortrack.contracts.reading import read_agreement

TARGET_SECONDS = 1.0
WRAP = 95  # characters per line of the PDF


# One duty for each topic, in a vendor's usual words; sections cycle through them.
DUTIES = (
    ("Security", "The Processor shall maintain administrative, technical and physical security "
     "measures that protect Customer Personal Data against unauthorised access, loss and "
     "alteration, and shall review them whenever its processing changes."),
    ("Audits", "The Processor shall allow for and contribute to audits, including inspections, "
     "conducted by the Customer or an auditor it appoints, on {n} days' written notice."),
    ("Use of data", "The Processor shall process Customer Personal Data only on the Customer's "
     "documented instructions and for no purpose other than providing the Services."),
    ("Requests from individuals", "The Processor shall forward to the Customer, within {n} "
     "days, any request from a data subject to access or correct their personal data."),
    ("Incidents", "The Processor shall notify the Customer of any personal data breach without "
     "undue delay and in any event within 24 hours of becoming aware of it."),
    ("End of the services", "On termination of the Agreement the Processor shall return or "
     "delete all Customer Personal Data within {n} days, and certify the deletion in writing."),
    ("Sub-processors", "The Processor shall inform the Customer of any new sub-processor at least "
     "30 days in advance, and the Customer may object on reasonable grounds."),
    ("Transfers", "The Processor shall not transfer Customer Personal Data outside Canada "
     "without the Customer's prior written consent and appropriate safeguards."),
    ("Personnel", "The Processor shall ensure that its personnel who access Customer Personal "
     "Data are bound by confidentiality and trained in data protection."),
)  # fmt: skip
PREAMBLE = (
    "This Data Processing Agreement applies where the Processor processes Customer Personal "
    "Data on behalf of the Customer under the Master Services Agreement."
)


def agreement_blocks(pages: int) -> list[tuple[str, str]]:
    """Headings and numbered paragraphs, enough to fill `pages` pages of the PDF."""
    blocks, lines, section = [("text", PREAMBLE)], 0, 0
    while lines < pages * LINES_PER_PAGE:
        section += 1
        title, duty = DUTIES[section % len(DUTIES)]
        blocks.append(("heading", f"{section}. {title} (Part {section})"))
        for number, text in enumerate((*EN[section % len(EN) :][:2], duty), start=1):
            vendor = text.replace("The vendor", "The Processor").replace(
                "the vendor", "the Processor"
            )
            vendor = vendor.format(n=section % 20 + 10)
            blocks.append(("text", f"{section}.{number} {vendor}"))
            lines += len(wrapped(vendor)) + 1
        lines += 2
    return blocks


def wrapped(text: str) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if len(current) + len(word) + 1 > WRAP:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current]


def pdf_lines(blocks: list[tuple[str, str]]) -> list[str]:
    lines = []
    for _, text in blocks:
        lines += [*wrapped(text), ""]
    return lines


def best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def extract_pdf(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def extract_docx(data: bytes) -> str:
    import io

    from docx import Document

    return "".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@click.command()
@click.option("--pages", default=60, show_default=True)
@click.option("--runs", default=5, show_default=True)
def main(pages: int, runs: int) -> None:
    blocks = agreement_blocks(pages)
    files = {
        "PDF": ("agreement.pdf", pdf_of(paged(pdf_lines(blocks))), extract_pdf),
        ".docx": ("agreement.docx", docx_of(blocks), extract_docx),
    }
    for label, (name, data, extract) in files.items():
        floor = best(runs, lambda data=data, extract=extract: extract(data))
        whole = best(
            runs, lambda data=data, name=name: check(read_agreement(data, name), Standard())
        )
        report = check(read_agreement(data, name), Standard())
        found = sum(f.finding != "missing" for f in report.findings)
        verdict = "met" if whole < TARGET_SECONDS else "NOT met"
        click.echo(
            f"{label:<6} {len(data) / 1024:6.0f} KiB: check {whole * 1000:6.0f} ms, "
            f"text extraction alone {floor * 1000:6.0f} ms, ratio {whole / floor:4.2f}; "
            f"{found}/9 topics found; target < {TARGET_SECONDS:.0f} s {verdict}"
        )


if __name__ == "__main__":
    main()
