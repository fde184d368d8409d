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
        "preamble_all": (
            "This addendum forms part of every contract between the organisation and the vendor "
            "named above under which the vendor handles personal information for the "
            "organisation; in this addendum, \u201cthe contract\u201d means each of them. It "
            "applies to the personal information described in the schedule below."
        ),
        "all_contracts": "every contract between the parties",
        "covers_earlier": (
            "It also applies to the personal information the vendor received under the contract "
            "before this addendum\u2019s effective date."
        ),
        "schedule": "Schedule: personal information shared",
        "category": "Information",
        "purpose": "Purpose",
        "data_subjects": "Data subjects",
        "locations": "Countries and regions",
        "retention": "Retention",
        "clauses": "Terms",
        "measures": "Measures agreed in the privacy impact assessment",
        "sub_processors": "Approved sub-processors",
        "sub_name": "Sub-processor",
        "sub_address": "Address",
        "sub_processing": "Processing",
        "sub_location": "Place",
        "no_sub_processors": "None: the vendor engages no sub-processor on the effective date.",
        "basis": "Basis",
        "note_title": "Note for counsel: the basis of each clause",
        "note_intro": (
            "This note is not part of the addendum and is not sent to the vendor. For each "
            "clause it gives the provisions the clause answers under the regimes that apply to "
            "this vendor, and how strongly each asks for it: a statute, a regulation, a "
            "regulator's guidance or good practice. Counsel checks each clause against them."
        ),
        "no_basis": "none under the regimes that apply to this vendor",
        "privacy_officer": "Privacy officer",
        "languages": (
            "This addendum is made in French and in English as one instrument, and both versions "
            "are originals. If they differ, the {prevailing} version prevails."
        ),
        "french": "French",
        "english": "English",
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
        "preamble_all": (
            "Le présent avenant fait partie de chacun des contrats conclus entre l’organisation et "
            "le fournisseur nommés ci-dessus en vertu desquels le fournisseur traite des "
            "renseignements personnels pour l’organisation; dans le présent avenant, « le "
            "contrat » désigne chacun d’eux. Il s’applique aux renseignements personnels décrits "
            "dans l’annexe ci-dessous."
        ),
        "all_contracts": "tous les contrats entre les parties",
        "covers_earlier": (
            "Il s’applique aussi aux renseignements personnels que le fournisseur a reçus en vertu "
            "du contrat avant la date d’entrée en vigueur du présent avenant."
        ),
        "schedule": "Annexe\u00a0: renseignements personnels communiqués",
        "category": "Renseignements",
        "purpose": "Fins",
        "data_subjects": "Personnes concernées",
        "locations": "Pays et régions",
        "retention": "Conservation",
        "clauses": "Dispositions",
        "measures": "Mesures convenues dans l’évaluation des facteurs relatifs à la vie privée",
        "sub_processors": "Sous-traitants ultérieurs autorisés",
        "sub_name": "Sous-traitant ultérieur",
        "sub_address": "Adresse",
        "sub_processing": "Traitement",
        "sub_location": "Lieu",
        "no_sub_processors": (
            "Aucun\u00a0: le fournisseur ne fait appel à aucun sous-traitant ultérieur à la date "
            "d’entrée en vigueur."
        ),
        "basis": "Fondement",
        "note_title": "Note à l’intention des juristes : le fondement de chaque disposition",
        "note_intro": (
            "La présente note ne fait pas partie de l’avenant et n’est pas transmise au "
            "fournisseur. Pour chaque disposition, elle indique les dispositions légales "
            "auxquelles elle répond selon les régimes qui s’appliquent à ce fournisseur, et la "
            "force de chacune : loi, règlement, orientation d’un organisme de réglementation ou "
            "bonne pratique. Les juristes vérifient chaque disposition au regard de celles-ci."
        ),
        "no_basis": "aucun selon les régimes qui s’appliquent à ce fournisseur",
        "privacy_officer": "Responsable de la protection des renseignements personnels",
        "languages": (
            "Le présent avenant est fait en français et en anglais en un seul acte, et les deux "
            "versions sont des originaux. En cas de divergence, la version {prevailing} prévaut."
        ),
        "french": "française",
        "english": "anglaise",
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
    """A date as the document writes it in that language: "March 31, 2027", "31 mars 2027",
    "1er avril 2027" (French writes the first of the month as an ordinal)."""
    written = format_date(day, "long", locale=LOCALES[lang])
    return f"1er{written[1:]}" if lang == "fr" and day.day == 1 else written
