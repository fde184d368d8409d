"""Putting an addendum's content together: chosen clauses, filled in, numbered, with the vendor's
schedule, in every language the document may use."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from vendortrack.addenda.annexes import transfer_annexes
from vendortrack.addenda.facts import (
    QUEBEC,
    governing_law,
    measures,
    placeholder_values,
    processing,
    purpose,
    schedule_rows,
    sub_processor_rows,
)
from vendortrack.addenda.library import (
    LANGUAGES,
    PIA_CLAUSE,
    REFERENCE,
    SUB_PROCESSOR_CLAUSE,
    Clause,
)
from vendortrack.documents.content import AddendumContent, ClauseText, Party
from vendortrack.geography import country_of, location_name
from vendortrack.register.contacts import readable_contact
from vendortrack.register.labels import category_label
from vendortrack.register.models import place_allowed

REGIME_NAMES = {
    "en": {
        "pipeda": "PIPEDA",
        "quebec": "Québec Private Sector Act",
        "gdpr": "GDPR",
        "ccpa": "CCPA",
        "opc": "OPC guidance",
        "practice": "Contract practice",
    },
    "fr": {
        "pipeda": "LPRPDE",
        "quebec": "Loi sur la protection des renseignements personnels dans le secteur privé",
        "gdpr": "RGPD",
        "ccpa": "CCPA",
        "opc": "Orientations du CPVP",
        "practice": "Pratique contractuelle",
    },
}
STRENGTH_NAMES = {
    "en": {
        "statute": "statute",
        "regulation": "regulation",
        "guidance": "guidance",
        "good_practice": "good practice",
    },
    "fr": {
        "statute": "loi",
        "regulation": "règlement",
        "guidance": "orientation",
        "good_practice": "bonne pratique",
    },
}
# Where an administrator fills in each placeholder that can be missing.
MISSING = {
    "organisation": _l("the organisation's legal name (Settings)"),
    "privacy_officer": _l("the person in charge of protecting personal information (Settings)"),
    "privacy_officer_email": _l("that person's email (Settings)"),
    "breach_hours": _l("the hours a vendor has to report a breach (Settings)"),
    "access_days": _l("the days a vendor has to forward an access request (Settings)"),
    "purposes": _l("the purpose of each kind of information shared (the vendor's page)"),
    "categories": _l("the information shared (the vendor's page)"),
    "data_subjects": _l("whom the information is about (the vendor's data sharing)"),
    "countries": _l("where the information is stored or processed (the vendor's data sharing)"),
    "retention": _l("how long the information is kept (the vendor's data sharing)"),
    "pia_date": _l("the date of the privacy impact assessment (the vendor's page)"),
    "governing_law": _l("the province whose laws govern addenda (Settings)"),
    "forum": _l("the city whose courts hear disputes over addenda (Settings)"),
    "vendor_address": _l("the vendor's address (the vendor's page)"),
    "notice_days": _l(
        "the days' notice a vendor gives before a new sub-processor or place (Settings)"
    ),
    "eu_representative": _l("the organisation’s representative in the EU (Settings)"),
    "member_state": _l(
        "the EU Member State whose law and courts govern the standard contractual clauses "
        "(Settings)"
    ),
}


CONTRACT_FIELD = _l(
    "the contract the addendum amends, or “every contract between the parties” (the generate page)"
)
PLACES_FIELD = _l("where “{category}” is stored or processed (the vendor’s data sharing)")
SUBJECTS_FIELD = _l("whom “{category}” is about (the vendor’s data sharing)")
RETENTION_FIELD = _l("how long “{category}” is kept (the vendor’s data sharing)")
PURPOSE_FIELD = {
    "en": _l("the purpose, in English, of “{category}” (the vendor’s data sharing)"),
    "fr": _l("the purpose, in French, of “{category}” (the vendor’s data sharing)"),
}
SUB_PROCESSORS_FIELD = _l(
    "the vendor’s sub-processors, or the confirmation that it engages none (the vendor’s page)"
)
SUB_PLACE_FIELD = _l(
    "where the information goes to “{name}”: {place}, which no data sharing row lists (the "
    "vendor’s data sharing)"
)
PROCESSING_FIELD = {
    "en": _l("what “{name}” does with the information, in English (the vendor’s sub-processors)"),
    "fr": _l("what “{name}” does with the information, in French (the vendor’s sub-processors)"),
}
MEASURES_FIELD = {
    "en": _l("the measures the privacy impact assessment agreed, in English (the vendor's page)"),
    "fr": _l("the measures the privacy impact assessment agreed, in French (the vendor's page)"),
    "both": _l(
        "the measures the privacy impact assessment agreed, in English and in French (the "
        "vendor's page)"
    ),
}
# The fact under which each regime binds the organisation for this vendor; PIPEDA and the
# OPC's guidance bind a Canadian organisation, contract practice everyone.
REGIME_FACTS = {
    "quebec": "quebec_act_applies",
    "gdpr": "subjects_in_eu",
    "ccpa": "ccpa_applies",
}
CANADIAN_REGIMES = ("pipeda", "opc")


def regimes_for(facts, home_country: str) -> frozenset[str]:
    """The regimes whose bases a note for counsel on this vendor's addendum cites."""
    found = {regime for regime, fact in REGIME_FACTS.items() if facts.get(fact)}
    if home_country == "CA":
        found.update(CANADIAN_REGIMES)
    return frozenset({*found, "practice"})


@dataclass(frozen=True)
class Scope:
    """What the addendum amends: one contract named, or every contract between the parties; and
    whether it covers what the vendor received before its effective date."""

    contract: str = ""
    all_contracts: bool = False
    covers_earlier: bool = False


class MissingReference(ValueError):
    """A chosen clause refers by number to clauses left out of the addendum."""

    def __init__(self, clause: Clause, absent: list[str]):
        super().__init__(f"{clause.id} refers to {', '.join(absent)}")
        self.clause, self.absent = clause, absent


class MissingValues(ValueError):
    """Clauses need values nobody has recorded yet; `fields` says what to fill in."""

    def __init__(self, fields: list):
        super().__init__(", ".join(str(f) for f in fields))
        self.fields = fields


def basis_text(clause: Clause, lang: str, regimes=None) -> str:
    """The regimes and articles a clause serves, labelled with how strongly each asks for it:
    only those of `regimes`, when given."""
    parts = [
        f"{REGIME_NAMES[lang][b.regime]} {b.article[lang]} ({STRENGTH_NAMES[lang][b.strength]})"
        for b in clause.serves
        if regimes is None or b.regime in regimes
    ]
    return "; ".join(parts)


def compose_addendum(
    vendor,
    settings,
    clauses: Sequence[Clause],
    facts,
    effective_date: date,
    languages: Sequence[str],
    scope: Scope,
) -> AddendumContent:
    """The content of an addendum with these clauses, in order, for this vendor, to be printed
    in `languages` (the values of the others may be missing), amending the contracts `scope`
    names."""
    values = filled_values(vendor, settings, clauses)
    check_references(clauses)
    check_values(clauses, values, languages)
    regimes = regimes_for(facts, country_of(settings.home_jurisdiction))
    agreed = _agreed_measures(vendor, clauses)
    texts = [_clause_text(n, c, values, facts, regimes) for n, c in enumerate(clauses, start=1)]
    parties = _parties(vendor, settings)
    officer = _officer_line(settings)
    return AddendumContent(
        organisation=parties[0],
        vendor=parties[1],
        effective_date=effective_date,
        reference=scope.contract,
        all_contracts=scope.all_contracts,
        covers_earlier=scope.covers_earlier,
        schedule={lang: schedule_rows(vendor, lang) for lang in LANGUAGES},
        clauses=texts,
        privacy_officer=officer,
        measures=agreed,
        sub_processors=_approved_sub_processors(vendor, clauses),
        annexes={
            lang: transfer_annexes(parties, officer, vendor, settings, texts, facts, lang)
            for lang in LANGUAGES
        },
        prevailing=prevailing_language(settings),
    )


def _parties(vendor, settings) -> tuple[Party, Party]:
    """Our organisation, then the vendor, as the addendum names them and they sign."""
    return (
        Party(
            settings.legal_name, settings.address, settings.signatory_name, settings.signatory_title
        ),
        # A contact name no configured key decrypts is left out, as when none is recorded: the
        # signature block then has a blank line for the vendor's signatory to fill in by hand.
        Party(
            vendor.legal_name or vendor.name,
            vendor.address or "",
            vendor.signatory_name or readable_contact(vendor, "contact_name") or "",
            vendor.signatory_title or "",
        ),
    )


def filled_values(vendor, settings, clauses: Sequence[Clause]) -> dict[str, dict[str, str]]:
    """Each language's placeholder values, with the number of each clause in this addendum."""
    numbers = {f"{REFERENCE}{c.id}": str(n) for n, c in enumerate(clauses, start=1)}
    return {lang: placeholder_values(vendor, settings, lang) | numbers for lang in LANGUAGES}


def check_references(clauses: Sequence[Clause]) -> None:
    """Refuse an addendum whose clauses refer by number to a clause it leaves out."""
    chosen = {c.id for c in clauses}
    for clause in clauses:
        if absent := sorted(clause.references - chosen):
            raise MissingReference(clause, absent)


def check_values(
    clauses: Sequence[Clause], values: dict[str, dict[str, str]], languages: Sequence[str]
) -> None:
    """Refuse, naming what to fill in, when a chosen clause uses a value that is empty in a
    language the document prints."""
    used = sorted({name for c in clauses for name in c.placeholders})
    empty = [name for name in used if not all(values[lang][name] for lang in languages)]
    if empty:
        raise MissingValues([MISSING.get(name, name) for name in empty])


def prevailing_language(settings) -> str:
    """The version of a bilingual addendum that prevails: the French where the Charter of the
    French language governs the contract (an organisation in Québec, or Québec's law chosen)."""
    in_quebec = QUEBEC in ((settings.home_jurisdiction or "").upper(), governing_law(settings))
    return "fr" if in_quebec else "en"


def _agreed_measures(vendor, clauses: Sequence[Clause]) -> dict[str, list[str]]:
    # The schedule lists them with the clause that says they apply, only.
    return measures(vendor) if any(c.id == PIA_CLAUSE for c in clauses) else {}


def _approved_sub_processors(vendor, clauses: Sequence[Clause]) -> dict:
    # The list is printed with the clause that approves it, only.
    if not any(c.id == SUB_PROCESSOR_CLAUSE for c in clauses):
        return {}
    return {lang: sub_processor_rows(vendor, lang) for lang in LANGUAGES}


def _clause_text(number: int, clause: Clause, values, facts, regimes) -> ClauseText:
    return ClauseText(
        number=number,
        id=clause.id,
        version=clause.version,
        title=dict(clause.title),
        paragraphs={lang: clause.paragraphs(lang, values[lang], facts) for lang in LANGUAGES},
        basis={lang: basis_text(clause, lang, regimes) for lang in LANGUAGES},
    )


def unstated(vendor, clauses: Sequence[Clause], scope: Scope, user_lang: str) -> list:
    """What the addendum would leave unsaid, or say wrongly, that its clauses rely on: the
    contract it amends; for each row of the schedule its places, its people and its retention
    (the clauses refer to them); and the sub-processors it approves. Each a field to fill in,
    named in the user's language."""
    missing = [] if scope.contract or scope.all_contracts else [CONTRACT_FIELD]
    for row in vendor.sharings:
        label = category_label(row.category, user_lang)
        checks = (
            (row.location_codes, PLACES_FIELD),
            (row.data_subjects, SUBJECTS_FIELD),
            (row.retention_months or row.retention_until_contract_end, RETENTION_FIELD),
        )
        missing += [field.format(category=label) for stated, field in checks if not stated]
    if any(c.id == SUB_PROCESSOR_CLAUSE for c in clauses):
        missing += _unapproved(vendor, user_lang)
    return missing


def _unapproved(vendor, user_lang: str) -> list:
    # An empty list may be one nobody filled in: "none" is printed only once confirmed. A
    # sub-processor somewhere the schedule does not allow would contradict the clause on places.
    if not vendor.sub_processors and not vendor.no_sub_processors:
        return [SUB_PROCESSORS_FIELD]
    return [
        SUB_PLACE_FIELD.format(name=sub.name, place=location_name(sub.location, user_lang))
        for sub in vendor.sub_processors
        if not place_allowed(vendor, sub)
    ]


def untranslated(vendor, clauses: Sequence[Clause], language: str, user_lang: str) -> list:
    """What the addendum would print in the other language, or not at all, in a document in
    `language` (en, fr or bilingual): each a field to fill in, named in the user's language.

    The Charter of the French language wants a Québec standard-form contract in French, every
    word of it: a French purpose missing is a reason to refuse, not to print the English."""
    wanted = ("fr", "en") if language == "bilingual" else (language,)
    missing = [
        PURPOSE_FIELD[lang].format(category=category_label(row.category, user_lang))
        for lang in wanted
        for row in vendor.sharings
        if not purpose(row, lang)
    ]
    if any(c.id == SUB_PROCESSOR_CLAUSE for c in clauses):
        missing += [
            PROCESSING_FIELD[lang].format(name=sub.name)
            for lang in wanted
            for sub in vendor.sub_processors
            if not processing(sub, lang)
        ]
    agreed = _agreed_measures(vendor, clauses)
    if agreed and not all(agreed.get(lang) for lang in wanted):
        missing.append(MEASURES_FIELD[language if language != "bilingual" else "both"])
    return missing


def _officer_line(settings) -> str:
    # The name and email only: the label before it is the title, in the document's language,
    # where the settings' title is in one language and would repeat the label.
    name, email = settings.privacy_officer_name, settings.privacy_officer_email
    return f"{name} <{email}>" if email else name
