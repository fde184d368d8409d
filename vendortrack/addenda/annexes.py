"""The annexes the EU's standard contractual clauses need (Decision 2021/914): I, the parties, the
transfer and the supervisory authority; II, the technical and organisational measures; III, the
sub-processors. Written from the vendor's rows and the addendum's own clauses, in each language.

Pure: the vendor, the settings and the numbered clauses come in; words go out.
"""

from collections.abc import Mapping, Sequence

from vendortrack.addenda.facts import (
    GDPR_MARKS,
    WORDS,
    joined_purposes,
    joined_subjects,
    measures,
    one_line,
    retention_text,
)
from vendortrack.addenda.library import PIA_CLAUSE, SUB_PROCESSOR_CLAUSE, TRANSFER_CLAUSE
from vendortrack.documents.content import Annex, AnnexPart, ClauseText, Party
from vendortrack.documents.wording import STRINGS
from vendortrack.geography import EEA_COUNTRIES, EU_STATES_OF, country_of, location_name
from vendortrack.register.labels import category_label

# The clauses Annex II points to: the measures themselves are the clauses' terms, which the annex
# must not restate differently.
MEASURE_CLAUSES = (
    "protection",
    "personnel",
    "audit",
    "breach",
    "return_destruction",
    "security_certifications",
)

ANNEX_WORDS = {
    "en": {
        "annex_1": "Appendix I to this addendum: Annex I to the standard contractual clauses",
        "annex_2": "Appendix II to this addendum: Annex II to the standard contractual clauses, "
        "technical and organisational measures",
        "annex_3": "Appendix III to this addendum: Annex III to the standard contractual clauses, "
        "list of sub-processors",
        "parties": "A. List of parties",
        "transfer": "B. Description of the transfer",
        "authority": "C. Competent supervisory authority",
        "exporter": "Data exporter",
        "importer": "Data importer",
        "address": "Address",
        "contact": "Contact person",
        "representative": "Representative in the European Union (Article 27 of the GDPR)",
        "activities": "Activities relevant to the transfer",
        "exporter_activities": "Receives the services described in the contract, for which it "
        "shares the personal information described in part B.",
        "importer_activities": "Provides the services described in the contract, processing the "
        "personal information described in part B on the data exporter’s behalf.",
        "role": "Role",
        "controller": "Controller",
        "processor": "Processor",
        "signature": "Signature and date",
        "signed_below": "As in the signature block of this addendum.",
        "subjects": "Categories of data subjects",
        "categories": "Categories of personal data",
        "sensitive": "Sensitive data",
        "sensitive_safeguards": "{marked}. The safeguards of Annex II apply to them, and access "
        "is limited to the personnel who need them to perform the contract.",
        "no_sensitive": "None.",
        "frequency": "Frequency of the transfer",
        "continuous": "Continuous, for the term of the contract.",
        "nature": "Nature of the processing",
        "nature_text": "Storage and processing by the data importer, and access from its "
        "places of processing, to provide the services.",
        "purposes": "Purposes of the transfer and further processing",
        "retention": "Retention period",
        "places": "Countries and regions outside the European Economic Area",
        "onward": "Transfers to sub-processors",
        "onward_text": "To the sub-processors of Appendix III, for the processing and in the "
        "places stated for each, for the term of the contract.",
        "authority_text": "The supervisory authority of {state} (Clause 13 of the SCCs).",
        "swiss_authority": "For transfers under the Swiss FADP: the Federal Data Protection and "
        "Information Commissioner.",
        "uk_authority": "For transfers under the UK GDPR: the Information Commissioner.",
        "measures_intro": "The data importer applies the measures that these terms of this "
        "addendum require of it:",
        "clause": "Clause {number} of this addendum: {title}",
        "assessment": "Measures agreed in the privacy impact assessment",
        "sub_measures": "Each sub-processor is bound to the same measures (clause {number} of this "
        "addendum).",
        "sub_list": "The sub-processors listed under “Approved sub-processors” in the schedule to "
        "this addendum, for the processing and in the places stated there, authorised as clause "
        "{number} of this addendum states.",
    },
    "fr": {
        "annex_1": "Appendice I du présent avenant\u00a0: annexe I des clauses contractuelles "
        "types",
        "annex_2": "Appendice II du présent avenant\u00a0: annexe II des clauses contractuelles "
        "types, mesures techniques et organisationnelles",
        "annex_3": "Appendice III du présent avenant\u00a0: annexe III des clauses contractuelles "
        "types, liste des sous-traitants ultérieurs",
        "parties": "A. Liste des parties",
        "transfer": "B. Description du transfert",
        "authority": "C. Autorité de contrôle compétente",
        "exporter": "Exportateur de données",
        "importer": "Importateur de données",
        "address": "Adresse",
        "contact": "Personne de contact",
        "representative": "Représentant dans l’Union européenne (article 27 du RGPD)",
        "activities": "Activités en rapport avec le transfert",
        "exporter_activities": "Reçoit les services décrits au contrat, pour lesquels il "
        "communique les renseignements personnels décrits à la partie B.",
        "importer_activities": "Fournit les services décrits au contrat, en traitant pour le "
        "compte de l’exportateur les renseignements personnels décrits à la partie B.",
        "role": "Rôle",
        "controller": "Responsable du traitement",
        "processor": "Sous-traitant",
        "signature": "Signature et date",
        "signed_below": "Comme au bloc de signature du présent avenant.",
        "subjects": "Catégories de personnes concernées",
        "categories": "Catégories de renseignements personnels",
        "sensitive": "Données sensibles",
        "sensitive_safeguards": "{marked}. Les mesures de l’annexe II s’y appliquent, et l’accès "
        "est limité aux membres du personnel qui en ont besoin pour exécuter le contrat.",
        "no_sensitive": "Aucune.",
        "frequency": "Fréquence du transfert",
        "continuous": "Continue, pendant la durée du contrat.",
        "nature": "Nature du traitement",
        "nature_text": "Conservation et traitement par l’importateur, et accès à partir de ses "
        "lieux de traitement, pour fournir les services.",
        "purposes": "Finalités du transfert et du traitement ultérieur",
        "retention": "Durée de conservation",
        "places": "Pays et régions hors de l’Espace économique européen",
        "onward": "Transferts à des sous-traitants ultérieurs",
        "onward_text": "Aux sous-traitants ultérieurs de l’appendice III, pour le traitement et "
        "dans les lieux indiqués pour chacun, pendant la durée du contrat.",
        "authority_text": "L’autorité de contrôle {state} (clause 13 des CCT).",
        "swiss_authority": "Pour les transferts soumis à la LPD suisse\u00a0: le Préposé fédéral à "
        "la protection des données et à la transparence.",
        "uk_authority": "Pour les transferts soumis au RGPD du Royaume-Uni\u00a0: le commissaire à "
        "l’information du Royaume-Uni.",
        "measures_intro": "L’importateur applique les mesures que lui imposent les dispositions "
        "suivantes du présent avenant\u00a0:",
        "clause": "Clause {number} du présent avenant\u00a0: {title}",
        "assessment": "Mesures convenues dans l’évaluation des facteurs relatifs à la vie privée",
        "sub_measures": "Chaque sous-traitant ultérieur est tenu aux mêmes mesures (clause "
        "{number} du présent avenant).",
        "sub_list": "Les sous-traitants ultérieurs énumérés sous « Sous-traitants ultérieurs "
        "autorisés » à l’annexe du présent avenant, pour le traitement et dans les lieux qui y "
        "sont indiqués, autorisés comme le prévoit la clause {number} du présent avenant.",
    },
}


def transfer_annexes(
    parties: tuple[Party, Party],
    officer: str,
    vendor,
    settings,
    clauses: Sequence[ClauseText],
    facts: Mapping[str, bool],
    lang: str,
) -> list[Annex]:
    """Appendices I to III, the SCCs' annexes, in one language, for the addendum between
    `parties` (ours first) with these numbered clauses; [] when none incorporates the SCCs."""
    numbered = {c.id: c for c in clauses}
    if TRANSFER_CLAUSE not in numbered:
        return []
    words = ANNEX_WORDS[lang]
    rows = [r for r in vendor.sharings if r.subjects_in_eu]
    sub_clause = numbered[SUB_PROCESSOR_CLAUSE].number  # the SCC clause refers to it
    measures_part = [("", words["measures_intro"]), *_measures(vendor, clauses, lang)]
    return [
        Annex(
            words["annex_1"],
            [
                AnnexPart(words["parties"], _parties(parties, officer, settings, words)),
                AnnexPart(words["transfer"], _transfer(rows, lang)),
                AnnexPart(words["authority"], _authority(settings, facts, lang)),
            ],
        ),
        Annex(words["annex_2"], [AnnexPart("", measures_part)]),
        Annex(
            words["annex_3"], [AnnexPart("", [("", words["sub_list"].format(number=sub_clause))])]
        ),
    ]


def _parties(parties: tuple[Party, Party], officer: str, settings, words) -> list[tuple[str, str]]:
    ours, theirs = parties
    their_contact = ", ".join(p for p in (theirs.signatory, theirs.signatory_title) if p)
    our_role = words["processor" if settings.acts_as_processor else "controller"]
    return [
        (words["exporter"], ours.name),
        (words["address"], one_line(ours.address)),
        (words["contact"], officer or words["signed_below"]),
        (words["representative"], one_line(settings.eu_representative)),
        (words["activities"], words["exporter_activities"]),
        (words["role"], our_role),
        (words["signature"], words["signed_below"]),
        (words["importer"], theirs.name),
        (words["address"], one_line(theirs.address)),
        (words["contact"], their_contact or words["signed_below"]),
        (words["activities"], words["importer_activities"]),
        (words["role"], words["processor"]),
        (words["signature"], words["signed_below"]),
    ]


def _transfer(rows, lang: str) -> list[tuple[str, str]]:
    words, sep, colon = ANNEX_WORDS[lang], WORDS[lang]["separator"], STRINGS[lang]["colon"]
    marked = [
        f"{category_label(r.category, lang)} ({WORDS[lang][GDPR_MARKS[r.category]]})"
        for r in rows
        if r.category in GDPR_MARKS
    ]
    sensitive = words["sensitive_safeguards"].format(marked=sep.join(marked))
    # Within the EEA the GDPR applies as at home: only the other places are destinations.
    places = dict.fromkeys(
        location_name(code, lang)
        for r in rows
        for code in r.location_codes
        if country_of(code) not in EEA_COUNTRIES
    )
    retention = [
        f"{category_label(r.category, lang)}{colon}{retention_text(r, lang)}" for r in rows
    ]
    return [
        (words["subjects"], joined_subjects(rows, lang)),
        (words["categories"], sep.join(category_label(r.category, lang) for r in rows)),
        (words["sensitive"], sensitive if marked else words["no_sensitive"]),
        (words["frequency"], words["continuous"]),
        (words["nature"], words["nature_text"]),
        (words["purposes"], joined_purposes(rows, lang)),
        (words["retention"], sep.join(retention)),
        (words["places"], sep.join(places)),
        (words["onward"], words["onward_text"]),
    ]


def _authority(settings, facts: Mapping[str, bool], lang: str) -> list[tuple[str, str]]:
    words = ANNEX_WORDS[lang]
    state = EU_STATES_OF.get(settings.eu_member_state or "", {}).get(lang, "")
    lines = [words["authority_text"].format(state=state)]
    if facts.get("scc_switzerland"):
        lines.append(words["swiss_authority"])
    if facts.get("scc_united_kingdom"):
        lines.append(words["uk_authority"])
    return [("", "\n".join(lines))]


def _measures(vendor, clauses: Sequence[ClauseText], lang: str) -> list[tuple[str, str]]:
    words = ANNEX_WORDS[lang]
    entries = [
        ("", words["clause"].format(number=c.number, title=c.title[lang]))
        for c in clauses
        if c.id in MEASURE_CLAUSES
    ]
    chosen = {c.id: c.number for c in clauses}
    if PIA_CLAUSE in chosen and (agreed := measures(vendor).get(lang)):
        entries.append((words["assessment"], "\n".join(agreed)))
    entries.append(("", words["sub_measures"].format(number=chosen[SUB_PROCESSOR_CLAUSE])))
    return entries
