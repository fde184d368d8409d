"""The catalogue of personal-information categories and data subjects, shipped as catalogue.toml."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUE_FILE = Path(__file__).with_name("catalogue.toml")


@dataclass(frozen=True)
class Entry:
    code: str
    en: str
    fr: str
    sensitivity: int = 0
    en_examples: str = ""
    fr_examples: str = ""

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    def examples(self, lang: str) -> str:
        return self.fr_examples if lang == "fr" else self.en_examples


@dataclass(frozen=True)
class Catalogue:
    version: int
    categories: dict[str, Entry]
    subjects: dict[str, Entry]


@cache
def catalogue() -> Catalogue:
    """Load the catalogue once per process."""
    data = tomllib.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return Catalogue(
        version=data["version"],
        categories={e["code"]: Entry(**e) for e in data["categories"]},
        subjects={e["code"]: Entry(**e) for e in data["subjects"]},
    )


def categories() -> dict[str, Entry]:
    return catalogue().categories


def subjects() -> dict[str, Entry]:
    return catalogue().subjects
