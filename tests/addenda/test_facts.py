"""The facts, values and schedule an addendum is built from, read off a vendor."""

from datetime import date
from types import SimpleNamespace

from tests.helpers import make_sharing
from vendortrack.addenda.facts import Standing, placeholder_values, schedule_rows, vendor_facts
from vendortrack.documents.wording import document_date
from vendortrack.register.models import Vendor

CANADA = Standing("CA")
SETTINGS = SimpleNamespace(
    legal_name="Centres Sportifs Boréal inc.",
    breach_notice_hours=24,
    access_forwarding_days=10,
    privacy_officer_name="Amélie Roy",
    privacy_officer_email="vie.privee@boreal.example",
    home_jurisdiction="CA-QC",
    governing_law="",
    forum="Montréal",
    sub_processor_notice_days=30,
    acts_as_processor=False,
    eu_member_state="",
    eu_representative="",
)


def vendor(*sharings, **values) -> Vendor:
    v = Vendor(name=values.pop("name", "Acme & Fils"), country="CA", **values)
    v.sharings = [make_sharing(**s) for s in sharings]
    return v


def test_a_vendor_without_data_sharing_shares_nothing():
    facts = vendor_facts(vendor(), CANADA)
    assert not any(facts.values())


def test_facts_follow_the_people_and_the_places():
    v = vendor(
        {"category": "health", "subjects_in_quebec": True, "locations": ["CA-QC", "CA-ON"]},
        {"category": "identity_contact", "subjects_in_eu": True, "locations": ["IE", "US"]},
    )
    facts = vendor_facts(v, CANADA)
    assert facts["shares_personal_information"]
    assert facts["sensitive_information"]
    assert facts["subjects_in_quebec"]
    assert facts["subjects_in_eu"]
    assert not facts["subjects_in_california"]
    assert facts["processed_outside_home_country"]  # Ireland and the United States
    assert facts["quebec_data_outside_quebec"]  # Ontario
    assert facts["eu_data_outside_eu"]  # the United States; Ireland alone would not count


def test_quebec_information_kept_in_quebec_needs_no_assessment():
    v = vendor({"subjects_in_quebec": True, "locations": ["CA-QC"]})
    facts = vendor_facts(v, CANADA)
    assert not facts["quebec_data_outside_quebec"]
    assert not facts["processed_outside_home_country"]
    assert not facts["sensitive_information"]  # identity and contact details are moderate


def test_a_bare_country_code_cannot_show_the_information_stays_in_quebec():
    assert vendor_facts(vendor({"subjects_in_quebec": True, "locations": ["CA"]}), CANADA)[
        "quebec_data_outside_quebec"
    ]


def test_values_and_schedule_in_each_language():
    v = vendor(
        {
            "category": "health",
            "purpose": "Soins «infirmiers»",
            "data_subjects": ["employees"],
            "locations": ["CA-QC", "US"],
            "retention_months": 1,
        },
        {
            "category": "financial",
            "purpose": "Paie & <primes>",
            "retention_months": None,
            "retention_until_contract_end": True,
        },
        legal_name="Gestion Émile & Fils <inc> 🎉",
    )
    en, fr = (placeholder_values(v, SETTINGS, lang) for lang in ("en", "fr"))
    assert en["vendor"] == fr["vendor"] == "Gestion Émile & Fils <inc> 🎉"
    assert en["purposes"] == "Soins «infirmiers»; Paie & <primes>"
    assert en["categories"] == "Health information; Financial and payment information"
    assert (
        fr["categories"] == "Renseignements sur la santé; Renseignements financiers et de paiement"
    )
    assert en["retention"] == "1 month; until the contract ends"
    assert fr["retention"] == "1 mois; jusqu’à la fin du contrat"
    assert fr["countries"] == "Québec (Canada); États-Unis; Canada"
    assert (en["breach_hours"], en["access_days"]) == ("24", "10")
    rows = schedule_rows(v, "fr")
    assert [r.category for r in rows] == [
        "Renseignements sur la santé",
        "Renseignements financiers et de paiement",
    ]
    assert rows[0].data_subjects == "Employés"
    assert rows[1].locations == "Canada"


def test_french_writes_the_first_of_the_month_as_an_ordinal():
    assert document_date(date(2027, 4, 1), "fr") == "1er avril 2027"
    assert document_date(date(2027, 4, 2), "fr") == "2 avril 2027"
    assert document_date(date(2027, 4, 1), "en") == "April 1, 2027"


def test_purposes_are_joined_without_their_full_stops():
    v = vendor({"purpose": "Pay staff."}, {"category": "financial", "purpose": "Bank accounts."})
    assert placeholder_values(v, SETTINGS, "en")["purposes"] == "Pay staff; Bank accounts"
