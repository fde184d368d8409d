"""The clause library: one TOML file per clause in contract_clauses/, loaded once at start-up.

Which clauses a vendor needs is decided by data, not code: each clause names the facts about the
vendor (see FACTS) that must all hold, or of which one must hold, for it to apply.
"""

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from vendortrack.resources import resource_dir

LANGUAGES = ("en", "fr")
# Facts about a vendor that a clause's conditions may name; vendortrack.addenda.facts computes them.
FACTS = (
    "shares_personal_information",
    "sensitive_information",
    "subjects_in_quebec",
    "subjects_in_eu",
    "subjects_in_california",
    "processed_outside_home_country",
    "quebec_data_outside_quebec",
    "eu_data_outside_eu",
    "quebec_act_applies",
    "pia_recorded",
    "pia_measures_recorded",
    "ccpa_applies",
    "uncapped_liability",
    "high_risk",
    "scc_switzerland",
    "scc_united_kingdom",
)
# How an addendum authorises sub-processors beyond those it lists: legal's choice for each one.
AUTHORISATIONS = ("general", "specific")
# What legal chooses for one addendum, on the generate page: an addition's `when` may name them
# (a clause's `applies` may not: which clauses an addendum needs is the vendor's facts alone).
# "supplements_vendor_agreement": the addendum fills the gaps of the vendor's own agreement
# (vendortrack/contracts/), and says it prevails over it on the points it covers.
SUPPLEMENTS = "supplements_vendor_agreement"
CHOICES = (*(f"{kind}_authorisation" for kind in AUTHORISATIONS), SUPPLEMENTS)
# The clauses whose presence adds to the document besides their text: the assessment's measures
# in the schedule, the approved sub-processors in the schedule, the SCCs' appendices.
PIA_CLAUSE, SUB_PROCESSOR_CLAUSE, TRANSFER_CLAUSE = "quebec_pia", "sub_processors", "gdpr_transfers"
# Values a clause's text may use as {name}; vendortrack.addenda.facts fills them.
PLACEHOLDERS = (
    "organisation",
    "vendor",
    "purposes",
    "categories",
    "data_subjects",
    "countries",
    "retention",
    "breach_hours",
    "access_days",
    "privacy_officer",
    "privacy_officer_email",
    "pia_date",
    "governing_law",
    "forum",
    "vendor_address",
    "notice_days",
    "scc_module",
    "member_state",
    "organisation_role",
    "eu_representative",
)
# "practice": common contract practice that no listed law or regulator asks for.
REGIMES = ("pipeda", "quebec", "gdpr", "ccpa", "opc", "practice")
# How strongly a regime asks for a clause, said honestly: OPC advice is not a statute.
STRENGTHS = ("statute", "regulation", "guidance", "good_practice")
TOPICS = (
    "protection",
    "audit",
    "purpose",
    "access_requests",
    "breach",
    "return_destruction",
    "sub_processors",
    "personnel",
    "cooperation",
    "cross_border",
    "instructions",
    "sale_and_combination",
    "compliance_notice",
    "general",
)
# {clause_<id>}: the number clause <id> has in the addendum, so that clauses refer to each other
# by number, as a contract does, not by a description that may not match its title.
REFERENCE = "clause_"
PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")
# One pass over a clause's text: an escaped brace ({{ or }}) or a placeholder ({name}). Filled-in
# values are never scanned again, so a vendor called "Acme {{x}}" prints exactly so.
TEMPLATE_TOKEN = re.compile(r"\{\{|\}\}|\{(\w+)\}")
LAYOUT_SPACE = re.compile(r"[ \t\r\n]+")  # not \xa0: French puts a no-break space before ":"


class LibraryError(Exception):
    """A clause file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Basis:
    regime: str
    article: Mapping[str, str]  # the provision, in each language: it is printed in documents
    strength: str


@dataclass(frozen=True)
class Addition:
    """Paragraphs a clause carries only when every fact in `when` holds: a regime's own terms
    inside the clause on their subject, rather than a second clause on the same subject."""

    when: tuple[str, ...]
    text: Mapping[str, str]

    def applies(self, facts: Mapping[str, bool]) -> bool:
        return all(facts.get(name, False) for name in self.when)


@dataclass(frozen=True)
class Clause:
    id: str
    version: int
    topic: str
    order: int
    required: bool
    title: Mapping[str, str]
    text: Mapping[str, str]
    all_facts: tuple[str, ...]
    any_facts: tuple[str, ...]
    serves: tuple[Basis, ...]
    detect: Mapping[str, tuple[str, ...]]
    placeholders: frozenset[str]
    additions: tuple[Addition, ...] = ()

    def applies(self, facts: Mapping[str, bool]) -> bool:
        """Whether the vendor's facts call for this clause."""
        every = all(facts.get(name, False) for name in self.all_facts)
        some = not self.any_facts or any(facts.get(name, False) for name in self.any_facts)
        return every and some

    def reasons(self, facts: Mapping[str, bool]) -> tuple[str, ...]:
        """The facts that make the clause apply, and its additions print, for showing why."""
        added = (name for a in self.additions if a.applies(facts) for name in a.when)
        names = dict.fromkeys((*self.all_facts, *self.any_facts, *added))
        return tuple(n for n in names if facts.get(n, False))

    def paragraphs(
        self, lang: str, values: Mapping[str, str], facts: Mapping[str, bool] | None = None
    ) -> list[str]:
        """The clause text in one language with its placeholders filled, one string a paragraph,
        followed by the additions the facts call for (none when no facts are given).

        The file's line breaks and indentation are layout, not content: they become single
        spaces. Values are inserted as they are.
        """

        def token(match: re.Match) -> str:
            if match.group(1):
                return values[match.group(1)]
            return match.group(0)[0]

        texts = [self.text[lang]]
        texts += [a.text[lang] for a in self.additions if facts is not None and a.applies(facts)]
        return [TEMPLATE_TOKEN.sub(token, p) for text in texts for p in split_paragraphs(text)]

    @property
    def references(self) -> frozenset[str]:
        """The ids of the clauses this one refers to by number."""
        return frozenset(
            p.removeprefix(REFERENCE) for p in self.placeholders if p.startswith(REFERENCE)
        )

    def every_text(self, lang: str) -> str:
        """The text and every addition, in one language: what the checks look through."""
        return "\n\n".join([self.text[lang], *(a.text[lang] for a in self.additions)])


def split_paragraphs(text: str) -> list[str]:
    """A clause text's paragraphs, each on one line: blank lines part them."""
    paragraphs = re.split(r"\n[ \t]*\n", text)
    cleaned = (LAYOUT_SPACE.sub(" ", p).strip() for p in paragraphs)
    return [p for p in cleaned if p]


def typographic(text: str, lang: str) -> str:
    """French prints the typographic apostrophe; the files type the straight one, which is
    easier to type and to search for."""
    return text.replace("'", "’") if lang == "fr" else text


@dataclass(frozen=True)
class Library:
    clauses: Mapping[str, Clause]

    def ordered(self) -> list[Clause]:
        return sorted(self.clauses.values(), key=lambda c: (c.order, c.id))

    def applicable(self, facts: Mapping[str, bool]) -> list[Clause]:
        return [c for c in self.ordered() if c.applies(facts)]


def register_clause_library(app) -> None:
    """Load the library once, at start-up: a broken clause file stops the app here, naming the
    file, rather than on the day someone generates an addendum."""
    folder = app.config.get("CLAUSES_DIR") or resource_dir("contract_clauses")
    app.extensions["clause_library"] = load_library(Path(folder))


def load_library(folder: Path) -> Library:
    """Read every *.toml clause in the folder; stop at the first broken one, naming it."""
    clauses = {}
    for path in sorted(folder.glob("*.toml")):
        clause = load_clause(path)
        clauses[clause.id] = clause
    if not clauses:
        raise LibraryError(f"{folder}: no clause files (*.toml) found")
    for clause in clauses.values():
        if unknown := sorted(clause.references - set(clauses)):
            raise LibraryError(f"{clause.id}.toml: refers to unknown clauses {unknown}")
    return Library(clauses)


def load_clause(path: Path) -> Clause:
    try:
        return _parsed_clause(path.name, path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise LibraryError(f"{path.name}: not valid TOML: {error}") from error


# Parsing the library costs far more than reading it, and an app is built many times in one
# process (every test builds its own): a file whose text has not changed is parsed once. A clause
# is frozen, so the apps can share it.
@functools.lru_cache(maxsize=512)
def _parsed_clause(filename: str, text: str) -> Clause:
    try:
        return _clause(filename.removesuffix(".toml"), tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise LibraryError(f"{filename}: not valid TOML: {error}") from error
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise LibraryError(f"{filename}: {_describe(error)}") from error


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing key {error.args[0]!r}"
    return str(error)


def _clause(stem: str, data: dict) -> Clause:
    if data["id"] != stem:
        raise ValueError(f"id {data['id']!r} differs from the file name {stem!r}")
    applies = _table(data["applies"], "applies", {"all", "any"})
    clause = Clause(
        id=data["id"],
        version=_positive(data["version"], "version"),
        topic=_one_of(data["topic"], TOPICS, "topic"),
        order=_positive(data["order"], "order"),
        required=_boolean(data["required"], "required"),
        title=_printed(_languages(data["title"], "title")),
        text=_printed(_languages(data["text"], "text")),
        all_facts=tuple(_one_of(f, FACTS, "fact") for f in applies.get("all", [])),
        any_facts=tuple(_one_of(f, FACTS, "fact") for f in applies.get("any", [])),
        serves=tuple(_basis(item) for item in data["serves"]),
        detect={lang: _phrases(data["detect"], lang) for lang in LANGUAGES},
        placeholders=frozenset(data.get("placeholders", [])),
        additions=tuple(_addition(item) for item in data.get("addition", [])),
    )
    _check_placeholders(clause)
    _check_detect(clause)
    if not clause.serves:
        raise ValueError("serves lists no regime; say which law or guidance the clause answers")
    return clause


def _printed(texts: dict[str, str]) -> dict[str, str]:
    return {lang: typographic(text, lang) for lang, text in texts.items()}


def _addition(item: dict) -> Addition:
    _table(item, "addition", {"when", "en", "fr"})
    when = item["when"]
    if not isinstance(when, list) or not when:
        raise ValueError("addition.when must list at least one fact")
    return Addition(
        when=tuple(_one_of(f, FACTS + CHOICES, "fact or choice") for f in when),
        text=_printed(_languages({k: item.get(k, "") for k in LANGUAGES}, "addition")),
    )


def _table(value, name: str, keys: set[str]) -> dict:
    # A misspelt condition must not silently make a clause apply to every vendor.
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a table such as [{name}]")
    unknown = set(value) - keys
    if unknown:
        raise ValueError(f"{name} has unknown keys {sorted(unknown)}; use {sorted(keys)}")
    return value


def _boolean(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false, not {value!r}")
    return value


def _positive(value, name: str) -> int:
    if not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number of 1 or more, not {value!r}")
    return value


def _one_of(value: str, allowed: tuple[str, ...], name: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; use one of {', '.join(allowed)}")
    return value


def _languages(value: dict, name: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a table with en and fr, such as [{name}]")
    missing = [lang for lang in LANGUAGES if not str(value.get(lang, "")).strip()]
    if missing:
        raise ValueError(f"{name} has no text in {', '.join(missing)}")
    return {lang: value[lang] for lang in LANGUAGES}


def _phrases(detect: dict, lang: str) -> tuple[str, ...]:
    phrases = tuple(detect[lang])
    if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise ValueError(f"detect.{lang} must list at least one phrase")
    return phrases


def _basis(item: dict) -> Basis:
    return Basis(
        regime=_one_of(item["regime"], REGIMES, "regime"),
        article=_languages(item["article"], "article"),
        strength=_one_of(item["strength"], STRENGTHS, "strength"),
    )


def _check_placeholders(clause: Clause) -> None:
    for lang in LANGUAGES:
        used = set(PLACEHOLDER.findall(clause.every_text(lang)))
        unknown = {p for p in used - set(PLACEHOLDERS) if not p.startswith(REFERENCE)}
        if unknown:
            raise ValueError(f"text.{lang} uses unknown placeholders {sorted(unknown)}")
        if used != clause.placeholders:
            raise ValueError(
                f"text.{lang} uses placeholders {sorted(used)} but the clause declares "
                f"{sorted(clause.placeholders)}; both languages must use the declared ones"
            )


def _check_detect(clause: Clause) -> None:
    # The phrases serve to recognise the clause in a signed contract: each must be in its text.
    for lang in LANGUAGES:
        text = _comparable(clause.every_text(lang))
        absent = [p for p in clause.detect[lang] if _comparable(p) not in text]
        if absent:
            raise ValueError(f"detect.{lang} phrases not found in text.{lang}: {absent}")


def _comparable(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).casefold()
