"""What an addendum needs to know about a vendor: the facts its clauses' conditions name, the
values its placeholders take, and the schedule of information shared, in each language.

Document wording lives here, per language, rather than in the interface's catalogue: an
addendum is written in the language asked for, whatever the language of the person asking.
"""

from vendortrack.documents.content import ScheduleRow
from vendortrack.geography import country_of, location_name
from vendortrack.register.catalogue import categories
from vendortrack.register.labels import category_label, subject_label

SENSITIVE = 3  # "high" on the catalogue's scale: financial, health, biometric, ...
QUEBEC = "CA-QC"
# The 27 member states of the European Union (ISO 3166-1 alpha-2).
EU_COUNTRIES = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip
WORDS = {
    "en": {
        "months": "{n} months",
        "month": "1 month",
        "contract": "until the contract ends",
        "none": "not stated",
        "separator": "; ",
    },
    "fr": {
        "months": "{n} mois",
        "month": "1 mois",
        "contract": "jusqu’à la fin du contrat",
        "none": "non précisé",
        "separator": "; ",
    },
}


def vendor_facts(vendor, home_country: str) -> dict[str, bool]:
    """The facts about a vendor that clause conditions may name (see library.FACTS)."""
    rows = vendor.sharings
    places = [(row, country_of(code), code) for row in rows for code in row.location_codes]
    return {
        "shares_personal_information": bool(rows),
        "sensitive_information": any(_sensitivity(r.category) >= SENSITIVE for r in rows),
        "subjects_in_quebec": any(r.subjects_in_quebec for r in rows),
        "subjects_in_eu": any(r.subjects_in_eu for r in rows),
        "subjects_in_california": any(r.subjects_in_california for r in rows),
        "processed_outside_home_country": any(c != home_country for _r, c, _code in places),
        # A bare "CA" does not say the province, so it cannot show the data stays in Québec.
        "quebec_data_outside_quebec": any(
            r.subjects_in_quebec and code != QUEBEC for r, _c, code in places
        ),
        "eu_data_outside_eu": any(
            r.subjects_in_eu and c not in EU_COUNTRIES for r, c, _code in places
        ),
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
        "purposes": sep.join(dict.fromkeys(r.purpose for r in rows)),
        "categories": sep.join(category_label(r.category, lang) for r in rows),
        "data_subjects": sep.join(
            dict.fromkeys(subject_label(s, lang) for r in rows for s in r.data_subjects)
        ),
        "countries": sep.join(
            dict.fromkeys(location_name(code, lang) for r in rows for code in r.location_codes)
        ),
        "retention": sep.join(dict.fromkeys(retention_text(r, lang) for r in rows)),
        "breach_hours": str(settings.breach_notice_hours or ""),
        "access_days": str(settings.access_forwarding_days or ""),
        "privacy_officer": settings.privacy_officer_name,
        "privacy_officer_email": settings.privacy_officer_email,
    }


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
            category=category_label(row.category, lang),
            purpose=row.purpose,
            data_subjects=", ".join(subject_label(s, lang) for s in row.data_subjects) or none,
            locations=", ".join(location_name(c, lang) for c in row.location_codes) or none,
            retention=retention_text(row, lang),
        )
        for row in vendor.sharings
    ]
