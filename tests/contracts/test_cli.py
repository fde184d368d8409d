"""`flask contracts check FILE`: the JSON object the issue specifies, a text report, and a
clear message (never a trace) for a file it cannot check."""

import json

import pytest

from tests.contracts.documents import pdf_of
from vendortrack.contracts.check import TOPICS

AGREEMENT = """DATA PROCESSING TERMS

1. Roles

Northwind Mail ("Northwind") processes personal data on behalf of the Customer.

2. Breaches

2.1 Northwind will notify the Customer of any personal data breach within 96 hours.

3. Audits

3.1 The Customer shall not be entitled to conduct any audit.
"""


@pytest.fixture
def agreement(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text(AGREEMENT, encoding="utf-8")
    return path


def test_the_json_is_one_object_with_a_finding_for_each_topic(runner, agreement):
    result = runner.invoke(args=["contracts", "check", str(agreement), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"language", "findings"}
    assert report["language"] == "en"
    clauses = [f["clause"] for f in report["findings"]]
    assert clauses[: len(TOPICS)] == list(TOPICS)
    # Then the library's other clauses, found or not by their key phrases.
    assert {"general", "gdpr_transfers", "liability"} <= set(clauses[len(TOPICS) :])
    for found in report["findings"]:
        assert set(found) == {"clause", "finding", "quote", "where"}
        assert found["finding"] in {"present", "weak", "missing", "denied"}
        assert (found["quote"] == "") == (found["finding"] == "missing")
        assert " ".join(found["quote"].split()) in " ".join(AGREEMENT.split())
    by_topic = {f["clause"]: f for f in report["findings"]}
    assert by_topic["breach"] == {
        "clause": "breach",
        "finding": "weak",  # the settings ask for 24 hours
        "quote": "Northwind will notify the Customer of any personal data breach within 96 hours.",
        "where": "§ 2.1 · Breaches",
    }
    assert by_topic["audit"]["finding"] == "denied"


def test_the_text_report_shows_each_finding_its_quote_and_the_figures(runner, agreement):
    result = runner.invoke(args=["contracts", "check", str(agreement)])
    assert result.exit_code == 0, result.output
    assert "breach               WEAK  hours 96, limit 24" in result.output
    assert "“3.1" not in result.output  # the number is in the place, not the quote
    assert "(§ 3.1 · Audits)" in result.output
    assert "personnel            MISSING" in result.output


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "The file is empty."),
        (pdf_of([[], [], []]), "scan.pdf", "no text layer"),
        (b"Der Auftragsverarbeiter verarbeitet die Daten des Kunden.", "de.txt", "neither English"),
        (b"hello", "terms.rtf", "Upload the agreement as a .docx"),
    ],
)
def test_a_file_it_cannot_check_gets_a_message_and_no_trace(
    runner, tmp_path, content, name, message
):
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(args=["contracts", "check", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_document_that_is_not_an_agreement_says_so(runner, tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("We protect your personal information and you may ask to see it.\n")
    result = runner.invoke(args=["contracts", "check", str(path), "--format", "json"])
    assert result.exit_code == 0
    assert "No processing obligations found" in result.stderr
    report = json.loads(result.stdout)
    assert {f["finding"] for f in report["findings"]} == {"missing"}


def test_the_vendor_named_is_read_as_the_vendor_party(runner, tmp_path, create_vendor):
    create_vendor(name="Blue Heron Payroll")
    path = tmp_path / "dpa.txt"
    path.write_text(
        "Blue Heron Payroll processes personal data on behalf of the Customer.\n\n"
        "Blue Heron Payroll keeps all personal data encrypted at rest and in transit.\n"
    )
    without = runner.invoke(args=["contracts", "check", str(path), "--format", "json"])
    named = runner.invoke(
        args=["contracts", "check", str(path), "--format", "json", "--vendor", "blue heron payroll"]
    )
    assert json.loads(without.stdout)["findings"][0]["finding"] == "missing"
    assert json.loads(named.stdout)["findings"][0]["finding"] == "present"
    unknown = runner.invoke(args=["contracts", "check", str(path), "--vendor", "Nobody Inc"])
    assert unknown.exit_code == 2
    assert "no vendor has the id or name 'Nobody Inc'" in unknown.output
