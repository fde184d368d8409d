"""ISO 3166 countries and subdivisions, with names in English and French (from pycountry)."""

import gettext
import unicodedata
from functools import cache, lru_cache

import pycountry

# Canada's provinces and territories as each language writes "the laws in force in ...": French
# takes the place's own preposition (au Québec, en Ontario). An addendum's governing law is one.
PROVINCES_IN = {
    "CA-AB": {"en": "Alberta", "fr": "en Alberta"},
    "CA-BC": {"en": "British Columbia", "fr": "en Colombie-Britannique"},
    "CA-MB": {"en": "Manitoba", "fr": "au Manitoba"},
    "CA-NB": {"en": "New Brunswick", "fr": "au Nouveau-Brunswick"},
    "CA-NL": {"en": "Newfoundland and Labrador", "fr": "à Terre-Neuve-et-Labrador"},
    "CA-NS": {"en": "Nova Scotia", "fr": "en Nouvelle-Écosse"},
    "CA-NT": {"en": "the Northwest Territories", "fr": "dans les Territoires du Nord-Ouest"},
    "CA-NU": {"en": "Nunavut", "fr": "au Nunavut"},
    "CA-ON": {"en": "Ontario", "fr": "en Ontario"},
    "CA-PE": {"en": "Prince Edward Island", "fr": "à l’Île-du-Prince-Édouard"},
    "CA-QC": {"en": "Québec", "fr": "au Québec"},
    "CA-SK": {"en": "Saskatchewan", "fr": "en Saskatchewan"},
    "CA-YT": {"en": "Yukon", "fr": "au Yukon"},
}

# The 27 member states of the European Union (ISO 3166-1 alpha-2), as each language writes "the
# law of ...": French takes the article the name needs (de l'Irlande, du Luxembourg, des Pays-Bas).
# The standard contractual clauses are governed by the law of one, chosen in the settings.
EU_STATES_OF = {
    "AT": {"en": "Austria", "fr": "de l’Autriche"},
    "BE": {"en": "Belgium", "fr": "de la Belgique"},
    "BG": {"en": "Bulgaria", "fr": "de la Bulgarie"},
    "HR": {"en": "Croatia", "fr": "de la Croatie"},
    "CY": {"en": "Cyprus", "fr": "de Chypre"},
    "CZ": {"en": "Czechia", "fr": "de la Tchéquie"},
    "DK": {"en": "Denmark", "fr": "du Danemark"},
    "EE": {"en": "Estonia", "fr": "de l’Estonie"},
    "FI": {"en": "Finland", "fr": "de la Finlande"},
    "FR": {"en": "France", "fr": "de la France"},
    "DE": {"en": "Germany", "fr": "de l’Allemagne"},
    "GR": {"en": "Greece", "fr": "de la Grèce"},
    "HU": {"en": "Hungary", "fr": "de la Hongrie"},
    "IE": {"en": "Ireland", "fr": "de l’Irlande"},
    "IT": {"en": "Italy", "fr": "de l’Italie"},
    "LV": {"en": "Latvia", "fr": "de la Lettonie"},
    "LT": {"en": "Lithuania", "fr": "de la Lituanie"},
    "LU": {"en": "Luxembourg", "fr": "du Luxembourg"},
    "MT": {"en": "Malta", "fr": "de Malte"},
    "NL": {"en": "the Netherlands", "fr": "des Pays-Bas"},
    "PL": {"en": "Poland", "fr": "de la Pologne"},
    "PT": {"en": "Portugal", "fr": "du Portugal"},
    "RO": {"en": "Romania", "fr": "de la Roumanie"},
    "SK": {"en": "Slovakia", "fr": "de la Slovaquie"},
    "SI": {"en": "Slovenia", "fr": "de la Slovénie"},
    "ES": {"en": "Spain", "fr": "de l’Espagne"},
    "SE": {"en": "Sweden", "fr": "de la Suède"},
}
EU_COUNTRIES = frozenset(EU_STATES_OF)
# The European Economic Area: the EU and Iceland, Liechtenstein and Norway, which apply the GDPR
# too. Information going there is not transferred in the sense of its Chapter V.
EEA_COUNTRIES = EU_COUNTRIES | {"IS", "LI", "NO"}


@cache
def _translator(domain: str, lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def is_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code.upper()) is not None if len(code) == 2 else False


def is_subdivision(code: str) -> bool:
    return pycountry.subdivisions.get(code=code.upper()) is not None


@lru_cache(maxsize=4096)  # an import asks again for every row; bounded, as codes are typed
def is_location(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 country or an ISO 3166-2 subdivision code such as CA-QC."""
    return is_subdivision(code) if "-" in code else is_country(code)


def country_of(code: str) -> str:
    """The country part of a location code: CA-QC -> CA."""
    return code.split("-", 1)[0].upper()


@cache
def location_name(code: str, lang: str = "en") -> str:
    """A location's name in the given language, or the code itself if it is unknown."""
    code = code.upper()
    if "-" in code:
        sub = pycountry.subdivisions.get(code=code)
        if sub is None:
            return code
        name = _translator("iso3166-2", lang).gettext(sub.name)
        return f"{name} ({location_name(country_of(code), lang)})"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return _translator("iso3166-1", lang).gettext(getattr(country, "common_name", country.name))


@cache
def country_choices(lang: str) -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by name in that language."""
    names = [(c.alpha_2, location_name(c.alpha_2, lang)) for c in pycountry.countries]
    return sorted(names, key=lambda pair: sort_key(pair[1]))


def sort_key(name: str) -> str:
    """Sort accented names where a reader expects them: Émirats near Espagne, not after Zambie."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
