"""The document's own words in each language: headings, labels, the preamble, dates.

Shared by the builder and the browser preview, so that the preview says what the file will say.
"""

from babel.dates import format_date

LOCALES = {"en": "en_CA", "fr": "fr_CA"}

STRINGS = {
    "en": {
        "title": "Personal Information Protection Addendum",
        "version": "English version",
        "organisation": "Organisation",
        "vendor": "Vendor",
        "effective_date": "Effective date",
        "reference": "Contract reference",
        "preamble": (
            "This addendum forms part of the contract between the organisation and the vendor "
            "named above. It applies to the personal information described in the schedule below."
        ),
        "schedule": "Schedule: personal information shared",
        "category": "Information",
        "purpose": "Purpose",
        "data_subjects": "Data subjects",
        "locations": "Locations",
        "retention": "Retention",
        "clauses": "Terms",
        "basis": "Basis",
        "privacy_officer": "Privacy officer",
        "signatures": "Signatures",
        "signature": "Signature",
        "name": "Name",
        "signatory_title": "Title",
        "date": "Date",
        "page": "Page {page} of {pages}",
        "colon": ": ",
    },
    "fr": {
        "title": "Avenant sur la protection des renseignements personnels",
        "version": "Version française",
        "organisation": "Organisation",
        "vendor": "Fournisseur",
        "effective_date": "Date d’entrée en vigueur",
        "reference": "Référence du contrat",
        "preamble": (
            "Le présent avenant fait partie du contrat conclu entre l’organisation et le "
            "fournisseur nommés ci-dessus. Il s’applique aux renseignements personnels décrits "
            "dans l’annexe ci-dessous."
        ),
        "schedule": "Annexe\u00a0: renseignements personnels communiqués",
        "category": "Renseignements",
        "purpose": "Fins",
        "data_subjects": "Personnes concernées",
        "locations": "Lieux",
        "retention": "Conservation",
        "clauses": "Dispositions",
        "basis": "Fondement",
        "privacy_officer": "Responsable de la protection des renseignements personnels",
        "signatures": "Signatures",
        "signature": "Signature",
        "name": "Nom",
        "signatory_title": "Fonction",
        "date": "Date",
        "page": "Page {page} de {pages}",
        "colon": "\u00a0: ",  # French typography: a non-breaking space before the colon
    },
}


def document_date(day, lang: str) -> str:
    """A date as the document writes it in that language: "March 31, 2027", "31 mars 2027"."""
    return format_date(day, "long", locale=LOCALES[lang])
