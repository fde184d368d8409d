"""What an addendum needs to know about a vendor: the facts its clauses' conditions name, the
values its placeholders take, and the schedule of information shared, in each language.

Document wording lives here, per language, rather than in the interface's catalogue: an
addendum is written in the language asked for, whatever the language of the person asking.
"""

from dataclasses import dataclass

from vendortrack.addenda.library import AUTHORISATIONS, SUPPLEMENTS
from vendortrack.documents.content import ScheduleRow, SubProcessorRow
from vendortrack.documents.wording import document_date
from vendortrack.geography import (
    EEA_COUNTRIES,
    EU_STATES_OF,
    PROVINCES_IN,
    country_of,
    location_name,
)
from vendortrack.register.catalogue import categories
from vendortrack.register.labels import category_label, subject_label
from vendortrack.register.models import Level

SENSITIVE = 3  # "high" on the catalogue's scale: financial, health, biometric, ...
HIGH_RISK = (Level.HIGH, Level.CRITICAL)  # the risk tiers whose addenda audit more deeply
QUEBEC = "CA-QC"
# Categories the GDPR protects further, where EU people's information is shared: the special
# categories (Art. 9) and criminal convictions and offences (Art. 10). The schedule marks them.
GDPR_MARKS = {"health": "special", "biometric": "special", "background_checks": "criminal"}
WORDS = {
    "en": {
        "special": "special category of personal data, GDPR Art. 9",
        "criminal": "criminal convictions and offences, GDPR Art. 10",
        "controller": "controller",
        "processor": "processor for its own clients, who are the controllers,",
        "module_two": "Two (transfer controller to processor)",
        "module_three": "Three (transfer processor to processor)",
        "months": "{n} months",
        "month": "1 month",
        "contract": "until the contract ends",
        "none": "not stated",
        "separator": "; ",
    },
    "fr": {
        "special": "catégorie particulière de données, art. 9 du RGPD",
        "criminal": "condamnations pénales et infractions, art. 10 du RGPD",
        "controller": "responsable du traitement",
        "processor": "sous-traitant pour le compte de ses propres clients, responsables du "
        "traitement,",
        "module_two": "deux (transfert de responsable du traitement à sous-traitant)",
        "module_three": "trois (transfert de sous-traitant à sous-traitant)",
        "months": "{n} mois",
        "month": "1 mois",
        "contract": "jusqu’à la fin du contrat",
        "none": "non précisé",
        "separator": "; ",
    },
}


@dataclass(frozen=True)
class Standing:
    """Where the organisation stands, from its settings: what the clauses' facts depend on
    besides the vendor's own rows."""

    home_country: str  # ISO 3166 alpha-2: processing outside it is cross-border
    home_in_quebec: bool = False  # the Québec private-sector Act applies to all it holds
    ccpa_business: bool = False  # it says it is a "business" under the CCPA
    uncapped_liability: bool = True  # addenda lift the main contract's cap for privacy breaches
    swiss_transfers: bool = False  # the SCCs also carry transfers under the Swiss FADP
    uk_transfers: bool = False  # and under the UK GDPR, with the UK Addendum

    @classmethod
    def of(cls, settings) -> "Standing":
        """From the settings, or any object with their STANDING_FIELDS."""
        code = (settings.home_jurisdiction or "").upper()
        return cls(
            country_of(code),
            code == QUEBEC,
            bool(settings.ccpa_business),
            bool(settings.uncapped_liability),
            bool(settings.swiss_transfers),
            bool(settings.uk_transfers),
        )


def vendor_facts(vendor, where: Standing) -> dict[str, bool]:
    """The facts about a vendor that clause conditions may name (see library.FACTS)."""
    rows = vendor.sharings
    places = [(row, country_of(code), code) for row in rows for code in row.location_codes]
    home_country = where.home_country
    quebec = any(r.subjects_in_quebec for r in rows)
    california = any(r.subjects_in_california for r in rows)
    eu_outside = any(r.subjects_in_eu and c not in EEA_COUNTRIES for r, c, _code in places)
    return {
        "shares_personal_information": bool(rows),
        "sensitive_information": any(_sensitivity(r.category) >= SENSITIVE for r in rows),
        "subjects_in_quebec": quebec,
        "subjects_in_eu": any(r.subjects_in_eu for r in rows),
        "subjects_in_california": california,
        "processed_outside_home_country": any(c != home_country for _r, c, _code in places),
        # s. 17 binds an enterprise in Québec for all it sends out, any other for what is about
        # people in Québec. A bare "CA" does not say the province, so it counts as outside.
        "quebec_data_outside_quebec": any(
            (where.home_in_quebec or r.subjects_in_quebec) and code != QUEBEC
            for r, _c, code in places
        ),
        "eu_data_outside_eu": eu_outside,
        # Law 25 binds an enterprise in Québec for everything it holds, and any other for what
        # it holds about people in Québec.
        "quebec_act_applies": bool(rows) and (where.home_in_quebec or quebec),
        "pia_recorded": vendor.pia_completed_on is not None,
        "pia_measures_recorded": bool(vendor.pia_measures or vendor.pia_measures_fr),
        # The CCPA's contract terms bind a "business" only; the organisation says if it is one.
        "ccpa_applies": where.ccpa_business and california,
        "uncapped_liability": bool(rows) and where.uncapped_liability,
        "high_risk": vendor.risk_tier in HIGH_RISK,
        # The SCCs that carry the EU transfers carry the Swiss and UK ones, when the settings
        # say the organisation makes them.
        "scc_switzerland": where.swiss_transfers and eu_outside,
        "scc_united_kingdom": where.uk_transfers and eu_outside,
    }


def _sensitivity(category: str) -> int:
    entry = categories().get(category)
    return entry.sensitivity if entry else 0


def placeholder_values(vendor, settings, lang: str) -> dict[str, str]:
    """The value of every placeholder, in one language; "" where nothing is recorded."""
    rows = vendor.sharings
    sep = WORDS[lang]["separator"]
    return {
        "organisation": settings.legal_name,
        "vendor": vendor.legal_name or vendor.name,
        "purposes": joined_purposes(rows, lang),
        "categories": sep.join(category_label(r.category, lang) for r in rows),
        "data_subjects": joined_subjects(rows, lang),
        "countries": sep.join(
            dict.fromkeys(location_name(code, lang) for r in rows for code in r.location_codes)
        ),
        "retention": sep.join(dict.fromkeys(retention_text(r, lang) for r in rows)),
        "breach_hours": str(settings.breach_notice_hours or ""),
        "access_days": str(settings.access_forwarding_days or ""),
        "privacy_officer": settings.privacy_officer_name,
        "privacy_officer_email": settings.privacy_officer_email,
        "pia_date": document_date(vendor.pia_completed_on, lang) if vendor.pia_completed_on else "",
        "governing_law": PROVINCES_IN.get(governing_law(settings), {}).get(lang, ""),
        "forum": settings.forum,
        "vendor_address": one_line(vendor.address),
        "notice_days": str(settings.sub_processor_notice_days or ""),
        # Module Three where the organisation itself processes for its clients (Decision
        # 2021/914, recital 16 and the clauses' modules); Module Two where it is the controller.
        "scc_module": WORDS[lang]["module_three" if settings.acts_as_processor else "module_two"],
        "organisation_role": WORDS[lang][
            "processor" if settings.acts_as_processor else "controller"
        ],
        "member_state": EU_STATES_OF.get(settings.eu_member_state or "", {}).get(lang, ""),
        "eu_representative": one_line(settings.eu_representative),
    }


def joined_purposes(rows, lang: str) -> str:
    """The rows' purposes in one language, each once, without its final full stop."""
    return WORDS[lang]["separator"].join(dict.fromkeys(purpose(r, lang).rstrip(". ") for r in rows))


def joined_subjects(rows, lang: str) -> str:
    """Whom the rows are about, each kind of person once."""
    subjects = (subject_label(s, lang) for r in rows for s in r.data_subjects)
    return WORDS[lang]["separator"].join(dict.fromkeys(subjects))


def one_line(address: str | None) -> str:
    """An address typed on several lines, as one line of a sentence or a table cell."""
    return ", ".join(line.strip() for line in (address or "").splitlines() if line.strip())


def choice_facts(authorisation: str, supplements: bool = False) -> dict[str, bool]:
    """The choices made for one addendum, as the names additions' conditions use (see
    library.CHOICES)."""
    chosen = {f"{kind}_authorisation": kind == authorisation for kind in AUTHORISATIONS}
    return chosen | {SUPPLEMENTS: supplements}


def processing(sub, lang: str) -> str:
    """What a sub-processor does, in one language; "" where it is not recorded in it."""
    return (sub.processing_fr if lang == "fr" else sub.processing) or ""


def sub_processor_rows(vendor, lang: str) -> list[SubProcessorRow]:
    """The vendor's sub-processors as the addendum approves them, in one language."""
    return [
        SubProcessorRow(
            name=sub.name,
            address=one_line(sub.address),
            processing=processing(sub, lang),
            location=location_name(sub.location, lang),
        )
        for sub in vendor.sub_processors
    ]


def governing_law(settings) -> str:
    """The province whose laws govern addenda: the settings' choice, else the home jurisdiction
    when it is a province; "" when neither says."""
    chosen = settings.governing_law or (settings.home_jurisdiction or "").upper()
    return chosen if chosen in PROVINCES_IN else ""


def _category_cell(row, lang: str) -> str:
    label = category_label(row.category, lang)
    mark = GDPR_MARKS.get(row.category) if row.subjects_in_eu else None
    return f"{label} ({WORDS[lang][mark]})" if mark else label


def purpose(row, lang: str) -> str:
    """The row's purpose in one language; "" where none is recorded in it."""
    return (row.purpose_fr if lang == "fr" else row.purpose) or ""


def retention_text(row, lang: str) -> str:
    words = WORDS[lang]
    if row.retention_until_contract_end:
        return words["contract"]
    if not row.retention_months:
        return words["none"]
    return (
        words["month"]
        if row.retention_months == 1
        else words["months"].format(n=row.retention_months)
    )


def schedule_rows(vendor, lang: str) -> list[ScheduleRow]:
    """The schedule of information shared, one row a category, in one language."""
    none = WORDS[lang]["none"]
    return [
        ScheduleRow(
            category=_category_cell(row, lang),
            purpose=purpose(row, lang),
            data_subjects=", ".join(subject_label(s, lang) for s in row.data_subjects) or none,
            locations=", ".join(location_name(c, lang) for c in row.location_codes) or none,
            retention=retention_text(row, lang),
        )
        for row in vendor.sharings
    ]


def measures(vendor) -> dict[str, list[str]]:
    """The measures the vendor's privacy impact assessment agreed, per language, one a line;
    {} when none are recorded (a language without them has [])."""
    texts = {"en": vendor.pia_measures or "", "fr": vendor.pia_measures_fr or ""}
    if not any(texts.values()):
        return {}
    return {
        lang: [line.strip() for line in t.splitlines() if line.strip()] for lang, t in texts.items()
    }
