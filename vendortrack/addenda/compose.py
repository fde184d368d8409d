"""Putting an addendum's content together: chosen clauses, filled in, numbered, with the vendor's
schedule, in every language the document may use."""

from collections.abc import Sequence
from datetime import date

from flask_babel import lazy_gettext as _l

from vendortrack.addenda.facts import placeholder_values, schedule_rows
from vendortrack.addenda.library import LANGUAGES, Clause
from vendortrack.documents.content import AddendumContent, ClauseText, Party
from vendortrack.register.contacts import readable_contact

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
        "quebec": "Loi sur le privé (Québec)",
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
}


class MissingValues(ValueError):
    """Clauses need values nobody has recorded yet; `fields` says what to fill in."""

    def __init__(self, fields: list):
        super().__init__(", ".join(str(f) for f in fields))
        self.fields = fields


def basis_text(clause: Clause, lang: str) -> str:
    """The regimes and articles a clause serves, labelled with how strongly each asks for it."""
    parts = [
        f"{REGIME_NAMES[lang][b.regime]} {b.article[lang]} ({STRENGTH_NAMES[lang][b.strength]})"
        for b in clause.serves
    ]
    return "; ".join(parts)


def compose_addendum(
    vendor, settings, clauses: Sequence[Clause], effective_date: date
) -> AddendumContent:
    """The content of an addendum with these clauses, in order, for this vendor."""
    values = {lang: placeholder_values(vendor, settings, lang) for lang in LANGUAGES}
    check_values(clauses, values)
    organisation = Party(
        settings.legal_name, settings.address, settings.signatory_name, settings.signatory_title
    )
    return AddendumContent(
        organisation=organisation,
        # A contact name no configured key decrypts is left out, as when none is recorded: the
        # signature block then has a blank line for the vendor's signatory to fill in by hand.
        vendor=Party(
            vendor.legal_name or vendor.name, "", readable_contact(vendor, "contact_name") or "", ""
        ),
        effective_date=effective_date,
        reference=vendor.contract_reference or "",
        schedule={lang: schedule_rows(vendor, lang) for lang in LANGUAGES},
        clauses=[_clause_text(n, c, values) for n, c in enumerate(clauses, start=1)],
        privacy_officer=_officer_line(settings),
    )


def check_values(clauses: Sequence[Clause], values: dict[str, dict[str, str]]) -> None:
    """Refuse, naming what to fill in, when a chosen clause uses a value that is empty."""
    used = sorted({name for c in clauses for name in c.placeholders})
    empty = [name for name in used if not all(values[lang][name] for lang in LANGUAGES)]
    if empty:
        raise MissingValues([MISSING.get(name, name) for name in empty])


def _clause_text(number: int, clause: Clause, values) -> ClauseText:
    return ClauseText(
        number=number,
        id=clause.id,
        version=clause.version,
        title=dict(clause.title),
        paragraphs={lang: clause.paragraphs(lang, values[lang]) for lang in LANGUAGES},
        basis={lang: basis_text(clause, lang) for lang in LANGUAGES},
    )


def _officer_line(settings) -> str:
    parts = [settings.privacy_officer_name, settings.privacy_officer_title]
    line = ", ".join(p for p in parts if p)
    return f"{line} <{settings.privacy_officer_email}>" if settings.privacy_officer_email else line
