"""The agreement check scored on the labelled agreements in tests/contracts/agreements/: each
document beside a .toml file giving, for each topic, the finding and the sentence that decides
it. Written by hand, in our own words, after reading how published agreements are drafted.

A finding counts as found when it is present, weak or denied ("missing" is finding nothing). A
found finding is right when the label has the same finding and the quote holds the labelled
sentence (or lies within it). Precision: right ones among those found; recall: right ones among
those labelled found.

    .venv/bin/python -m tests.contracts.evaluation    # the figures per language and per topic
"""

import functools
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from vendortrack.contracts.check import TOPICS, Report, Standard, check
from vendortrack.contracts.reading import read_agreement

FOLDER = Path(__file__).parent / "agreements"
# Written by someone who had not seen the check, and never used to correct it: its figures say
# how the check does on agreements nobody here has read. Once the rules are corrected against
# one of them, it moves to agreements/ and a new one is written.
HELD_OUT = Path(__file__).parent / "heldout"
# The organisation's figures the labels were written against (Settings).
STANDARD = Standard(breach_hours=72, notice_days=30)


@dataclass(frozen=True)
class Labelled:
    path: Path
    language: str
    is_agreement: bool
    labels: dict[str, tuple[str, str]]  # topic -> (finding, sentence)


@dataclass
class Score:
    right: int = 0
    found: int = 0
    labelled: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def labelled_documents(folder: Path = FOLDER) -> list[Labelled]:
    documents = []
    for label_file in sorted(folder.glob("*.toml")):
        labels = tomllib.loads(label_file.read_text(encoding="utf-8"))
        (path,) = [p for p in folder.glob(f"{label_file.stem}.*") if p.suffix != ".toml"]
        documents.append(
            Labelled(
                path,
                labels["language"],
                labels["kind"] == "agreement",
                {t: (labels[t]["finding"], labels[t]["sentence"]) for t in TOPICS},
            )
        )
    return documents


def normalised(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def quote_matches(quote: str, sentence: str) -> bool:
    quote, sentence = normalised(quote), normalised(sentence)
    return bool(quote and sentence) and (sentence in quote or quote in sentence)


def report_of(document: Labelled) -> Report:
    return _report(document.path)


# Each document is checked once per process: the floor tests and the quote test read the same.
@functools.cache
def _report(path: Path) -> Report:
    return check(read_agreement(path.read_bytes(), path.name), STANDARD)


def score(documents: list[Labelled]) -> tuple[dict[str, Score], dict[str, Score], list[str]]:
    """Scores per language and per topic, and what went wrong, one line each."""
    by_language, by_topic, errors = defaultdict(Score), defaultdict(Score), []
    for document in documents:
        for finding in report_of(document).findings:
            label, sentence = document.labels[finding.clause]
            right = finding.finding == label and (
                label == "missing" or quote_matches(finding.quote, sentence)
            )
            for tally in (by_language[document.language], by_topic[finding.clause]):
                tally.found += finding.finding != "missing"
                tally.labelled += label != "missing"
                tally.right += right and label != "missing"
            if not right:
                errors.append(
                    f"{document.path.name} {finding.clause}: {finding.finding} "
                    f"(labelled {label}) {finding.quote[:90]!r}"
                )
    return by_language, by_topic, errors


def table(scores: dict[str, Score]) -> str:
    lines = [f"{'':<20} precision  recall    F1   right/found/labelled"]
    for name, s in sorted(scores.items()):
        lines.append(
            f"{name:<20} {s.precision:9.2f} {s.recall:7.2f} {s.f1:5.2f}   "
            f"{s.right}/{s.found}/{s.labelled}"
        )
    return "\n".join(lines)


def main() -> None:
    documents = labelled_documents()
    by_language, by_topic, errors = score(documents)
    print(f"{len(documents)} documents")
    print(table(by_language))
    print()
    print(table(by_topic))
    print()
    print("\n".join(errors))
    held_out = labelled_documents(HELD_OUT)
    print(f"\nHeld out: {len(held_out)} documents (their errors are not printed: read them only")
    print("to correct the rules, and then move them to agreements/)")
    print(table(score(held_out)[0]))


if __name__ == "__main__":
    main()
