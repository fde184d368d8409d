"""The compliance rules, one by one, judged by the database; the list's filter and column; the
panel on the vendor's page."""

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.helpers import app_context, loaded
from vendortrack.accounts.models import Role
from vendortrack.addenda.facts import Standing, vendor_facts
from vendortrack.addenda.models import Addendum, AddendumClause, AddendumStatus
from vendortrack.compliance.status import assessments, fact_expressions
from vendortrack.compliance.stored import bring_up_to_date
from vendortrack.extensions import db
from vendortrack.register.models import Vendor, VendorStatus
from vendortrack.reviews.models import Outcome, Review, ReviewCondition

TODAY = date(2026, 12, 1)
CANADA = Standing("CA")
SHARES = [{"category": "identity_contact", "locations": ["CA-ON"]}]


def codes(vendor) -> list[str]:
    found = assessments([vendor.id], TODAY).get(vendor.id)
    return sorted(rule.code for rule in found.rules) if found else None


def status(vendor) -> str:
    return assessments([vendor.id], TODAY)[vendor.id].status


@pytest.fixture
def signed(create_addendum, app):
    """signed(vendor, clauses=every clause its facts require) -> a signed addendum."""
    library = app.extensions["clause_library"]

    def make(vendor, clauses=None, omissions=None, version_of=None):
        with app_context(app):  # the facts read the sharings' places: a level below the vendor
            facts = vendor_facts(db.session.get(Vendor, vendor.id), CANADA)
        wanted = (
            clauses
            if clauses is not None
            else [c.id for c in library.ordered() if c.required and c.applies(facts)]
        )
        rows = [
            AddendumClause(
                clause_id=cid,
                version=(version_of or {}).get(cid, library.clauses[cid].version),
                position=n,
            )
            for n, cid in enumerate(wanted, start=1)
        ]
        return create_addendum(
            vendor,
            status=AddendumStatus.SIGNED,
            signed_on=TODAY,
            clauses=rows,
            omissions=omissions or {},
            facts={"facts": facts, "values": {}},  # built on the facts of today, as generating
        )

    return make


@pytest.fixture
def vendor(app, create_vendor, signed):
    """A compliant vendor: information documented, addendum signed, review a year away."""
    with app_context(app):
        made = create_vendor(sharings=SHARES)
        made.review_due_on = TODAY + timedelta(days=365)
        db.session.commit()
        signed(made)
        return loaded(made)


def test_a_vendor_under_control_is_compliant(app, vendor):
    with app.app_context():
        assert codes(vendor) == []
        assert status(vendor) == "compliant"


def test_information_shared_without_a_signed_addendum(app, create_vendor):
    unsigned = create_vendor(sharings=SHARES)
    with app.app_context():
        assert codes(unsigned) == ["unsigned"]
        assert status(unsigned) == "action"


def test_a_draft_is_not_a_signed_addendum(app, create_vendor, create_addendum):
    drafted = create_vendor(sharings=SHARES)
    create_addendum(drafted, status=AddendumStatus.DRAFT)
    with app.app_context():
        assert codes(drafted) == ["unsigned"]


def test_the_signed_addendum_lacks_a_clause_now_required(app, vendor, signed, create_vendor):
    short = create_vendor(sharings=SHARES)
    signed(short, clauses=["general", "protection"])
    with app.app_context():
        assert codes(short) == ["missing_clause"]


def test_a_clause_left_out_with_a_recorded_reason_is_not_missing(create_vendor, signed, app):
    library = app.extensions["clause_library"]
    with app.app_context():
        left_out = create_vendor(sharings=SHARES)
        facts = vendor_facts(left_out, CANADA)
        required = [c.id for c in library.ordered() if c.required and c.applies(facts)]
        signed(left_out, clauses=required[:-1], omissions={required[-1]: "Negotiated away"})
        assert codes(left_out) == []


def test_new_facts_make_a_clause_required_that_the_signed_addendum_lacks(app, vendor):
    # Health information about people in Québec, now also processed in the United States.
    with app.app_context():
        sharing = db.session.get(Vendor, vendor.id).sharings[0]
        sharing.subjects_in_quebec = True
        sharing.location_codes = ["CA-QC", "US"]
        db.session.commit()
        assert "missing_clause" in codes(vendor)


def test_the_signed_addendum_carries_an_outdated_clause(app, create_vendor, signed):
    old = create_vendor(sharings=SHARES)
    signed(old, version_of={"protection": 0})
    with app.app_context():
        assert codes(old) == ["outdated_clause"]


@pytest.mark.parametrize(
    ("due", "expected", "verdict"),
    [
        (TODAY - timedelta(days=1), ["review_overdue"], "overdue"),
        (TODAY, ["review_due_soon"], "action"),
        (TODAY + timedelta(days=30), ["review_due_soon"], "action"),
        (TODAY + timedelta(days=31), [], "compliant"),
    ],
)
def test_review_overdue_or_due_within_30_days(app, vendor, due, expected, verdict):
    with app.app_context():
        db.session.get(Vendor, vendor.id).review_due_on = due
        db.session.commit()
        assert (codes(vendor), status(vendor)) == (expected, verdict)


def test_open_conditions_past_due(app, vendor):
    with app.app_context():
        review = Review(
            vendor_id=vendor.id,
            completed_on=TODAY - timedelta(days=90),
            outcome=Outcome.APPROVED_WITH_CONDITIONS,
            checklist={},
            conditions=[
                ReviewCondition(text="Send the SOC 2 report", due_on=TODAY - timedelta(days=1)),
                ReviewCondition(text="Met already", due_on=TODAY - timedelta(days=5), met_on=TODAY),
            ],
        )
        db.session.add(review)
        db.session.commit()
        assert (codes(vendor), status(vendor)) == (["conditions_overdue"], "overdue")
        for condition in review.conditions:
            condition.met_on = TODAY
        db.session.commit()
        assert codes(vendor) == []


def test_a_contract_that_has_ended(app, vendor):
    with app.app_context():
        db.session.get(Vendor, vendor.id).contract_end = TODAY - timedelta(days=1)
        db.session.commit()
        assert (codes(vendor), status(vendor)) == (["contract_ended"], "overdue")


def test_a_notice_deadline_within_30_days(app, vendor):
    with app.app_context():
        db.session.get(Vendor, vendor.id).notice_deadline_on = TODAY + timedelta(days=30)
        db.session.commit()
        assert codes(vendor) == ["notice_soon"]
        db.session.get(Vendor, vendor.id).notice_deadline_on = TODAY + timedelta(days=31)
        db.session.commit()
        assert codes(vendor) == []


def test_an_active_vendor_with_nothing_documented(app, create_vendor):
    with app.app_context():
        empty = create_vendor(status=VendorStatus.ACTIVE)
        assert codes(empty) == ["sharing_undocumented"]
        prospect = create_vendor(status=VendorStatus.PROSPECT)
        assert codes(prospect) == []


def test_quebec_information_outside_quebec_without_an_assessment(app, create_vendor, signed):
    with app.app_context():
        abroad = create_vendor(
            sharings=[{"category": "health", "subjects_in_quebec": True, "locations": ["US"]}]
        )
        signed(abroad)
        assert codes(abroad) == ["quebec_no_pia"]
        abroad.pia_completed_on = TODAY - timedelta(days=10)
        db.session.commit()
        # The assessment recorded, the addendum must now say so: the one signed before could
        # not, and lacks the clause; a new one with it leaves nothing to do.
        assert codes(abroad) == ["missing_clause"]
        for old in db.session.scalars(select(Addendum).where(Addendum.vendor_id == abroad.id)):
            old.status = AddendumStatus.SUPERSEDED  # as signing a new one does
        db.session.commit()
        signed(abroad)
        assert codes(abroad) == []


def test_overdue_outweighs_action_needed(app, create_vendor):
    both = create_vendor(sharings=SHARES, review_due_on=TODAY - timedelta(days=3))
    with app.app_context():
        assert codes(both) == ["review_overdue", "unsigned"]
        assert status(both) == "overdue"


def test_a_terminated_vendor_is_not_assessed(app, create_vendor):
    ended = create_vendor(status=VendorStatus.TERMINATED, sharings=SHARES)
    with app.app_context():
        assert codes(ended) is None


@pytest.mark.parametrize(
    "where",
    [
        CANADA,
        Standing("CA", home_in_quebec=True, ccpa_business=True),
        Standing("CA", uncapped_liability=False),
    ],
)
def test_the_database_and_the_addenda_agree_on_every_vendors_facts(app, create_vendor, where):
    with app.app_context():
        rng = random.Random(7)
        places = ["CA", "CA-QC", "CA-ON", "US", "FR", "DE", "GB", "US-CA"]
        categories = ["identity_contact", "health", "financial", "business_contact"]
        vendors = []
        for n in range(40):
            rows = [
                {
                    "category": category,
                    "subjects_in_quebec": rng.random() < 0.5,
                    "subjects_in_eu": rng.random() < 0.3,
                    "subjects_in_california": rng.random() < 0.2,
                    "locations": rng.sample(places, rng.randint(1, 3)),
                }
                for category in rng.sample(categories, rng.randint(0, 2))
            ]
            assessed = {"pia_completed_on": TODAY} if rng.random() < 0.5 else {}
            if rng.random() < 0.3:
                assessed[rng.choice(["pia_measures", "pia_measures_fr"])] = "Encrypt at rest"
            vendors.append(create_vendor(name=f"Facts {n}", sharings=rows, **assessed))
        expressions = fact_expressions(where)
        query = select(Vendor.id, *(e.label(name) for name, e in expressions.items()))
        in_database = {
            row.id: {n: bool(getattr(row, n)) for n in expressions}
            for row in db.session.execute(query)
        }
        for made in vendors:
            assert in_database[made.id] == vendor_facts(made, where), made.name


def test_the_list_shows_and_filters_by_compliance(signed_in, vendor, create_vendor, monkeypatch):
    from vendortrack.vendors import views

    monkeypatch.setattr(views, "local_today", lambda: TODAY)
    unsigned = create_vendor(name="Zeta Unsigned", sharings=SHARES)
    manager = signed_in(Role.MANAGER)
    page = manager.get("/vendors/").text
    assert "Action needed" in page
    assert "Compliant" in page
    only = manager.get("/vendors/?compliance=action").text
    assert unsigned.name in only
    assert vendor.name not in only
    bogus = manager.get("/vendors/?compliance=perfect")
    assert bogus.status_code == 200
    assert "ignored: compliance" in bogus.text


def test_the_list_costs_the_same_queries_for_few_or_many_vendors(
    signed_in, create_vendor, count_queries
):
    manager = signed_in(Role.MANAGER)
    create_vendor(sharings=SHARES)
    few = count_queries(lambda: manager.get("/vendors/?compliance=action"))
    for n in range(30):
        create_vendor(name=f"Many {n}", sharings=SHARES)
    assert count_queries(lambda: manager.get("/vendors/?compliance=action")) == few


def test_the_vendor_page_shows_the_status_and_its_reasons(signed_in, create_vendor):
    unsigned = create_vendor(sharings=SHARES)
    page = signed_in(Role.OWNER).get(f"/vendors/{unsigned.id}").text
    assert 'id="compliance"' in page
    assert "Personal information is shared but no addendum is signed, and the vendor’s" in page


def test_the_list_filter_agrees_with_each_vendors_own_verdict(app, create_vendor, signed):
    """The stored statuses are judged many vendors to a query, with the clause rules nested
    inside "the signed addendum": each must still be about its own vendor, not any vendor."""
    with app.app_context():
        quebec_abroad = [{"category": "health", "subjects_in_quebec": True, "locations": ["US"]}]
        plain = create_vendor(name="Plain", sharings=SHARES)
        signed(plain)
        plain.review_due_on = TODAY + timedelta(days=365)
        risky = create_vendor(name="Risky", sharings=quebec_abroad, pia_completed_on=TODAY)
        signed(risky, clauses=["general", "protection"])
        risky.review_due_on = TODAY + timedelta(days=365)
        db.session.commit()
        verdicts = {v.id: status(v) for v in (plain, risky)}
        assert verdicts == {plain.id: "compliant", risky.id: "action"}
        bring_up_to_date(TODAY)
        for verdict in ("compliant", "action", "overdue"):
            stored = select(Vendor.id).where(Vendor.compliance_status == verdict)
            chosen = set(db.session.scalars(stored))
            assert chosen == {vid for vid, v in verdicts.items() if v == verdict}, verdict


def test_a_clause_signed_without_the_terms_a_regime_now_asks_for(app, create_vendor, signed):
    # Signed when its people were all in Ontario; now some are in Québec: the incident and
    # audit clauses lack the Québec Act's sentences, which the addendum did not print.
    vendor = create_vendor(sharings=[{"category": "identity_contact", "locations": ["CA-QC"]}])
    first = signed(vendor)
    with app.app_context():
        assert codes(vendor) == []
        db.session.get(Vendor, vendor.id).sharings[0].subjects_in_quebec = True
        db.session.commit()
        assert codes(vendor) == ["missing_terms"]
        # Built on today's facts, a new addendum prints them.
        db.session.get(Addendum, first.id).status = AddendumStatus.SUPERSEDED
        db.session.commit()
    signed(vendor)
    with app.app_context():
        assert codes(vendor) == []
