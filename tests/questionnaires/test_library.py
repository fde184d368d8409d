"""The questionnaire library in questionnaires/: every set loads, in English and French, covers
the privacy plan's safeguards, and a broken file stops the app naming the file and the fault."""

from pathlib import Path

import pytest

from vendortrack.questionnaires.library import (
    KINDS,
    QuestionnaireError,
    load_questionnaires,
)
from vendortrack.register.models import Level
from vendortrack.reviews.checklist import CHECKLIST

SETS = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture(scope="module")
def library():
    return load_questionnaires(SETS)


def test_the_full_set_asks_about_every_safeguard_of_the_privacy_plan_and_more(library):
    full = library.sets["privacy_safeguards"]
    fed = {q.feeds for q in full.questions}
    safeguards = set(CHECKLIST) - {"signed_addendum"}  # the record says that, not the vendor
    assert {f"checklist:{item}" for item in safeguards} <= fed
    assert {"fact:breach_contact", "fact:processing_locations", "fact:certifications"} <= fed
    assert {q.kind for q in full.questions} == set(KINDS)
    assert any(q.evidence for q in full.questions)


def test_low_risk_vendors_get_the_short_set(library):
    short, full = library.sets["low_risk"], library.sets["privacy_safeguards"]
    assert len(short.questions) < len(full.questions)
    assert library.proposed_for(Level.LOW) is short
    assert all(library.proposed_for(tier) is full for tier in (Level.MEDIUM, "high", "critical"))


def test_french_texts_use_the_typographic_apostrophe(library):
    for question_set in library.ordered():
        texts = [question_set.title, question_set.intro]
        texts += [q.text for q in question_set.questions]
        texts += [c.label for q in question_set.questions for c in q.choices]
        for text in texts:
            assert "'" not in text["fr"], text["fr"]


GOOD = """
id = "NAME"
version = 1
for_risk = ["low"]
title = { en = "Safeguards", fr = "Mesures" }
intro = { en = "Please answer.", fr = "Répondez, s’il vous plaît." }

[[questions]]
id = "passwords"
kind = "yes_no_na"
evidence = false
feeds = "checklist:passwords"
text = { en = "Passwords?", fr = "Mots de passe?" }

[[questions]]
id = "certification"
kind = "choice"
evidence = true
text = { en = "Which?", fr = "Laquelle?" }
choices = [{ id = "iso", en = "ISO 27001", fr = "ISO 27001" }]
"""

CHOICES = 'choices = [{ id = "iso", en = "ISO 27001", fr = "ISO 27001" }]'


def write(tmp_path, name: str, text: str) -> Path:
    (tmp_path / f"{name}.toml").write_text(text.replace("NAME", name), encoding="utf-8")
    return tmp_path


def test_a_good_file_loads(tmp_path):
    loaded = load_questionnaires(write(tmp_path, "good", GOOD)).sets["good"]
    assert [q.id for q in loaded.questions] == ["passwords", "certification"]
    assert loaded.questions[1].choices[0].label["fr"] == "ISO 27001"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("invalid_toml", GOOD.replace("version = 1", "version = = 1"), "not valid TOML"),
        ("wrong_id", GOOD.replace('"NAME"', '"other"'), "differs from the file name"),
        ("zero_version", GOOD.replace("version = 1", "version = 0"), "version must be"),
        ("no_version", GOOD.replace("version = 1\n", ""), "missing key 'version'"),
        ("unknown_tier", GOOD.replace('["low"]', '["lowest"]'), "unknown risk tiers"),
        ("unknown_kind", GOOD.replace('"yes_no_na"', '"maybe"'), "kind 'maybe' is not one of"),
        ("no_french", GOOD.replace(', fr = "Mots de passe?"', ""), "the fr text is missing"),
        ("title_text", GOOD.replace('{ en = "Safeguards", fr = "Mesures" }', '"S"'), "a table"),
        ("bad_feeds", GOOD.replace("checklist:passwords", "checklist:lunch"), "feeds"),
        ("choice_without", GOOD.replace(CHOICES, ""), "choices are for"),
        ("choices_on_text", GOOD.replace('kind = "choice"', 'kind = "text"'), "choices are for"),
        ("evidence_text", GOOD.replace("evidence = false", 'evidence = "no"'), "true or false"),
        ("same_id", GOOD.replace('id = "certification"', 'id = "passwords"'), "used twice"),
        ("too_long", GOOD.replace("Passwords?", "P" * 401), "over 400"),
        ("number_text", GOOD.replace('fr = "Mots de passe?"', "fr = 42"), "must be a string"),
        ("number_feeds", GOOD.replace('"checklist:passwords"', "1"), "feeds 1 names neither"),
        ("misspelt_key", GOOD.replace("feeds =", "feed ="), r"unknown keys \['feed'\]"),
        ("bad_id", GOOD.replace('id = "passwords"', 'id = "Pass words"'), "lower-case letters"),
        (
            "same_choice",
            GOOD.replace(
                '{ id = "iso", en = "ISO 27001", fr = "ISO 27001" }',
                '{ id = "iso", en = "A", fr = "A" }, { id = "iso", en = "B", fr = "B" }',
            ),
            "choices: ids used twice",
        ),
        (
            "questions_text",
            GOOD.split("[[questions]]", maxsplit=1)[0] + 'questions = "all"',
            "array of tables",
        ),
    ],
)
def test_a_broken_file_is_refused_naming_it_and_the_fault(tmp_path, name, text, message):
    with pytest.raises(QuestionnaireError, match=message) as refused:
        load_questionnaires(write(tmp_path, name, text))
    assert f"{name}.toml" in str(refused.value)


def test_two_sets_for_one_risk_tier_are_refused(tmp_path):
    write(tmp_path, "first", GOOD)
    with pytest.raises(QuestionnaireError, match=r"'low' is already first\.toml's"):
        load_questionnaires(write(tmp_path, "second", GOOD))


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(QuestionnaireError, match="no questionnaire files"):
        load_questionnaires(tmp_path)
