"""The check scored on the labelled agreements (tests/contracts/evaluation.py says how): at least
0.85 in precision, recall and F1 in each language, every quote a passage of its document, and
nothing found in a document that is not an agreement. The figures per topic:
`.venv/bin/python -m tests.contracts.evaluation`."""

import pytest

from tests.contracts.evaluation import (
    HELD_OUT,
    labelled_documents,
    normalised,
    report_of,
    score,
    table,
)
from vendortrack.contracts.reading import read_agreement

FLOOR = 0.85
DOCUMENTS = labelled_documents()


def test_the_set_is_as_large_and_varied_as_the_issue_asks():
    agreements = [d for d in DOCUMENTS if d.is_agreement]
    assert len(agreements) >= 14
    assert sum(d.language == "fr" for d in agreements) >= len(agreements) / 2 - 1
    assert sum(not d.is_agreement for d in DOCUMENTS) >= 4
    refusing = [d for d in agreements if {"denied", "missing"} & {f for f, _ in d.labels.values()}]
    assert len(refusing) >= 4
    assert {d.path.suffix for d in DOCUMENTS} >= {".txt", ".md", ".html"}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_precision_recall_and_f1_reach_the_floor(language):
    by_language, _, errors = score([d for d in DOCUMENTS if d.language == language])
    tally = by_language[language]
    summary = f"{table(by_language)}\n" + "\n".join(errors)
    assert tally.precision >= FLOOR, summary
    assert tally.recall >= FLOOR, summary
    assert tally.f1 >= FLOOR, summary


@pytest.mark.parametrize(
    "document", DOCUMENTS + labelled_documents(HELD_OUT), ids=lambda d: d.path.name
)
def test_every_quote_is_a_passage_of_its_document(document):
    text = normalised(
        " ".join(p.text for p in read_agreement(document.path.read_bytes(), document.path.name))
    )
    report = report_of(document)
    for finding in report.findings:
        assert (finding.quote == "") == (finding.finding == "missing"), finding
        assert normalised(finding.quote) in text, finding
    if not document.is_agreement and document in DOCUMENTS:  # held-out errors are only counted
        assert not report.is_agreement
