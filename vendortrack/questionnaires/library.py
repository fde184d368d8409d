"""The questionnaire library: one TOML file per set of questions in questionnaires/, loaded once
at start-up, as the clause library is. A vendor answers a set by secure link; each question says
what kind of answer it takes, whether evidence is expected, and what its answer informs (an item
of the review checklist, or a fact about the vendor)."""

import dataclasses
import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from vendortrack.register.models import Level
from vendortrack.resources import resource_dir
from vendortrack.reviews.checklist import CHECKLIST

LANGUAGES = ("en", "fr")
KINDS = ("yes_no_na", "choice", "text", "date", "file")
# The facts about a vendor an answer may inform, besides the review checklist's items.
VENDOR_FACTS = ("breach_contact", "processing_locations", "certifications")
RISK_TIERS = tuple(level.code for level in Level)
# What a vendor reads, kept short enough to read: a question, an option, an introduction.
TEXT_LIMITS = {"text": 400, "choice": 120, "intro": 1_500, "title": 120}
IDENTIFIER = re.compile(r"[a-z0-9_]{1,40}")
# The keys each table may hold: a misspelt one ("feed") would otherwise be silently dropped.
SET_KEYS = {"id", "version", "for_risk", "title", "intro", "questions"}
QUESTION_KEYS = {"id", "kind", "evidence", "feeds", "text", "choices"}


class QuestionnaireError(Exception):
    """A questionnaire file that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Choice:
    id: str
    label: dict[str, str]  # language -> label


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # one of KINDS
    text: dict[str, str]  # language -> the question
    evidence: bool  # a document is expected with the answer
    feeds: str | None  # "checklist:<item>" or "fact:<fact>", what the answer informs
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class QuestionSet:
    id: str
    version: int
    title: dict[str, str]
    intro: dict[str, str]
    for_risk: tuple[str, ...]  # the risk tiers this set is proposed for
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaires:
    sets: dict[str, QuestionSet]

    def ordered(self) -> list[QuestionSet]:
        return sorted(self.sets.values(), key=lambda s: (-len(s.questions), s.id))

    def proposed_for(self, risk_tier: Level | str) -> QuestionSet | None:
        """The set proposed by default for a vendor of that risk tier (one at most: the
        loader refuses two sets for the same tier)."""
        code = getattr(risk_tier, "code", risk_tier)
        return next((s for s in self.sets.values() if code in s.for_risk), None)


def register_questionnaires(app) -> None:
    """Load the library once, at start-up: a broken file stops the app here, naming it."""
    folder = app.config.get("QUESTIONNAIRES_DIR") or resource_dir(
        "questionnaires", packaged="questionnaire_sets"
    )
    app.extensions["questionnaires"] = load_questionnaires(Path(folder))


def load_questionnaires(folder: Path) -> Questionnaires:
    sets, proposer = {}, {}
    for path in sorted(folder.glob("*.toml")):
        try:
            question_set = _parsed(path.name, path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            raise QuestionnaireError(f"{path.name}: not valid TOML: {error}") from error
        for tier in question_set.for_risk:
            if tier in proposer:
                raise QuestionnaireError(
                    f"{path.name}: for_risk {tier!r} is already {proposer[tier]}'s "
                    "(one set per risk tier)"
                )
            proposer[tier] = path.name
        sets[question_set.id] = question_set
    if not sets:
        raise QuestionnaireError(f"{folder}: no questionnaire files (*.toml) found")
    return Questionnaires(sets)


# An app is built many times in one process (the tests): a file whose text has not changed is
# parsed once. A set is frozen, so the apps can share it.
@functools.lru_cache(maxsize=64)
def _parsed(filename: str, text: str) -> QuestionSet:
    try:
        return _question_set(filename.removesuffix(".toml"), tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise QuestionnaireError(f"{filename}: not valid TOML: {error}") from error
    except KeyError as error:
        raise QuestionnaireError(f"{filename}: missing key {error.args[0]!r}") from error
    except (TypeError, ValueError) as error:
        raise QuestionnaireError(f"{filename}: {error}") from error


def _question_set(stem: str, data: dict) -> QuestionSet:
    _known_keys(data, SET_KEYS, "the set")
    if data["id"] != stem:
        raise ValueError(f"id {data['id']!r} differs from the file name {stem!r}")
    version = data["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError("version must be a whole number from 1")
    for_risk = tuple(data.get("for_risk", ()))
    if unknown := sorted(set(map(str, for_risk)) - set(RISK_TIERS)):
        raise ValueError(f"for_risk: unknown risk tiers {unknown}; known: {list(RISK_TIERS)}")
    questions = tuple(_question(item) for item in _tables(data["questions"], "questions"))
    if not questions:
        raise ValueError("a set needs at least one question")
    _unique([q.id for q in questions], "questions")
    return QuestionSet(
        id=stem,
        version=version,
        title=_languages(data["title"], "title", "title"),
        intro=_languages(data["intro"], "intro", "intro"),
        for_risk=for_risk,
        questions=questions,
    )


def _question(item: dict) -> Question:
    question_id = _identifier(item["id"], "question id")
    where = f"question {question_id!r}"
    _known_keys(item, QUESTION_KEYS, where)
    kind = item["kind"]
    if kind not in KINDS:
        raise ValueError(f"{where}: kind {kind!r} is not one of {list(KINDS)}")
    tables = _tables(item.get("choices", []), f"{where}: choices", "questions.choices")
    choices = tuple(_choice(choice, where) for choice in tables)
    if (kind == "choice") != bool(choices):
        raise ValueError(f"{where}: choices are for a question of kind 'choice', and it needs them")
    _unique([c.id for c in choices], f"{where}: choices")
    if not isinstance(item["evidence"], bool):
        raise ValueError(f"{where}: evidence must be true or false")
    return Question(
        id=question_id,
        kind=kind,
        text=_languages(item["text"], f"{where}: text", "text"),
        evidence=item["evidence"],
        feeds=_feeds(item.get("feeds"), where),
        choices=choices,
    )


def _choice(item: dict, where: str) -> Choice:
    choice_id = _identifier(item["id"], f"{where}: choice id")
    _known_keys(item, {"id", *LANGUAGES}, f"{where}: choice {choice_id!r}")
    return Choice(id=choice_id, label=_languages(item, f"{where}: choice {choice_id!r}", "choice"))


def _feeds(feeds, where: str) -> str | None:
    if feeds is None:
        return None
    kind, _, name = str(feeds).partition(":")
    known = {"checklist": tuple(CHECKLIST), "fact": VENDOR_FACTS}.get(kind)
    if not isinstance(feeds, str) or known is None or name not in known:
        raise ValueError(
            f"{where}: feeds {feeds!r} names neither a checklist item (checklist:{{item}}, one of "
            f"{list(CHECKLIST)}) nor a vendor fact (fact:{{fact}}, one of {list(VENDOR_FACTS)})"
        )
    return feeds


def _identifier(value, where: str) -> str:
    if not isinstance(value, str) or not IDENTIFIER.fullmatch(value):
        raise ValueError(f"{where} {value!r}: lower-case letters, digits and _, at most 40")
    return value


def _unique(ids: list[str], where: str) -> None:
    if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
        raise ValueError(f"{where}: ids used twice {duplicates}")


def _known_keys(table: dict, known: set[str], where: str) -> None:
    if unknown := sorted(set(table) - known):
        raise ValueError(f"{where}: unknown keys {unknown}; known: {sorted(known)}")


def _tables(items, where: str, name: str | None = None) -> list[dict]:
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError(f"{where} must be an array of tables ([[{name or where}]])")
    return items


def _languages(table, where: str, limit_of: str) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table with an en and an fr text")
    limit = TEXT_LIMITS[limit_of]
    texts = {}
    for lang in LANGUAGES:
        text = table.get(lang, "")
        if not isinstance(text, str):
            raise ValueError(f"{where}: the {lang} text must be a string")
        text = " ".join(text.split())
        if not text:
            raise ValueError(
                f"{where}: the {lang} text is missing (every text is in English and French)"
            )
        if len(text) > limit:
            raise ValueError(f"{where}: the {lang} text is {len(text)} characters, over {limit}")
        texts[lang] = text
    return texts


def snapshot(question_set: QuestionSet) -> dict:
    """The set as plain data, kept with each questionnaire sent (JSON)."""
    return dataclasses.asdict(question_set)


def from_snapshot(data: dict) -> QuestionSet:
    """The set a questionnaire was sent with, from its snapshot. Keys a later version of these
    classes no longer has are left out, so old questionnaires still open; a field added later
    must have a default for the same reason."""
    questions = tuple(
        Question(
            **{
                **_known(Question, question),
                "choices": tuple(Choice(**_known(Choice, c)) for c in question.get("choices", ())),
            }
        )
        for question in data["questions"]
    )
    return QuestionSet(
        **{
            **_known(QuestionSet, data),
            "for_risk": tuple(data.get("for_risk", ())),
            "questions": questions,
        }
    )


def _known(cls, data: dict) -> dict:
    names = {field.name for field in dataclasses.fields(cls)}
    return {key: value for key, value in data.items() if key in names}
