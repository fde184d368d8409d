"""The stored compliance status (vendortrack/compliance/stored.py): judged again by every change
that can move it, in the same transaction; judged again before a read once its day has passed;
always what the rules give when evaluated in full."""

import csv
import io
import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from tests.helpers import make_sharing
from vendortrack.accounts.models import Role
from vendortrack.addenda.facts import Standing, vendor_facts
from vendortrack.addenda.library import FACTS
from vendortrack.addenda.models import Addendum, AddendumClause, AddendumStatus
from vendortrack.compliance import stored
from vendortrack.compliance.models import ComplianceBasis
from vendortrack.compliance.rules import FOREVER, holds_until, status_of
from vendortrack.compliance.status import assess, standing
from vendortrack.compliance.watch import take_noted
from vendortrack.extensions import db
from vendortrack.i18n import local_today
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.organisation.services import home_country
from vendortrack.register.bulk import import_vendors
from vendortrack.register.bulkwrites import note_bulk_written
from vendortrack.register.csvcolumns import COLUMN_NAMES
from vendortrack.register.models import Vendor, VendorStatus
from vendortrack.reviews.checklist import CHECKLIST
from vendortrack.reviews.models import Outcome, Review, ReviewCondition
from vendortrack.reviews.services import new_vendor_schedule, save_policy
from vendortrack.scheduler import daily_run

START = date(2026, 12, 1)
CATEGORIES = ["identity_contact", "health", "financial", "online_identifiers"]
PLACES = ["CA", "CA-QC", "CA-ON", "US", "FR", "DE"]


@pytest.fixture
def day(monkeypatch):
    """The day the app takes as today when a commit judges; day.now = ... moves it."""

    class Clock:
        now = START

    clock = Clock()
    monkeypatch.setattr(stored, "local_today", lambda: clock.now)
    return clock


def evaluated(app, today: date) -> dict[int, tuple]:
    """{vendor id: (status, reasons)} as the rules give them in full, for every vendor."""
    ids = list(db.session.scalars(select(Vendor.id)))
    found = assess(ids, today, app.extensions["clause_library"], standing())
    return {
        vendor_id: (status_of(found[vendor_id]), " ".join(found[vendor_id]))
        if vendor_id in found
        else (None, "")
        for vendor_id in ids
    }


def rows() -> dict:
    """{vendor id: its stored compliance (status, reasons, judged_on, valid_until)}."""
    query = select(
        Vendor.id,
        Vendor.compliance_status.label("status"),
        Vendor.compliance_reasons.label("reasons"),
        Vendor.compliance_judged_on.label("judged_on"),
        Vendor.compliance_valid_until.label("valid_until"),
    )
    return {row.id: row for row in db.session.execute(query)}


def store(**values):
    """Write the stored compliance of every vendor directly, as a damaged or old row would be."""
    columns = {f"compliance_{name}": value for name, value in values.items()}
    db.session.execute(update(Vendor.__table__).values(**columns))


def holding(today: date) -> dict[int, tuple]:
    """The stored rows that claim to hold today, as (status, reasons)."""
    return {
        vendor_id: (row.status, row.reasons)
        for vendor_id, row in rows().items()
        if row.judged_on <= today <= row.valid_until
    }


# Each step changes the register as a page or a command would, through the ORM, and commits.


def add_vendor(rng, today):
    vendor = Vendor(
        name=f"Random {rng.random()}",
        country="CA",
        status=rng.choice([VendorStatus.ACTIVE, VendorStatus.PROSPECT]),
        review_due_on=today + timedelta(days=rng.randint(-20, 90)),
    )
    db.session.add(vendor)


def edit_vendor(rng, today, vendor):
    field = rng.choice(["status", "contract_end", "notice", "pia", "review"])
    if field == "status":
        vendor.status = rng.choice(list(VendorStatus))
    elif field == "contract_end":
        vendor.contract_end = rng.choice([None, today + timedelta(days=rng.randint(-5, 60))])
    elif field == "notice":
        vendor.notice_deadline_on = today + timedelta(days=rng.randint(-5, 60))
    elif field == "pia":
        vendor.pia_completed_on = rng.choice([None, today])
        vendor.pia_measures = rng.choice([None, "Encrypt at rest"])
    else:
        vendor.review_due_on = rng.choice([None, today + timedelta(days=rng.randint(-5, 90))])


def share(rng, today, vendor):
    free = [c for c in CATEGORIES if c not in {s.category for s in vendor.sharings}]
    if vendor.sharings and (rng.random() < 0.3 or not free):
        vendor.sharings.remove(rng.choice(vendor.sharings))
    elif vendor.sharings and rng.random() < 0.5:
        rng.choice(vendor.sharings).location_codes = rng.sample(PLACES, rng.randint(1, 3))
    else:
        vendor.sharings.append(
            make_sharing(
                category=rng.choice(free),
                subjects_in_quebec=rng.random() < 0.5,
                subjects_in_eu=rng.random() < 0.3,
                subjects_in_california=rng.random() < 0.3,
                locations=rng.sample(PLACES, rng.randint(1, 3)),
            )
        )


def sign(rng, today, vendor, library):
    clauses = rng.sample(library.ordered(), rng.randint(0, len(library.clauses)))
    addendum = Addendum(
        vendor_id=vendor.id,
        language="en",
        status=AddendumStatus.SIGNED,
        # Built on facts true or false at random: the additions it printed (missing_terms).
        facts={"facts": {name: rng.random() < 0.5 for name in FACTS}, "values": {}},
        effective_date=today,
        signed_on=today,
        filename="a.docx",
        sha256="0" * 64,
        document=b"PK",
        omissions={c.id: "negotiated" for c in library.ordered() if rng.random() < 0.1},
        clauses=[
            AddendumClause(clause_id=c.id, version=c.version - rng.randint(0, 1), position=n)
            for n, c in enumerate(clauses)
        ],
    )
    for old in db.session.scalars(select(Addendum).where(Addendum.vendor_id == vendor.id)):
        old.status = AddendumStatus.SUPERSEDED
    db.session.add(addendum)


def review(rng, today, vendor):
    conditions = db.session.scalars(
        select(ReviewCondition)
        .join(Review)
        .where(Review.vendor_id == vendor.id, ReviewCondition.met_on.is_(None))
    ).all()
    if conditions and rng.random() < 0.5:
        rng.choice(conditions).met_on = today
        return
    db.session.add(
        Review(
            vendor_id=vendor.id,
            completed_on=today,
            outcome=Outcome.APPROVED_WITH_CONDITIONS,
            checklist=dict.fromkeys(CHECKLIST, "yes"),
            conditions=[
                ReviewCondition(text="Do it", due_on=today + timedelta(days=rng.randint(0, 40)))
                for _ in range(rng.randint(1, 2))
            ],
        )
    )


def move_home(rng, today):
    settings = db.session.get(OrganisationSettings, 1) or OrganisationSettings(id=1)
    settings.home_jurisdiction = rng.choice(["CA", "CA-QC", "US", "FR"])
    settings.ccpa_business = rng.random() < 0.5  # the CCPA clauses follow it
    db.session.add(settings)


def change_policy(rng, today):
    # Moves the due dates of every vendor whose interval changed, with plain UPDATEs.
    save_policy({rng.choice(["low", "medium", "high", "critical"]): rng.choice([1, 3, 12, 24])})


def import_file(rng, today):
    # New vendors go in as rows past the session (register.newvendors), as the import page
    # writes them.
    columns = [name for name in COLUMN_NAMES if name != "risk_tier"]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, restval="")
    writer.writeheader()
    for _ in range(rng.randint(1, 3)):
        cells = {
            "vendor_name": f"Imported {rng.random()}",
            "country": "CA",
            "status": rng.choice(["active", "prospect"]),
            "category": rng.choice(CATEGORIES),
            "data_subjects": "customers",
            "purpose": "Pay",
            "locations": ";".join(rng.sample(PLACES, rng.randint(1, 2))),
            "consent_basis": "express",
            "retention_months": "12",
            "subjects_in_quebec": rng.choice(["yes", "no"]),
        }
        writer.writerow(cells)
    # Dated as they are inserted, as the page does, or left undated: either way, the import
    # alone must name its vendors to be judged.
    schedule = new_vendor_schedule() if rng.random() < 0.5 else None
    import_vendors(out.getvalue().encode(), home_country(), schedule)


KINDS = [
    *["vendor", "edit", "share", "share", "sign", "review", "days", "days"],
    *["home", "policy", "import"],
]


def step(rng, day, library):
    vendors = list(db.session.scalars(select(Vendor).order_by(Vendor.id)))
    kind = rng.choice(KINDS)
    if kind == "vendor" or not vendors:
        add_vendor(rng, day.now)
    elif kind == "home":
        move_home(rng, day.now)
    elif kind == "policy":
        change_policy(rng, day.now)
    elif kind == "import":
        import_file(rng, day.now)
    elif kind == "days":
        day.now += timedelta(days=rng.choice([1, 1, 2, 7, 29, 31]))
        return "days"
    elif kind == "edit":
        edit_vendor(rng, day.now, rng.choice(vendors))
    elif kind == "share":
        share(rng, day.now, rng.choice(vendors))
    elif kind == "sign":
        sign(rng, day.now, rng.choice(vendors), library)
    elif kind == "review":
        review(rng, day.now, rng.choice(vendors))
    db.session.commit()
    return kind


@pytest.mark.parametrize("seed", range(6))
def test_the_stored_status_is_the_rules_after_any_history(app, day, seed):
    """Random changes and days passing: every stored row that claims to hold today says what
    the full evaluation says, and after a read's refresh every row does."""
    rng = random.Random(seed)
    with app.app_context():
        library = app.extensions["clause_library"]
        for _ in range(4):
            add_vendor(rng, day.now)
        db.session.commit()
        for number in range(45):
            kind = step(rng, day, library)
            truth = evaluated(app, day.now)
            claims = holding(day.now)
            for vendor_id, said in claims.items():
                assert said == truth[vendor_id], (seed, number, kind, vendor_id)
            if kind != "days":
                assert set(claims) == set(truth), "a change left a vendor unjudged"
            stored.bring_up_to_date(day.now)
            db.session.commit()
            assert {v: (r.status, r.reasons) for v, r in rows().items()} == truth


def test_a_change_of_home_country_judges_every_vendor(app, day, create_vendor, create_addendum):
    # Signed with the clauses a vendor in its own country needs: from Canada, it lacks the
    # cross-border clause; once the United States is home, it lacks nothing.
    abroad = [{"category": "identity_contact", "locations": ["US"]}]
    made = [create_vendor(sharings=abroad) for _ in range(3)]
    library = app.extensions["clause_library"]
    with app.app_context():
        facts = vendor_facts(db.session.get(Vendor, made[0].id), Standing("US"))
    for vendor in made:
        create_addendum(
            vendor,
            status=AddendumStatus.SIGNED,
            facts={"facts": facts, "values": {}},
            clauses=[
                AddendumClause(clause_id=c.id, version=c.version, position=n)
                for n, c in enumerate(library.ordered())
                if c.required and c.applies(facts)
            ],
        )
    with app.app_context():
        before = {v.id: rows()[v.id].reasons for v in made}
        db.session.add(OrganisationSettings(id=1, home_jurisdiction="US"))
        db.session.commit()
        after = {v.id: rows()[v.id].reasons for v in made}
        assert after == {v: reasons for v, (_, reasons) in evaluated(app, day.now).items()}
        assert db.session.get(ComplianceBasis, 1).fingerprint == stored.basis_fingerprint()
    assert set(before.values()) == {"missing_clause"}
    assert set(after.values()) == {""}


def test_a_read_judges_again_the_rows_whose_day_has_passed(app, day, create_vendor):
    vendor = create_vendor(
        sharings=[{"category": "identity_contact"}], review_due_on=START + timedelta(days=40)
    )
    with app.app_context():
        row = rows()[vendor.id]
        assert row.reasons == "unsigned"
        assert row.valid_until == START + timedelta(days=9)  # the review comes within 30 days
        stored.bring_up_to_date(START)  # the first read records what the rows were judged on
        assert stored.bring_up_to_date(START + timedelta(days=9)) == 0
        assert stored.bring_up_to_date(START + timedelta(days=10)) == 1
        assert rows()[vendor.id].reasons == "unsigned review_due_soon"


def test_a_read_for_an_earlier_day_judges_for_that_day(app, day, create_vendor):
    vendor = create_vendor(review_due_on=START + timedelta(days=10))
    with app.app_context():
        assert "review_due_soon" in rows()[vendor.id].reasons
        stored.bring_up_to_date(START - timedelta(days=30))
        assert "review_due_soon" not in rows()[vendor.id].reasons


def test_a_changed_clause_library_judges_every_vendor_on_the_next_read(app, day, create_vendor):
    vendor = create_vendor()
    with app.app_context():
        stored.bring_up_to_date(day.now)
        db.session.commit()
        db.session.execute(update(ComplianceBasis).values(fingerprint="another library"))
        store(reasons="stale")
        db.session.commit()
        assert stored.bring_up_to_date(day.now) == 1
        assert rows()[vendor.id].reasons == "sharing_undocumented"


def test_a_terminated_vendor_is_not_assessed_and_holds_for_ever(app, day, create_vendor):
    vendor = create_vendor(status=VendorStatus.TERMINATED)
    with app.app_context():
        row = rows()[vendor.id]
        assert (row.status, row.reasons, row.valid_until) == (None, "", FOREVER)


def test_a_rolled_back_change_is_not_judged(app, day, create_vendor):
    vendor = create_vendor()
    with app.app_context():
        db.session.get(Vendor, vendor.id).status = VendorStatus.TERMINATED
        db.session.flush()
        db.session.rollback()
        db.session.commit()
        assert rows()[vendor.id].status == "action"


def test_a_rolled_back_write_past_the_session_is_not_judged(app, day, create_vendor):
    vendor = create_vendor()
    with app.app_context():
        db.session.get(Vendor, vendor.id)  # a write past the session is in a transaction
        note_bulk_written(db.session, [vendor.id])
        db.session.rollback()
        assert not take_noted(db.session)


def test_the_refresh_command_judges_every_vendor(app, runner, create_vendor):
    made = [create_vendor() for _ in range(3)]
    with app.app_context():
        store(status="overdue", reasons="wrong")
        db.session.commit()
    result = runner.invoke(args=["compliance", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Compliance status stored for 3 vendors." in result.output
    with app.app_context():
        assert {rows()[v.id].reasons for v in made} == {"sharing_undocumented"}


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ((None, None, None, None), FOREVER),
        # The review comes within 30 days on the 31st day before it, is overdue the day after.
        ((date(2027, 3, 1), None, None, None), date(2027, 1, 29)),
        ((date(2026, 12, 20), None, None, None), date(2026, 12, 20)),
        ((date(2026, 11, 1), None, None, None), FOREVER),
        # The nearest of every date counts; a contract's end turns the day after it.
        ((date(2027, 6, 1), date(2027, 1, 15), date(2026, 12, 5), None), date(2026, 12, 5)),
        ((None, None, None, date(2026, 12, 1)), date(2026, 12, 1)),
        ((None, None, None, date(9999, 12, 31)), date(9999, 12, 30)),
    ],
)
def test_how_long_reasons_hold(dates, expected):
    assert holds_until(START, *dates) == expected


def test_the_daily_run_judges_again_the_rows_whose_day_has_passed(app, create_vendor, smtp):
    vendor = create_vendor()
    with app.app_context():
        store(reasons="", valid_until=date(2020, 1, 1))
        db.session.commit()
    daily_run(app)
    with app.app_context():
        row = rows()[vendor.id]
        assert row.reasons == "sharing_undocumented"
        assert row.judged_on == local_today()


def test_a_vendor_deleted_is_judged_no_more(app, day, create_vendor):
    vendor = create_vendor(sharings=[{"category": "identity_contact"}])
    with app.app_context():
        db.session.delete(db.session.get(Vendor, vendor.id))
        db.session.commit()
        assert vendor.id not in rows()


def test_a_row_moved_to_another_vendor_judges_both(app, day, create_vendor):
    giver = create_vendor(sharings=[{"category": "identity_contact"}])
    taker = create_vendor()
    with app.app_context():
        assert (rows()[giver.id].reasons, rows()[taker.id].reasons) == (
            "unsigned",
            "sharing_undocumented",
        )
        sharing = db.session.get(Vendor, giver.id).sharings[0]
        sharing.vendor_id = taker.id
        db.session.commit()
        assert (rows()[giver.id].reasons, rows()[taker.id].reasons) == (
            "sharing_undocumented",
            "unsigned",
        )


def test_new_rules_judge_every_vendor_on_the_next_read(app, day, create_vendor, monkeypatch):
    create_vendor()
    with app.app_context():
        stored.bring_up_to_date(day.now)
        db.session.commit()
        assert stored.bring_up_to_date(day.now) == 0
        monkeypatch.setattr(stored, "RULES_VERSION", stored.RULES_VERSION + 1)
        assert stored.bring_up_to_date(day.now) == 1


def test_a_page_saves_what_it_brought_up_to_date(app, create_vendor, signed_in):
    vendor = create_vendor()
    with app.app_context():
        store(reasons="stale", valid_until=date(2020, 1, 1))
        db.session.commit()
    assert signed_in(Role.MANAGER).get("/vendors/").status_code == 200
    with app.app_context():
        assert rows()[vendor.id].reasons == "sharing_undocumented"
        assert rows()[vendor.id].judged_on == local_today()
