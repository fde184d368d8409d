"""The gap addendum: from the findings, a short addendum holding only the required clauses the
vendor's agreement lacks, weakens or denies, saying it prevails over that agreement there, in
English, French or both; a draft tracked like any addendum. Read back from the .docx."""

import pytest
from sqlalchemy import select

from tests.addenda.test_views import document_text
from tests.helpers import app_context, count
from vendortrack.accounts.models import Role
from vendortrack.addenda.models import Addendum, AddendumStatus
from vendortrack.extensions import db

SHARES = [{"category": "identity_contact", "locations": ["CA-ON"]}]
SUPPLEMENT = {
    "en": "This addendum supplements the data processing agreement provided by",
    "fr": "Le présent avenant complète l’entente de traitement des renseignements personnels",
}
TITLES = {"audit": "Audit", "protection": "Protection of personal information"}


@pytest.fixture
def legal(signed_in):
    return signed_in(Role.LEGAL)


@pytest.fixture
def vendor(create_vendor, settings):
    return create_vendor(name="Northwind Mail", sharings=SHARES)


def generate_gap(client, vendor, language):
    return client.post(f"/vendors/{vendor.id}/agreement/gap-addendum", data={"language": language})


def the_addendum(app) -> Addendum:
    with app_context(app):
        addendum = db.session.scalar(select(Addendum))
        addendum.document  # noqa: B018  (loaded before the session closes)
        addendum.clauses  # noqa: B018
        return addendum


@pytest.mark.parametrize("language", ["en", "fr", "bilingual"])
def test_it_holds_only_the_gaps_and_prevails_over_the_vendors_agreement(
    app, legal, vendor, create_agreement, language
):
    create_agreement(vendor)  # protection present; audit denied; breach weak; the rest missing
    response = generate_gap(legal, vendor, language)
    addendum = the_addendum(app)
    assert response.headers["Location"].endswith(f"/addenda/{addendum.id}")
    assert addendum.status is AddendumStatus.DRAFT
    assert addendum.facts["facts"]["supplements_vendor_agreement"] is True
    assert {"general", "audit", "breach", "final_provisions"} <= set(addendum.clause_versions)
    assert "protection" not in addendum.clause_versions
    assert addendum.omissions["protection"].startswith(
        "Covered by the vendor's own agreement (dpa.txt), per the check of"
    )
    assert "protection" not in addendum.facts["supplements"]["gaps"]
    # A clause the rules do not read is in it too when its key phrases are not found.
    assert "cooperation" in addendum.clause_versions
    # A clause the rules do not read is in it too when its key phrases are not found.
    assert "cooperation" in addendum.clause_versions
    text = " ".join(document_text(addendum.document).split())
    for lang in ("fr", "en") if language == "bilingual" else (language,):
        assert SUPPLEMENT[lang] in text
    if language == "en":
        assert TITLES["audit"] in text
        assert TITLES["protection"] not in text


def test_an_ordinary_addendum_says_nothing_of_a_vendors_agreement(app, legal, vendor):
    from tests.helpers import generate

    generate(legal, vendor, "en")
    text = document_text(the_addendum(app).document)
    assert SUPPLEMENT["en"] not in text


def test_no_gap_or_no_check_generates_nothing_and_says_why(app, legal, vendor, create_agreement):
    refused = generate_gap(legal, vendor, "en")
    assert refused.status_code == 302
    page = legal.get(f"/vendors/{vendor.id}/agreement").text
    assert "Check the vendor’s own agreement first" in page
    run = create_agreement(vendor)
    for finding in run.findings:
        legal.post(
            f"/vendors/{vendor.id}/agreement/findings/{finding.id}",
            data={"decision": "accepted" if finding.finding == "present" else "waived",
                  "reason": "Accepted by counsel"},
        )  # fmt: skip
    generate_gap(legal, vendor, "en")
    page = legal.get(f"/vendors/{vendor.id}/agreement").text
    assert "leaves no gap on the clauses checked" in page
    with app_context(app):
        assert count(Addendum) == 0


def test_signed_it_covers_the_vendor(app, legal, vendor, create_agreement):
    create_agreement(vendor)
    generate_gap(legal, vendor, "en")
    addendum = the_addendum(app)
    with app_context(app):
        from vendortrack.register.models import Vendor

        row = db.session.get(Addendum, addendum.id)
        row.status = AddendumStatus.SIGNED
        db.session.commit()
        reasons = set(db.session.get(Vendor, vendor.id).compliance_reasons.split())
    assert not reasons & {"unsigned", "agreement_pending", "agreement_gap", "missing_clause"}
