"""What an addendum says, prepared in every language it may be written in.

The builder turns an AddendumContent into a .docx and knows nothing of the database or of
Flask; everything it prints is in here, already in words, per language ("en", "fr").
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Party:
    name: str  # legal name as it should appear
    address: str = ""
    signatory: str = ""  # name of the person who signs
    signatory_title: str = ""


@dataclass(frozen=True)
class ScheduleRow:
    """One kind of information the vendor receives, in one language."""

    category: str
    purpose: str
    data_subjects: str
    locations: str
    retention: str


@dataclass(frozen=True)
class SubProcessorRow:
    """One sub-processor the addendum approves, in one language."""

    name: str
    address: str
    processing: str
    location: str


@dataclass(frozen=True)
class AnnexPart:
    """A titled part of an annex: its entries, each a label and a value ("" label: the value
    alone, as a paragraph). A value may hold line breaks."""

    heading: str
    entries: list[tuple[str, str]]


@dataclass(frozen=True)
class Annex:
    """An annex to the addendum, in one language: the SCCs' annexes, say."""

    title: str
    parts: list[AnnexPart]


@dataclass(frozen=True)
class ClauseText:
    """One clause, numbered, filled in, in every language."""

    number: int
    id: str
    version: int
    title: dict[str, str]
    paragraphs: dict[str, list[str]]
    # e.g. "GDPR Art. 28(3)(h) (statute)": for the note to counsel, never the signed document
    basis: dict[str, str]


@dataclass(frozen=True)
class AddendumContent:
    organisation: Party
    vendor: Party
    effective_date: date
    reference: str  # the contract the addendum amends, as legal named it, or ""
    schedule: dict[str, list[ScheduleRow]]
    clauses: list[ClauseText]
    privacy_officer: str = ""  # name, title and email, as one line
    # The measures a privacy impact assessment agreed, per language, one a line; {} if none
    measures: dict[str, list[str]] = field(default_factory=dict)
    # The sub-processors approved, per language; {} when no clause refers to the list (one that
    # does with none recorded holds an empty list: the document then says there are none)
    sub_processors: dict[str, list[SubProcessorRow]] = field(default_factory=dict)
    # The annexes after the terms, per language (the SCCs' annexes); {} or [] when none
    annexes: dict[str, list[Annex]] = field(default_factory=dict)
    all_contracts: bool = False  # it amends every contract between the parties, not one
    covers_earlier: bool = False  # it covers what the vendor received before its effective date
    # The language whose version prevails when a bilingual addendum's versions differ
    prevailing: str = "fr"
    properties: dict[str, str] = field(default_factory=dict)  # extra document properties

    @property
    def clause_versions(self) -> str:
        """The clause ids and versions, as recorded in the document's properties."""
        return ", ".join(f"{c.id}@{c.version}" for c in self.clauses)
