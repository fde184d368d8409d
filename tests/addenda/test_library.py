"""The clause library in contract_clauses/: every file loads, says the same thing in both
languages, and applies to the vendors it is meant for; broken files are refused by name."""

import re
from pathlib import Path

import pytest

from vendortrack.addenda.library import (
    CHOICES,
    FACTS,
    LANGUAGES,
    PLACEHOLDER,
    PLACEHOLDERS,
    REFERENCE,
    LibraryError,
    load_library,
    split_paragraphs,
)

CLAUSES = Path(__file__).resolve().parents[2] / "contract_clauses"

# The privacy plan's third-party section asks for these four clauses in every contract.
PRIVACY_PLAN_TOPICS = ("protection", "audit", "purpose", "access_requests")

QUEBEC = {"quebec_pia"}
GDPR = {"gdpr_instructions", "gdpr_assistance", "gdpr_transfers"}
CCPA = {"ccpa_service_provider"}
CROSS_BORDER = {"cross_border"}
CONDITIONAL = QUEBEC | GDPR | CCPA | CROSS_BORDER

# A value placed after these French words would need elision (d', qu') when it starts with a vowel;
# the clauses are written so that a name never follows them.
ELIDING = re.compile(
    r"\b(?:de|que|lorsque|puisque|quoique|jusque|le|la|du)\s+\{(?:organisation|vendor|privacy_officer)\}",
    re.IGNORECASE,
)

# The regime's label is printed before each article ("PIPEDA", "Loi sur le privé (Québec)", …), so
# an article must not start by naming a regime again.
REGIME_NAMES = ("PIPEDA", "LPRPDE", "GDPR", "RGPD", "CCPA", "OPC", "CPVP", "P-39.1")
# A word of plain language, as opposed to a bare citation such as
# "Cal. Code Regs. tit. 11, § 7051(a)(6)": an article containing one must be translated.
PLAIN_WORD = re.compile(r"\b[a-zà-ÿ]{4,}\b")
# English citation forms and common English words, which must not appear in a French article.
ENGLISH_CITATION = re.compile(
    r"\bSch\. \d|\bcl\. \d|\bss?\. \d|\bArts? \d|\bPrivacy plan\b|\b(?:and|or|the|of|to|with)\b"
)


@pytest.fixture(scope="module")
def library():
    return load_library(CLAUSES)


def facts(*true: str) -> dict[str, bool]:
    unknown = set(true) - set(FACTS)
    assert not unknown, unknown
    return {name: name in true for name in FACTS}


def flat(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


def parts(clause) -> list[str]:
    """A clause's text and each addition's, in one language each: every piece both languages
    must say alike."""
    return [clause.text, *(addition.text for addition in clause.additions)]


# -- the library as shipped ---------------------------------------------------------------------


def test_the_library_loads_one_file_per_clause(library):
    files = sorted(p.stem for p in CLAUSES.glob("*.toml"))
    assert sorted(library.clauses) == files
    assert 20 <= len(files) <= 24


def test_every_clause_has_a_title_and_text_in_both_languages(library):
    for clause in library.ordered():
        for lang in LANGUAGES:
            assert clause.title[lang].strip(), (clause.id, lang)
            assert clause.text[lang].strip(), (clause.id, lang)
            assert "{" not in clause.title[lang], f"{clause.id}: titles are not filled in"


def test_both_languages_use_exactly_the_declared_placeholders(library):
    for clause in library.ordered():
        references = {f"{REFERENCE}{cid}" for cid in library.clauses}
        assert clause.placeholders <= set(PLACEHOLDERS) | references, clause.id
        for piece in parts(clause):
            used = [set(PLACEHOLDER.findall(piece[lang])) for lang in LANGUAGES]
            assert used[0] == used[1], clause.id
        every = set(PLACEHOLDER.findall(clause.every_text("en")))
        assert every == clause.placeholders, clause.id


def test_both_languages_have_the_same_paragraphs_and_numbers(library):
    for clause in library.ordered():
        values = {name: f"<{name}>" for name in clause.placeholders}
        every_fact = dict.fromkeys(FACTS, True)
        en, fr = (clause.paragraphs(lang, values, every_fact) for lang in LANGUAGES)
        assert 1 <= len(split_paragraphs(clause.text["en"])) <= 5, clause.id
        assert len(en) <= 7, clause.id
        for piece in parts(clause):
            assert len(split_paragraphs(piece["en"])) == len(split_paragraphs(piece["fr"]))
        for number, (english, french) in enumerate(zip(en, fr, strict=True), start=1):
            assert sorted(re.findall(r"\d+", english)) == sorted(re.findall(r"\d+", french)), (
                f"{clause.id} paragraph {number}: the numbers differ between the languages"
            )


def test_detect_phrases_are_short_lower_case_and_in_the_text_of_their_language(library):
    for clause in library.ordered():
        for lang in LANGUAGES:
            phrases = clause.detect[lang]
            text = flat(clause.every_text(lang))
            assert 2 <= len(phrases) <= 4, (clause.id, lang, phrases)
            for phrase in phrases:
                assert phrase == phrase.lower(), (clause.id, lang, phrase)
                assert 2 <= len(phrase.split()) <= 6, (clause.id, lang, phrase)
                assert "{" not in phrase, (clause.id, lang, phrase)
                assert flat(phrase) in text, f"{clause.id}: {phrase!r} is not in the {lang} text"


def test_french_text_never_puts_a_name_where_elision_would_be_needed(library):
    for clause in library.ordered():
        found = ELIDING.findall(clause.every_text("fr"))
        assert not found, f"{clause.id}: {found}"


def test_french_prints_one_apostrophe_the_typographic_one(library):
    for clause in library.ordered():
        assert "'" not in clause.every_text("fr") + clause.title["fr"], clause.id
        assert "\u2019" not in clause.every_text("en"), clause.id


def test_clauses_refer_to_each_other_by_number_not_by_description(library):
    described = re.compile(r"\b(?:the clause on|la clause sur|les clauses? qui portent)\b", re.I)
    for clause in library.ordered():
        for lang in LANGUAGES:
            assert not described.search(clause.every_text(lang)), (clause.id, lang)


def test_no_sentence_ends_on_a_name(library):
    # Legal names often end with a full stop ("Acme Inc."), which would print as "Inc..".
    for clause in library.ordered():
        for lang in LANGUAGES:
            found = re.findall(
                r"\{(?:organisation|vendor|privacy_officer)\}\.", clause.every_text(lang)
            )
            assert not found, (clause.id, lang, found)


def test_orders_are_unique_and_versions_positive(library):
    orders = [clause.order for clause in library.ordered()]
    assert len(orders) == len(set(orders))
    assert all(clause.version >= 1 for clause in library.ordered())


def test_every_clause_says_which_regime_it_serves_without_verify_notes(library):
    for clause in library.ordered():
        assert clause.serves, clause.id
        for basis in clause.serves:
            for lang in LANGUAGES:
                assert basis.article[lang].strip(), (clause.id, lang)
                # Open questions for counsel go in TOML comments, never into the signed document.
                assert "VERIFY" not in basis.article[lang].upper(), (clause.id, lang)


def test_every_article_is_given_in_both_languages(library):
    for clause in library.ordered():
        for basis in clause.serves:
            where = (clause.id, basis.regime)
            assert set(basis.article) == set(LANGUAGES), where
            en, fr = (basis.article[lang].strip() for lang in LANGUAGES)
            assert en, where
            assert fr, where
            # The French document must not print the English: only a bare citation, with no plain
            # words in it, reads the same in both languages.
            if en == fr:
                assert not PLAIN_WORD.search(en), f"{where}: article.fr is the English {en!r}"


def test_no_article_starts_with_the_name_of_a_regime(library):
    # "PIPEDA PIPEDA Sch. 1 …": the label already names the regime.
    for clause in library.ordered():
        for basis in clause.serves:
            for lang in LANGUAGES:
                first = re.split(r"[\s,:;(]+", basis.article[lang].strip(), maxsplit=1)[0]
                assert first.upper() not in REGIME_NAMES, (clause.id, basis.regime, lang)


def test_french_articles_use_french_citations(library):
    # "annexe 1, art. 4.1.3", "art. 18.3", "art. 28, par. 3, point h)", "Plan de protection …".
    for clause in library.ordered():
        for basis in clause.serves:
            found = ENGLISH_CITATION.findall(basis.article["fr"])
            assert not found, (clause.id, basis.regime, found)


# -- which clauses apply to which vendor -------------------------------------------------------


def test_the_privacy_plan_clauses_apply_to_every_vendor_sharing_personal_information(library):
    vendor = facts("shares_personal_information")
    for topic in PRIVACY_PLAN_TOPICS:
        clauses = [
            c for c in library.ordered() if c.topic == topic and c.required and c.applies(vendor)
        ]
        assert clauses, f"no required {topic} clause for every vendor"
        assert any(
            basis.regime == "opc" and basis.strength == "guidance"
            for clause in clauses
            for basis in clause.serves
        ), f"{topic}: the privacy plan's clause must be labelled OPC guidance"


def test_privacy_plan_clauses_are_not_labelled_as_pipeda_mandated_terms(library):
    for topic in ("audit", "access_requests"):
        clause = library.clauses[topic]
        assert all(b.strength != "statute" for b in clause.serves if b.regime in ("opc", "pipeda"))


def test_a_vendor_sharing_nothing_needs_no_clause(library):
    assert library.applicable(facts()) == []


def test_a_plain_vendor_gets_no_regional_clause(library):
    applicable = {c.id for c in library.applicable(facts("shares_personal_information"))}
    assert not applicable & CONDITIONAL
    assert {"general", "protection", "audit", "purpose", "access_requests", "breach"} <= applicable
    assert {"return_destruction", "sub_processors", "personnel", "cooperation"} <= applicable
    optional = {c.id for c in library.ordered() if not c.required}
    assert 3 <= len(optional) <= 4
    assert optional <= applicable


@pytest.mark.parametrize(
    ("fact", "expected", "not_expected"),
    [
        ("subjects_in_quebec", set(), QUEBEC | GDPR | CCPA),
        ("quebec_data_outside_quebec", set(), QUEBEC | GDPR | CCPA),
        ("subjects_in_eu", GDPR - {"gdpr_transfers"}, {"gdpr_transfers"} | QUEBEC | CCPA),
        ("eu_data_outside_eu", {"gdpr_transfers"}, QUEBEC | CCPA),
        # California residents call for the CCPA terms only from a CCPA "business".
        ("subjects_in_california", set(), QUEBEC | GDPR | CCPA | CROSS_BORDER),
        ("ccpa_applies", CCPA, QUEBEC | GDPR | CROSS_BORDER),
        ("processed_outside_home_country", CROSS_BORDER, QUEBEC | GDPR | CCPA),
    ],
)
def test_conditional_clauses_follow_their_fact(library, fact, expected, not_expected):
    applicable = {c.id for c in library.applicable(facts("shares_personal_information", fact))}
    assert expected <= applicable
    assert not applicable & not_expected
    for clause_id in expected:
        assert library.clauses[clause_id].required


def test_the_assessment_clause_needs_an_assessment_recorded(library):
    # Without one, an addendum would say an assessment was done that was not: the checklist and
    # the compliance status say it is missing instead.
    outside = ("shares_personal_information", "quebec_data_outside_quebec")
    assert "quebec_pia" not in {c.id for c in library.applicable(facts(*outside))}
    recorded = {c.id for c in library.applicable(facts(*outside, "pia_recorded"))}
    assert "quebec_pia" in recorded
    assert library.clauses["quebec_pia"].required


def test_regime_sentences_sit_in_the_one_clause_on_their_subject(library):
    values = {name: f"<{name}>" for name in PLACEHOLDERS}
    values |= {f"{REFERENCE}{cid}": "9" for cid in library.clauses}
    incidents, audit = library.clauses["breach"], library.clauses["audit"]
    plain = facts("shares_personal_information")
    quebec = facts("shares_personal_information", "quebec_act_applies")
    eu = facts("shares_personal_information", "subjects_in_eu")
    text = {
        name: " ".join(clause.paragraphs("en", values, f))
        for name, clause, f in [
            ("plain", incidents, plain),
            ("quebec", incidents, quebec),
            ("eu", incidents, eu),
            ("audit quebec", audit, quebec),
            ("audit plain", audit, plain),
        ]
    }
    assert "attempted violation" not in text["plain"]
    assert "attempted violation" in text["quebec"]
    assert "<privacy_officer>, the person in charge" in text["quebec"]
    assert "personal data breach" in text["eu"]
    assert "attempted violation" not in text["eu"]
    assert "<privacy_officer>, as the person in charge" in text["audit quebec"]
    assert "<privacy_officer>" not in text["audit plain"]
    # One clause a subject: no other clause defines incidents or audits of its own.
    for clause in library.ordered():
        if clause.id not in ("breach", "audit"):
            english = clause.every_text("en")
            assert "attempted violation" not in english, clause.id
            assert "including inspections" not in english, clause.id


def test_an_eu_vendor_with_transfers_gets_every_gdpr_clause(library):
    vendor = facts("shares_personal_information", "subjects_in_eu", "eu_data_outside_eu")
    assert {c.id for c in library.applicable(vendor)} >= GDPR


# -- filling in --------------------------------------------------------------------------------


def test_paragraphs_leave_values_with_braces_ampersands_and_quotes_exactly_as_given(library):
    tricky = 'Acme {x} & <Sons> "Q" \\1 $0'
    for clause in library.ordered():
        values = {name: f"{tricky} [{name}]" for name in clause.placeholders}
        for lang in LANGUAGES:
            every = dict.fromkeys(FACTS + CHOICES, True)
            text = " ".join(clause.paragraphs(lang, values, every))
            for name, value in values.items():
                assert value in text, (clause.id, lang, name)
                text = text.replace(value, "")
            assert "{" not in text, (clause.id, lang)
            assert "}" not in text, (clause.id, lang)


def test_paragraphs_leave_values_with_double_braces_as_given(library):
    clause = library.clauses["general"]
    values = {"organisation": "Org {{a}}", "vendor": "Vendor }}b{{"}
    text = " ".join(clause.paragraphs("en", values))
    assert "Org {{a}}" in text
    assert "Vendor }}b{{" in text


# -- broken files ------------------------------------------------------------------------------

GOOD = '''
id = "NAME"
version = 1
topic = "audit"
order = 20
required = true
placeholders = ["vendor"]

[applies]
all = ["shares_personal_information"]

[title]
en = "Audit"
fr = "Vérification"

[text]
en = """
{vendor} allows audits. A literal {{brace}} stays.
"""
fr = """
{vendor} permet les vérifications. Une accolade {{littérale}} reste.
"""

[[serves]]
regime = "opc"
strength = "guidance"
article.en = "Privacy plan, third parties, item 2"
article.fr = "Plan de protection de la vie privée, tiers, point 2"

[detect]
en = ["allows audits"]
fr = ["permet les vérifications"]
'''
ADDITION = '''
[[addition]]
when = ["subjects_in_eu"]
en = """
{vendor} also allows inspections.
"""
fr = """
{vendor} permet aussi les inspections.
"""
'''
SERVES = """[[serves]]
regime = "opc"
strength = "guidance"
article.en = "Privacy plan, third parties, item 2"
article.fr = "Plan de protection de la vie privée, tiers, point 2"
"""
assert SERVES in GOOD


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text.replace('"NAME"', f'"{name}"'), encoding="utf-8")
    return path


def test_a_good_file_loads_and_double_braces_are_literal(tmp_path):
    write(tmp_path, "sample", GOOD)
    clause = load_library(tmp_path).clauses["sample"]
    assert clause.placeholders == {"vendor"}
    assert clause.paragraphs("en", {"vendor": "Acme"}) == [
        "Acme allows audits. A literal {brace} stays."
    ]
    (basis,) = clause.serves
    assert basis.article == {
        "en": "Privacy plan, third parties, item 2",
        "fr": "Plan de protection de la vie privée, tiers, point 2",
    }


BROKEN = [
    (
        "no_french_text",
        GOOD.replace('fr = """\n{vendor} permet', 'nl = """\n{vendor} permet'),
        "text has no text in fr",
    ),
    (
        "unknown_fact",
        GOOD.replace('all = ["shares_personal_information"]', 'all = ["has_a_dog"]'),
        "unknown fact 'has_a_dog'",
    ),
    (
        "placeholder_mismatch",
        GOOD.replace("{vendor} permet", "{vendor} et {organisation} permettent"),
        "text.fr uses placeholders ['organisation', 'vendor'] but the clause declares ['vendor']",
    ),
    (
        "unknown_placeholder",
        GOOD.replace("{vendor} allows", "{supplier} allows"),
        "text.en uses unknown placeholders ['supplier']",
    ),
    ("wrong_id", GOOD.replace('"NAME"', '"another_name"'), "differs from the file name"),
    ("required_text", GOOD.replace("required = true", 'required = "false"'), "true or false"),
    ("fraction_order", GOOD.replace("order = 20", "order = 20.5"), "order must be"),
    (
        "title_not_table",
        GOOD.replace('[title]\nen = "Audit"\nfr = "Vérification"\n', "").replace(
            "version = 1\n", 'version = 1\ntitle = "Audit"\n'
        ),
        "title must be a table",
    ),
    ("misspelt_applies", GOOD.replace("all = [", "alll = ["), "applies has unknown keys"),
    (
        "absent_phrase",
        GOOD.replace('en = ["allows audits"]', 'en = ["no such words"]'),
        "phrases not found in text.en",
    ),
    ("invalid_toml", GOOD.replace("order = 20", "order = = 20"), "not valid TOML"),
    ("missing_version", GOOD.replace("version = 1\n", ""), "missing key 'version'"),
    ("zero_version", GOOD.replace("version = 1", "version = 0"), "version must be"),
    ("unknown_topic", GOOD.replace('topic = "audit"', 'topic = "lunch"'), "unknown topic"),
    (
        "unknown_strength",
        GOOD.replace('strength = "guidance"', 'strength = "mandatory"'),
        "unknown strength 'mandatory'",
    ),
    (
        "no_french_article",
        GOOD.replace('article.fr = "Plan de protection de la vie privée, tiers, point 2"\n', ""),
        "article",
    ),
    (
        "empty_french_article",
        GOOD.replace(
            'article.fr = "Plan de protection de la vie privée, tiers, point 2"', 'article.fr = " "'
        ),
        "article",
    ),
    (
        "single_language_article",
        GOOD.replace(
            'article.en = "Privacy plan, third parties, item 2"\n'
            'article.fr = "Plan de protection de la vie privée, tiers, point 2"',
            'article = "Privacy plan, third parties, item 2"',
        ),
        "article",
    ),
    (
        "no_serves",
        GOOD.replace(SERVES, "").replace("required = true\n", "required = true\nserves = []\n"),
        "serves lists no regime",
    ),
    (
        "addition_unknown_fact",
        GOOD.replace(SERVES, ADDITION.replace("subjects_in_eu", "has_a_cat") + SERVES),
        "unknown fact or choice 'has_a_cat'",
    ),
    (
        "addition_without_condition",
        GOOD.replace(SERVES, ADDITION.replace('when = ["subjects_in_eu"]', "when = []") + SERVES),
        "addition.when must list at least one fact",
    ),
    (
        "addition_in_english_only",
        GOOD.replace(
            SERVES, ADDITION.replace("{vendor} permet aussi les inspections.", "") + SERVES
        ),
        "addition has no text in fr",
    ),
    (
        "addition_placeholder_undeclared",
        GOOD.replace(SERVES, ADDITION.replace("{vendor} also", "{organisation} also") + SERVES),
        "text.en uses placeholders ['organisation', 'vendor']",
    ),
    (
        "reference_to_no_clause",
        GOOD.replace("{vendor} allows audits.", "{vendor} allows audits under {clause_lunch}.")
        .replace("Une accolade", "Selon {clause_lunch}, une accolade")
        .replace('placeholders = ["vendor"]', 'placeholders = ["vendor", "clause_lunch"]'),
        "refers to unknown clauses ['lunch']",
    ),
]


def test_an_addition_prints_only_when_its_facts_hold(tmp_path):
    write(tmp_path, "sample", GOOD.replace(SERVES, ADDITION + SERVES))
    clause = load_library(tmp_path).clauses["sample"]
    values = {"vendor": "Acme"}
    assert clause.paragraphs("en", values, {"subjects_in_eu": False}) == [
        "Acme allows audits. A literal {brace} stays."
    ]
    assert clause.paragraphs("fr", values, {"subjects_in_eu": True})[1] == (
        "Acme permet aussi les inspections."
    )


def test_a_reference_names_the_clause_it_refers_to(tmp_path):
    write(tmp_path, "fine", GOOD)
    text = (
        GOOD.replace(
            "{vendor} allows audits.", "{vendor} allows audits under clause {clause_fine}."
        )
        .replace("Une accolade", "Selon la clause {clause_fine}, une accolade")
        .replace('placeholders = ["vendor"]', 'placeholders = ["vendor", "clause_fine"]')
    )
    write(tmp_path, "referring", text)
    assert load_library(tmp_path).clauses["referring"].references == {"fine"}


@pytest.mark.parametrize(("name", "text", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_is_refused_naming_the_file(tmp_path, name, text, message):
    write(tmp_path, "fine", GOOD)
    write(tmp_path, name, text)
    with pytest.raises(LibraryError) as error:
        load_library(tmp_path)
    assert str(error.value).startswith(f"{name}.toml: ")
    assert message in str(error.value)


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(LibraryError, match="no clause files"):
        load_library(tmp_path)
