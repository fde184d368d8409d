"""The addenda a privacy lawyer reviewed, for the five sample vendors she read them for: the
payroll firm (Ontario and Québec), the mailer (EU people, Ireland and Virginia), the Californian
CRM, the Québec-only stationer and the German analytics firm, each in English, French and both.

Each test reads the generated .docx back and holds it to what she asked for (issue 15)."""

import re
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from tests.addenda.test_views import document_text
from tests.helpers import app_context, count, generate
from vendortrack.accounts.models import Role
from vendortrack.addenda.models import Addendum
from vendortrack.addenda.services import regenerate, regenerate_outdated
from vendortrack.database import utcnow
from vendortrack.demo.loader import load_demo
from vendortrack.documents.wording import document_date
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.register.models import Vendor

TODAY = date(2027, 1, 15)
LANGUAGES = ("en", "fr", "bilingual")
PAYROLL, MAILER, CRM = "Horizon Paie", "Mailroost", "Pipelane CRM"
STATIONER, ANALYTICS = "Papeterie Mont-Royal", "Datenblick Analytics"
# A French word elided with the straight apostrophe (l'avis, qu'il): the typographic one is used.
ELIDED = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'\w", re.IGNORECASE)
# What only the note for counsel says, never a contract term.
BASES = ("Basis", "Fondement", "(statute)", "(loi)", "good practice", "bonne pratique")


def load_sample_register(app):
    with app_context(app):
        load_demo(app.config["HOME_COUNTRY"], TODAY)
        db.session.commit()


@pytest.fixture
def demo(filled_once):
    filled_once(load_sample_register)


@pytest.fixture
def legal(signed_in, demo):
    return signed_in(Role.LEGAL)


def vendor_named(app, name: str) -> Vendor:
    with app_context(app):
        return db.session.scalar(select(Vendor).where(Vendor.name == name))


@dataclass(frozen=True)
class Generated:
    """What a test reads of a generated addendum, once its session is gone."""

    vendor_id: int
    clause_versions: dict[str, int]
    positions: dict[str, int]
    facts: dict


def addendum_for(app, legal, name: str, language: str) -> tuple[str, Generated]:
    """Generate the vendor's addendum with the clauses its facts call for; its text."""
    vendor = vendor_named(app, name)
    response = generate(legal, vendor, language)
    assert response.status_code == 302, response.text
    with app_context(app):
        addendum = db.session.scalars(
            select(Addendum).where(Addendum.vendor_id == vendor.id).order_by(Addendum.id.desc())
        ).first()
        generated = Generated(
            addendum.vendor_id,
            addendum.clause_versions,
            {c.clause_id: c.position for c in addendum.clauses},
            addendum.facts,
        )
        return " ".join(document_text(addendum.document).split()), generated


def clause_texts(app, addendum: Generated, lang: str) -> dict[str, str]:
    """Each clause of the addendum as the library fills it in, in one language."""
    library = app.extensions["clause_library"]
    values, facts = addendum.facts["values"][lang], addendum.facts["facts"]
    return {
        cid: " ".join(library.clauses[cid].paragraphs(lang, values, facts))
        for cid in addendum.clause_versions
    }


def paragraphs(app, addendum: Generated, cid: str, lang: str) -> list[str]:
    clause = app.extensions["clause_library"].clauses[cid]
    return clause.paragraphs(lang, addendum.facts["values"][lang], addendum.facts["facts"])


def versions(language: str) -> tuple[str, ...]:
    return ("fr", "en") if language == "bilingual" else (language,)


@pytest.mark.parametrize("name", [PAYROLL, MAILER, CRM, STATIONER, ANALYTICS])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_profile_reads_as_a_contract(app, legal, name, language):
    text, addendum = addendum_for(app, legal, name, language)
    # 4. No basis, citation label or strength is printed in the signed document.
    for words in BASES:
        assert words not in text, words
    # 6. The vendor forwards requests; the addendum says nothing of our deadline.
    for words in (
        "already running",
        "court déjà",
        "the law generally requires",
        "impose généralement",
    ):
        assert words not in text
    assert "access_requests" in addendum.clause_versions
    for lang in versions(language):
        filled = clause_texts(app, addendum, lang)
        for cid in filled:  # each paragraph as written, additions included
            for paragraph in paragraphs(app, addendum, cid, lang):
                assert " ".join(paragraph.split()) in text, (cid, lang)
        if lang == "fr":
            # 17. One apostrophe, the typographic one; no calque, no doublet, the Act's title.
            french_version = text.split("English version")[0]  # French comes first
            assert not ELIDED.findall(french_version)
            for words in ("met à l’essai", "Vérification et audit", "Loi sur le privé"):
                assert words not in text, words
            # 8. The vendor is the sous-traitant; its own are sous-traitants ultérieurs.
            assert "« sous-traitant ultérieur »" in filled["sub_processors"]
            assert "(un « sous-traitant »)" not in text
    # 3. Each purpose in the document's language, the other's nowhere.
    with app_context(app):
        rows = db.session.get(Vendor, addendum.vendor_id).sharings
        purposes = {"en": [r.purpose for r in rows], "fr": [r.purpose_fr for r in rows]}
    for lang in ("en", "fr"):
        for words in purposes[lang]:
            assert (words in text) is (lang in versions(language)), words
    # 17. The privacy officer's title is the label, not printed a second time after the name.
    assert "Priya Raman, Responsable" not in text
    # 14. One clause on incidents and one on audit: no second definition elsewhere.
    assert "quebec_incidents" not in addendum.clause_versions
    assert "ccpa_compliance" not in addendum.clause_versions


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_payroll_firm_gets_its_assessment_with_the_measures_agreed(app, legal, language):
    text, addendum = addendum_for(app, legal, PAYROLL, language)
    assert "quebec_pia" in addendum.clause_versions  # Ontario copy; assessment recorded
    with app_context(app):
        vendor = db.session.get(Vendor, addendum.vendor_id)
        completed, measures = vendor.pia_completed_on, vendor.pia_measures
        measures_fr = vendor.pia_measures_fr
    heading = {
        "en": "Measures agreed in the privacy impact assessment",
        "fr": "Mesures convenues dans l’évaluation des facteurs relatifs à la vie privée",
    }
    for lang in versions(language):
        assert document_date(completed, lang) in text
        assert heading[lang] in text
        wanted = (measures if lang == "en" else measures_fr).splitlines()
        assert all(line in text for line in wanted)
    if language != "bilingual":
        other = (measures_fr if language == "en" else measures).splitlines()
        assert not any(line in text for line in other)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mailer_gets_the_gdpr_terms_numbered_and_its_retention_limited(app, legal, language):
    text, addendum = addendum_for(app, legal, MAILER, language)
    clauses = addendum.clause_versions
    assert {"gdpr_instructions", "gdpr_assistance", "gdpr_transfers", "breach", "audit"} <= set(
        clauses
    )
    positions = addendum.positions
    for lang in versions(language):
        filled = clause_texts(app, addendum, lang)
        word = {"en": "clause", "fr": "la clause"}[lang]
        # 14. The assistance clause refers to the incident and audit clauses by their numbers.
        assert f"{word} {positions['breach']}" in filled["gdpr_assistance"]
        assert f"{word} {positions['audit']}" in filled["gdpr_assistance"]
    if "en" in versions(language):
        # 9. Only Union or Member State law can keep the data after the contract.
        assert "only a requirement of European Union or Member State law" in text
        assert "personal data breach within the meaning of the GDPR" in text
        assert "including inspections" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_crm_is_a_service_provider_only_for_a_ccpa_business(app, legal, language):
    text, addendum = addendum_for(app, legal, CRM, language)  # the sample says it is one
    assert "ccpa_service_provider" in addendum.clause_versions
    if language != "fr":
        assert "certifies that it understands the restrictions in this clause" in text
        assert "at least once every 12 months" in text  # the CCPA's sentence in the audit clause
    if language != "en":
        assert "atteste comprendre les restrictions" in text
    with app_context(app):
        db.session.get(OrganisationSettings, 1).ccpa_business = False
        db.session.commit()
    text, addendum = addendum_for(app, legal, CRM, language)
    assert "ccpa_service_provider" not in addendum.clause_versions
    assert "service provider" not in text
    assert "CCPA" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_stationer_reads_the_quebec_act_and_nothing_foreign(app, legal, language):
    text, _addendum = addendum_for(app, legal, STATIONER, language)
    for foreign in ("GDPR", "RGPD", "CCPA", "California", "Californie"):
        assert foreign not in text
    vendor = vendor_named(app, STATIONER)
    note = generate(legal, vendor, language, action="counsel_note")
    said = document_text(note.data)
    for foreign in ("GDPR", "RGPD", "CCPA", "1798", "Art. 28(1)"):
        assert foreign not in said
    assert re.search(r"(s\.|art\.) 18\.3", said)
    # 16. The organisation is in Québec: the person in charge gets the incident notices.
    if language != "fr":
        assert "the person in charge of the protection of personal information" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_analytics_firm_in_the_eu_needs_no_transfer_clause(app, legal, language):
    _text, addendum = addendum_for(app, legal, ANALYTICS, language)
    assert {"gdpr_instructions", "gdpr_assistance"} <= set(addendum.clause_versions)
    assert "gdpr_transfers" not in addendum.clause_versions  # Germany and Ireland
    with app_context(app):
        assert count(Addendum) == 1


def test_without_an_assessment_the_clause_saying_one_was_done_is_left_out(app, legal):
    with app_context(app):
        vendor = db.session.scalar(select(Vendor).where(Vendor.name == PAYROLL))
        vendor.pia_completed_on = vendor.pia_measures = vendor.pia_measures_fr = None
        db.session.commit()
    vendor = vendor_named(app, PAYROLL)
    page = legal.get(f"/vendors/{vendor.id}/addenda/new").text
    assert 'value="quebec_pia" id="clause-quebec_pia" checked' not in page
    assert "no privacy impact assessment (s. 17 of the Québec private-sector Act)" in page
    text, addendum = addendum_for(app, legal, PAYROLL, "en")
    assert "quebec_pia" not in addendum.clause_versions
    assert "carried out a privacy impact assessment" not in text
    assert "section 17" not in text
    with app_context(app):
        codes = db.session.get(Vendor, vendor.id).compliance_reasons
    assert "quebec_no_pia" in codes


def test_measures_in_english_only_stop_a_french_addendum_and_name_the_field(app, legal):
    with app_context(app):
        vendor = db.session.scalar(select(Vendor).where(Vendor.name == PAYROLL))
        vendor.pia_measures_fr = None
        db.session.commit()
        before = count(Addendum)
    vendor = vendor_named(app, PAYROLL)
    for language in ("fr", "bilingual"):
        response = generate(legal, vendor, language)
        assert response.status_code == 200
        assert "in French (the vendor&#39;s page)" in response.text or (
            "in English and in French" in response.text
        )
    with app_context(app):
        assert count(Addendum) == before
    assert generate(legal, vendor, "en").status_code == 302


@pytest.mark.parametrize(("home", "quebec_terms"), [("CA-QC", True), ("CA-ON", False)])
def test_the_quebec_incident_terms_follow_the_act_not_where_the_people_are(
    app, legal, create_vendor, home, quebec_terms
):
    # 16. An enterprise in Québec is subject to the Act for everything it holds.
    with app_context(app):
        db.session.get(OrganisationSettings, 1).home_jurisdiction = home
        db.session.commit()
    ontario = create_vendor(
        name="Ontario only", sharings=[{"subjects_in_quebec": False, "locations": ["CA-ON"]}]
    )
    response = generate(legal, ontario, "en")
    assert response.status_code == 302, response.text
    with app_context(app):
        document = db.session.scalars(select(Addendum).order_by(Addendum.id.desc())).first()
        text = " ".join(document_text(document.document).split())
    assert ("attempted violation" in text) is quebec_terms
    assert ("Commission d'accès à l'information" in text) is quebec_terms


# -- 7. the boilerplate a contract needs --------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_final_provisions_give_law_forum_notices_severability_and_counterparts(
    app, legal, language
):
    text, addendum = addendum_for(app, legal, PAYROLL, language)
    assert {"liability", "final_provisions"} <= set(addendum.clause_versions)
    with app_context(app):
        lines = db.session.get(Vendor, addendum.vendor_id).address.splitlines()
    address = " ".join(", ".join(lines).split())  # its lines on one, as the notices print it
    said = {
        "en": [
            "governed by the laws in force in Québec, including the federal laws of Canada",
            "the competent courts sitting in Montréal have exclusive jurisdiction",
            f"to Solutions de paie Horizon inc., at {address}.",
            "the other provisions remain in force",
            "signed in counterparts, including by electronic signature",
            "No limitation or exclusion of liability in the contract applies",
        ],
        "fr": [
            "régi par les lois en vigueur au Québec, y compris les lois fédérales du Canada",
            "les tribunaux compétents siégeant à Montréal ont compétence exclusive",
            f"à l’adresse suivante : {address}.",
            "les autres dispositions demeurent en vigueur",
            "signé en plusieurs exemplaires, y compris par signature électronique",
            "Aucune limitation ou exclusion de responsabilité prévue au contrat",
        ],
    }
    for lang in versions(language):
        for words in said[lang]:
            assert words in text, words


def test_a_bilingual_addendum_is_one_instrument_with_one_signature_block(app, legal):
    text, _addendum = addendum_for(app, legal, PAYROLL, "bilingual")
    assert text.count("Signatures") == 1
    assert text.index("English version") < text.index("Signatures")
    for label in ("Nom / Name", "Fonction / Title", "ORGANISATION", "FOURNISSEUR / VENDOR"):
        assert label in text, label
    # Which version prevails, said in each: the French, for an organisation in Québec.
    assert "En cas de divergence, la version française prévaut." in text
    assert "If they differ, the French version prevails." in text
    for language in ("en", "fr"):
        single, _ = addendum_for(app, legal, PAYROLL, language)
        assert "version prevails" not in single
        assert "version française prévaut" not in single


def test_outside_quebec_the_english_version_prevails(app, legal, create_vendor):
    with app_context(app):
        settings = db.session.get(OrganisationSettings, 1)
        settings.home_jurisdiction, settings.governing_law, settings.forum = "CA-ON", "", "Toronto"
        db.session.commit()
    # Some of its people are in Québec: the Québec Act applies to them, but the Charter does not
    # govern the contract of an organisation in Ontario under Ontario's law.
    create_vendor(
        name="Ontario mailer", sharings=[{"subjects_in_quebec": True, "locations": ["CA-ON"]}]
    )
    text, _addendum = addendum_for(app, legal, "Ontario mailer", "bilingual")
    assert "If they differ, the English version prevails." in text
    assert "la version anglaise prévaut" in text
    assert "laws in force in Ontario" in text
    assert "lois en vigueur en Ontario" in text
    assert "sitting in Toronto" in text


def test_the_liability_clause_follows_the_setting(app, legal):
    with app_context(app):
        db.session.get(OrganisationSettings, 1).uncapped_liability = False
        db.session.commit()
    text, addendum = addendum_for(app, legal, STATIONER, "en")
    assert "liability" not in addendum.clause_versions
    assert "limitation or exclusion of liability" not in text
    page = legal.get(f"/vendors/{vendor_named(app, STATIONER).id}/addenda/new").text
    assert 'value="liability" id="clause-liability" checked' not in page


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"forum": ""}, "the city whose courts hear disputes over addenda (Settings)"),
        ({"home_jurisdiction": "US", "governing_law": ""}, "the province whose laws govern"),
    ],
)
def test_a_missing_law_or_forum_is_named_and_nothing_is_generated(app, legal, change, named):
    with app_context(app):
        settings = db.session.get(OrganisationSettings, 1)
        for name, value in change.items():
            setattr(settings, name, value)
        db.session.commit()
        before = count(Addendum)
    response = generate(legal, vendor_named(app, STATIONER), "en")
    assert response.status_code == 200
    assert named in response.text
    with app_context(app):
        assert count(Addendum) == before


def test_a_vendor_without_an_address_is_named_and_nothing_is_generated(app, legal):
    with app_context(app):
        db.session.scalar(select(Vendor).where(Vendor.name == STATIONER)).address = None
        db.session.commit()
    response = generate(legal, vendor_named(app, STATIONER), "fr")
    assert response.status_code == 200
    assert "the vendor&#39;s address (the vendor&#39;s page)" in response.text
    with app_context(app):
        assert count(Addendum) == 0


# -- 3. French without English ----------------------------------------------------------------


def test_a_purpose_missing_in_french_stops_a_french_addendum_naming_the_row(app, legal):
    with app_context(app):
        vendor = db.session.scalar(select(Vendor).where(Vendor.name == PAYROLL))
        next(r for r in vendor.sharings if r.category == "financial").purpose_fr = None
        db.session.commit()
    vendor = vendor_named(app, PAYROLL)
    for language in ("fr", "bilingual"):
        response = generate(legal, vendor, language)
        assert response.status_code == 200
        assert "the purpose, in French, of “Financial and payment information”" in response.text
    with app_context(app):
        assert count(Addendum) == 0
    assert generate(legal, vendor, "en").status_code == 302  # English needs only English


def test_regenerating_drops_a_clause_the_facts_no_longer_call_for(app, legal):
    _text, first = addendum_for(app, legal, CRM, "en")
    assert "ccpa_service_provider" in first.clause_versions
    library = app.extensions["clause_library"]
    with app_context(app):
        settings = db.session.get(OrganisationSettings, 1)
        settings.ccpa_business = False
        old = db.session.scalars(select(Addendum).order_by(Addendum.id.desc())).first()
        regenerate(old, settings, library, None, utcnow())
        db.session.commit()
        newest = db.session.scalars(select(Addendum).order_by(Addendum.id.desc())).first()
        assert "ccpa_service_provider" not in newest.clause_versions
        assert "audit" in newest.clause_versions


# -- 10, 12, 13: the description, the lists and the scale ---------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_lists_live_in_the_schedule_and_the_clauses_refer_to_it(app, legal, language):
    text, _addendum = addendum_for(app, legal, PAYROLL, language)
    # 12. No joined list: the purposes, places and retention are the schedule's, row by row.
    assert "; Social insurance numbers" not in text
    assert "months; until the contract ends" not in text
    assert "mois; jusqu’à la fin du contrat" not in text
    if language != "fr":
        assert "for the purpose the schedule to this addendum states for it" in text
        assert "Countries and regions" in text
    if language != "en":
        assert "aux fins que l’annexe du présent avenant indique pour celle-ci" in text
        assert "Pays et régions" in text


def test_the_gdpr_description_and_the_schedule_mark_special_categories(app, legal, create_vendor):
    create_vendor(
        name="EU clinic",
        sharings=[{"category": "health", "subjects_in_eu": True, "locations": ["FR"]}],
    )
    text, addendum = addendum_for(app, legal, "EU clinic", "bilingual")
    assert "gdpr_instructions" in addendum.clause_versions
    # 10. Subject matter, duration, nature, purpose and categories, from the rows.
    assert "Subject matter: the personal information listed in the schedule" in text
    assert "special category of personal data, GDPR Art. 9" in text
    assert "catégorie particulière de données, art. 9 du RGPD" in text


def test_safeguards_and_audit_depth_follow_what_is_shared_and_the_risk(app, legal):
    payroll, _ = addendum_for(app, legal, PAYROLL, "en")  # employee records, critical
    stationer, _ = addendum_for(app, legal, STATIONER, "en")  # business contacts, low
    assert "multi-factor authentication" in payroll
    assert "SOC 2 Type II" in payroll
    assert "multi-factor authentication" not in stationer
    assert "SOC 2 Type II" not in stationer


# -- 11. the contract it amends, and since when --------------------------------------------------


def test_a_vendor_without_a_contract_reference_needs_a_choice(app, legal):
    stationer = vendor_named(app, STATIONER)  # no contract beyond its online account's terms
    assert stationer.contract_reference is None
    response = generate(legal, stationer, "en", contract="")
    assert response.status_code == 200
    assert "Name the contract this addendum amends" in response.text
    with app_context(app):
        assert count(Addendum) == 0
    response = generate(legal, stationer, "bilingual", contract="", all_contracts="y")
    assert response.status_code == 302, response.text
    with app_context(app):
        document = db.session.scalar(select(Addendum)).document
    text = " ".join(document_text(document).split())
    assert "Contract reference: every contract between the parties" in text
    assert "forms part of every contract between the organisation and the vendor" in text
    assert "Référence du contrat : tous les contrats entre les parties" in text


def test_the_addendum_can_cover_what_the_vendor_received_before_it(app, legal):
    vendor = vendor_named(app, PAYROLL)
    response = generate(legal, vendor, "bilingual", covers_earlier="y")
    assert response.status_code == 302, response.text
    with app_context(app):
        addendum = db.session.scalar(select(Addendum))
        text = " ".join(document_text(addendum.document).split())
        assert addendum.facts["scope"] == {
            "contract": "PAIE-2019-001",
            "all_contracts": False,
            "covers_earlier": True,
        }
    assert "Contract reference: PAIE-2019-001" in text
    assert "received under the contract before this addendum’s effective date" in text
    assert "reçus en vertu du contrat avant la date d’entrée en vigueur du présent avenant" in text
    with app_context(app):  # a regenerated addendum amends what the old one did
        settings = db.session.get(OrganisationSettings, 1)
        old = db.session.scalar(select(Addendum))
        fresh = regenerate(old, settings, app.extensions["clause_library"], None, utcnow())
        assert fresh.facts["scope"] == old.facts["scope"]


def test_the_schedule_must_say_where_whom_and_how_long_for_every_row(app, legal, create_vendor):
    # The clauses refer to the schedule for each row's places, people and retention.
    vague = create_vendor(
        name="Vague vendor",
        sharings=[{"locations": [], "data_subjects": [], "retention_months": None}],
    )
    response = generate(legal, vague, "en")
    assert response.status_code == 200
    named = "“Identity and contact details”"
    for words in (
        f"where {named} is stored",
        f"whom {named} is about",
        f"how long {named} is kept",
    ):
        assert words in response.text, words
    with app_context(app):
        assert count(Addendum) == 0


# -- 5. One model of sub-processors --------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mailer_approves_its_sub_processors_with_notice_and_objection(app, legal, language):
    text, addendum = addendum_for(app, legal, MAILER, language)
    clauses = addendum.clause_versions
    assert "sub_processors" in clauses
    assert "gdpr_subprocessors" not in clauses  # one clause, not two that disagree
    # The list approved on signing, with what each one does and where, in each version.
    assert "Bluewater Cloud Services LLC" in text
    assert "Liffey Support Desk Ltd." in text
    for lang in versions(language):
        filled = clause_texts(app, addendum, lang)["sub_processors"]
        if lang == "en":
            assert "Approved sub-processors" in text
            assert "Hosts the subscriber lists and sends the emails." in text
            assert "Virginia (United States)" in text
            assert "general written authorisation" in filled
            assert "at least 30 days before adding or replacing" in filled
            assert "may object to the change on reasonable grounds" in filled
            assert "prior specific written authorisation" not in filled
            # The mailer's people include EU people: the GDPR's terms, in this one clause.
            assert "the same data protection obligations as this addendum" in filled
        else:
            assert "Sous-traitants ultérieurs autorisés" in text
            assert "Héberge les listes d’abonnés et envoie les courriels." in text
            assert "au moins 30 jours avant d’ajouter ou de remplacer" in filled
        # "Sub-processor" is defined once in the whole document.
        defined = {"en": "(a “sub-processor”)", "fr": "(un « sous-traitant ultérieur »)"}[lang]
        assert text.count(defined) == 1


def test_specific_authorisation_asks_for_each_one_and_regenerating_keeps_the_choice(app, legal):
    vendor = vendor_named(app, PAYROLL)
    assert generate(legal, vendor, "en", authorisation="specific").status_code == 302
    with app_context(app):
        settings = db.session.get(OrganisationSettings, 1)
        settings.sub_processor_notice_days = 45
        old = db.session.scalars(select(Addendum).order_by(Addendum.id.desc())).first()
        text = document_text(old.document)
        assert "prior specific written authorisation" in text
        assert "general written authorisation" not in text
        assert "at least 30 days before the sub-processor is to receive" in text
        regenerate(old, settings, app.extensions["clause_library"], None, utcnow())
        db.session.commit()
        newest = db.session.scalars(select(Addendum).order_by(Addendum.id.desc())).first()
        again = document_text(newest.document)
        assert "prior specific written authorisation" in again
        assert "at least 45 days before the sub-processor is to receive" in again


def test_a_vendor_confirmed_to_use_none_says_so_and_an_unfilled_list_stops_generating(app, legal):
    # The stationer's engaging none is confirmed: no warning, and the document says none.
    vendor = vendor_named(app, STATIONER)
    assert "No sub-processor is recorded" not in legal.get(f"/vendors/{vendor.id}/addenda/new").text
    text, _addendum = addendum_for(app, legal, STATIONER, "bilingual")
    assert "None: the vendor engages no sub-processor on the effective date." in text
    assert "Aucun : le fournisseur ne fait appel à aucun sous-traitant ultérieur" in text
    # A vendor whose list nobody has filled in: the checklist warns, and nothing is generated
    # until someone lists them or confirms there are none.
    with app_context(app):
        db.session.scalar(select(Vendor).where(Vendor.name == STATIONER)).no_sub_processors = False
        db.session.commit()
    assert "No sub-processor is recorded" in legal.get(f"/vendors/{vendor.id}/addenda/new").text
    response = generate(legal, vendor, "en")
    assert response.status_code == 200
    assert "the vendor’s sub-processors, or the confirmation that it engages none" in (
        response.text
    )


def test_a_sub_processor_without_french_stops_a_french_addendum_naming_it(app, legal):
    with app_context(app):
        vendor = db.session.scalar(select(Vendor).where(Vendor.name == MAILER))
        vendor.sub_processors[1].processing_fr = None
        db.session.commit()
    vendor = vendor_named(app, MAILER)
    response = generate(legal, vendor, "fr")
    assert response.status_code == 200
    assert "what “Liffey Support Desk Ltd.” does with the information, in French" in response.text
    with app_context(app):
        assert count(Addendum) == 0
    assert generate(legal, vendor, "en").status_code == 302


def test_an_unknown_authorisation_is_refused(app, legal):
    vendor = vendor_named(app, MAILER)
    response = generate(legal, vendor, "en", authorisation="whatever")
    assert response.status_code == 200
    with app_context(app):
        assert count(Addendum) == 0


# -- 1. EU transfers under the standard contractual clauses ------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mailer_transfers_under_the_sccs_with_their_options_and_annexes(app, legal, language):
    text, addendum = addendum_for(app, legal, MAILER, language)
    assert addendum.clause_versions["gdpr_transfers"] == 2
    positions = addendum.positions
    assert "have been concluded" not in text
    if "en" in versions(language):
        filled = clause_texts(app, addendum, "en")["gdpr_transfers"]
        for words in (
            "Commission Implementing Decision (EU) 2021/914",
            "Module Two (transfer controller to processor)",
            "incorporated into this addendum by reference",
            "Centres sportifs Aurore inc. is the data exporter and Mailroost Limited the data "
            "importer",
            "the optional docking clause (Clause 7) applies",
            "Clause 11(a), on an independent dispute resolution body, does not apply",
            "under Clause 17, Option 1, the SCCs are governed by the law of Ireland",
            "under Clause 18(b), disputes arising from the SCCs are resolved by the courts of "
            "Ireland",
            "Option 2 (general written authorisation) applies, with the sub-processors approved "
            f"under clause {positions['sub_processors']}",
            "under Clause 13(a), the competent supervisory authority is that of Ireland, where the "
            "representative that Centres sportifs Aurore inc. designated under Article 27 of the "
            "GDPR is established: Aurore Europe Representation Ltd., 12 Fitzwilliam Square",
        ):
            assert words in filled, words
        # The choices come together: those of the paragraph, then Clause 9's, just after it.
        choices, option = paragraphs(app, addendum, "gdpr_transfers", "en")[2:4]
        assert choices.startswith("The parties make the following choices in the SCCs")
        assert option.startswith("For Clause 9(a) of the SCCs")
        assert "Swiss" not in filled  # the sample organisation makes no Swiss or UK transfers
        assert "UK GDPR" not in filled
        # Annex I: the parties, the transfer from the EU rows, the authority.
        for words in (
            "Appendix I to this addendum: Annex I to the standard contractual clauses",
            "Data exporter: Centres sportifs Aurore inc.",
            "Representative in the European Union (Article 27 of the GDPR): Aurore Europe "
            "Representation Ltd.",
            "Role: Controller",
            "Data importer: Mailroost Limited",
            "Role: Processor",
            "Categories of data subjects: Customers; Prospects",
            "Purposes of the transfer and further processing: Send newsletters and promotions "
            "to people who agreed to receive them; Measure opens and clicks in our emails",
            "Countries and regions outside the European Economic Area: Virginia (United States)",
            "Frequency of the transfer: Continuous, for the term of the contract.",
            "The supervisory authority of Ireland (Clause 13 of the SCCs).",
            # Annex II: the measures are the addendum's own terms, by number.
            "Appendix II to this addendum: Annex II to the standard contractual clauses, "
            "technical and organisational measures",
            f"Clause {positions['protection']} of this addendum: Protection of personal "
            "information",
            f"Clause {positions['breach']} of this addendum:",
            # Annex III: the approved list, by reference to the schedule.
            "Appendix III to this addendum: Annex III to the standard contractual clauses, list "
            "of sub-processors",
        ):
            assert words in text, words
    if "fr" in versions(language):
        filled = clause_texts(app, addendum, "fr")["gdpr_transfers"]
        for words in (
            "module deux (transfert de responsable du traitement à sous-traitant)",
            "sont intégrées au présent avenant par renvoi",
            "les CCT sont régies par le droit de l’Irlande",
            "tranchés par les juridictions de l’Irlande",
            "l’option 2 (autorisation écrite générale) s’applique",
        ):
            assert words in filled, words
        for words in (
            "Appendice I du présent avenant : annexe I des clauses contractuelles types",
            "Exportateur de données : Centres sportifs Aurore inc.",
            "Rôle : Responsable du traitement",
            "L’autorité de contrôle de l’Irlande (clause 13 des CCT).",
            "Appendice III du présent avenant : annexe III des clauses contractuelles types, liste "
            "des sous-traitants ultérieurs",
        ):
            assert words in text, words


def test_a_processor_organisation_uses_module_three_and_the_swiss_and_uk_options(app, legal):
    with app_context(app):
        settings = db.session.get(OrganisationSettings, 1)
        settings.acts_as_processor = True
        settings.swiss_transfers = settings.uk_transfers = True
        db.session.commit()
    text, addendum = addendum_for(app, legal, MAILER, "en")
    assert "Module Three (transfer processor to processor)" in text
    assert "Role: Processor" in text
    assert "Role: Controller" not in text
    assert "acts as processor for its own clients, who are the controllers, and Mailroost" in text
    filled = clause_texts(app, addendum, "en")["gdpr_transfers"]
    assert "the Federal Data Protection and Information Commissioner is the competent" in filled
    assert "International Data Transfer Addendum" in filled
    assert "version B1.0" in filled
    assert "For transfers under the Swiss FADP: the Federal Data Protection" in text
    assert "For transfers under the UK GDPR: the Information Commissioner." in text


def test_specific_authorisation_chooses_option_1_of_clause_9(app, legal):
    vendor = vendor_named(app, MAILER)
    assert generate(legal, vendor, "en", authorisation="specific").status_code == 302
    with app_context(app):
        text = document_text(db.session.scalars(select(Addendum)).one().document)
    assert "Option 1 (specific prior authorisation) applies" in text
    assert "Option 2" not in text


def test_without_a_member_state_the_setting_is_named_and_nothing_is_generated(app, legal):
    with app_context(app):
        settings = db.session.get(OrganisationSettings, 1)
        settings.eu_member_state = settings.eu_representative = ""
        db.session.commit()
    response = generate(legal, vendor_named(app, MAILER), "en")
    assert response.status_code == 200
    assert "the EU Member State whose law and courts govern the standard contractual" in (
        response.text
    )
    assert "the organisation’s representative in the EU (Settings)" in response.text
    with app_context(app):
        assert count(Addendum) == 0
    # A vendor whose EU people's information stays in the EU needs no Member State.
    assert generate(legal, vendor_named(app, ANALYTICS), "en").status_code == 302


def test_leaving_out_the_sub_processor_clause_is_refused_while_the_sccs_refer_to_it(app, legal):
    vendor = vendor_named(app, MAILER)
    page = legal.get(f"/vendors/{vendor.id}/addenda/new").text
    ticked = re.findall(r'value="(\w+)" id="clause-\w+" checked', page)
    ticked.remove("sub_processors")
    response = generate(legal, vendor, "en", clauses=ticked, omit_sub_processors="Their own DPA")
    assert response.status_code == 200
    assert "refers to «Sub-processors», left out" in response.text


def test_the_preview_shows_the_approved_list_and_the_annexes(app, legal):
    vendor = vendor_named(app, MAILER)
    response = generate(legal, vendor, "en", action="preview")
    assert response.status_code == 200
    page = response.text
    assert 'id="preview-sub-processors-en"' in page
    assert "Bluewater Cloud Services LLC" in page
    assert "Appendix I to this addendum: Annex I to the standard contractual clauses" in page
    assert "Annex III to the standard contractual clauses, list of sub-processors" in page
    with app_context(app):
        assert count(Addendum) == 0


def test_regenerating_an_addendum_made_before_the_choice_keeps_consent_for_each(app, legal):
    # Before the choice, the clause asked for prior written consent to every sub-processor: a
    # specific authorisation, which regenerating must not loosen into a general one.
    _text, _first = addendum_for(app, legal, MAILER, "en")
    library = app.extensions["clause_library"]
    with app_context(app):
        old = db.session.scalars(select(Addendum)).one()
        old.facts = {
            **old.facts,
            "facts": {
                k: v for k, v in old.facts["facts"].items() if not k.endswith("_authorisation")
            },
        }
        db.session.commit()
        settings = db.session.get(OrganisationSettings, 1)
        regenerate(old, settings, library, None, utcnow())
        db.session.commit()
        newest = db.session.scalars(select(Addendum).order_by(Addendum.id.desc())).first()
        text, newest_id = document_text(newest.document), newest.id
    assert "prior specific written authorisation" in text
    assert "Option 1 (specific prior authorisation) applies" in text
    page = legal.get(f"/addenda/{newest_id}").text
    assert "Specific: the vendor asks us for each one" in page


def test_bulk_regeneration_reports_a_vendor_whose_list_nobody_filled_in(app, legal):
    _text, _first = addendum_for(app, legal, PAYROLL, "en")
    library = app.extensions["clause_library"]
    with app_context(app):
        vendor = db.session.scalar(select(Vendor).where(Vendor.name == PAYROLL))
        vendor.sub_processors.clear()
        addendum = db.session.scalars(select(Addendum)).one()
        next(c for c in addendum.clauses if c.clause_id == "protection").version = 1  # outdated
        db.session.commit()
        settings = db.session.get(OrganisationSettings, 1)
        summary = regenerate_outdated(settings, library, None, utcnow())
        db.session.commit()
        assert summary.regenerated == 0
        assert "the confirmation that it engages none" in summary.failed[PAYROLL]
        assert count(Addendum) == 1


def test_a_sub_processor_where_no_data_sharing_row_allows_stops_the_addendum(app, legal):
    with app_context(app):
        vendor = db.session.scalar(select(Vendor).where(Vendor.name == MAILER))
        vendor.sub_processors[1].location = "IN"  # the support desk moves to India
        vendor.sub_processors[0].location = "US"  # a whole country, where only Virginia is listed
        db.session.commit()
    response = generate(legal, vendor_named(app, MAILER), "en")
    assert response.status_code == 200
    assert "where the information goes to “Liffey Support Desk Ltd.”: India" in response.text
    assert "where the information goes to “Bluewater Cloud Services LLC”: United States" in (
        response.text
    )
    with app_context(app):
        assert count(Addendum) == 0
