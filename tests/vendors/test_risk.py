"""The risk tier rule (vendortrack/register/risk.py and the README), step by step."""

import pytest

from vendortrack.register.models import Level
from vendortrack.register.risk import LARGE_VOLUME, Reason, SharingFacts, assess_risk

HOME = "CA"


def sharing(category="business_contact", records=None, locations=("CA",)):
    return SharingFacts(category, records, tuple(locations))


def tier(criticality, *sharings, home=HOME):
    return assess_risk(criticality, sharings, home).tier


def reasons(criticality, *sharings, home=HOME):
    return {r.code: r.params for r in assess_risk(criticality, sharings, home).reasons}


@pytest.mark.parametrize("criticality", list(Level))
def test_without_sharing_the_tier_is_the_criticality(criticality):
    assessment = assess_risk(criticality, [], HOME)
    assert assessment.tier == criticality
    assert assessment.reasons == (
        Reason("criticality", {"level": criticality}),
        Reason("no_sharing"),
    )


@pytest.mark.parametrize(
    ("criticality", "category", "expected"),
    [
        (Level.LOW, "business_contact", Level.LOW),  # sensitivity 1
        (Level.LOW, "identity_contact", Level.MEDIUM),  # sensitivity 2
        (Level.LOW, "financial", Level.HIGH),  # sensitivity 3
        (Level.LOW, "health", Level.CRITICAL),  # sensitivity 4
        (Level.HIGH, "business_contact", Level.HIGH),  # criticality is a floor
        (Level.MEDIUM, "financial", Level.HIGH),  # the higher of the two
        (Level.CRITICAL, "identity_contact", Level.CRITICAL),
    ],
)
def test_start_from_the_higher_of_criticality_and_sensitivity(criticality, category, expected):
    assert tier(criticality, sharing(category)) == expected


def test_the_most_sensitive_category_counts():
    shared = [sharing("business_contact"), sharing("financial"), sharing("identity_contact")]
    assert tier(Level.LOW, *shared) == Level.HIGH
    assert reasons(Level.LOW, *shared)["sensitivity"] == {
        "category": "financial",
        "level": Level.HIGH,
    }


def test_a_category_missing_from_the_catalogue_counts_as_low():
    assert tier(Level.LOW, sharing("no_such_category")) == Level.LOW


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        (None, Level.MEDIUM),
        (1, Level.MEDIUM),
        (99_999, Level.MEDIUM),
        (100_000, Level.HIGH),
        (5_000_000, Level.HIGH),
    ],
)
def test_volume_of_100000_records_or_more_raises_one_tier(records, expected):
    assert LARGE_VOLUME == 100_000
    assert tier(Level.LOW, sharing("identity_contact", records=records)) == expected


def test_volume_raises_once_whichever_category_is_large():
    shared = [
        sharing("identity_contact", records=200_000),
        sharing("business_contact", records=300_000),
    ]
    assert tier(Level.LOW, *shared) == Level.HIGH
    assert reasons(Level.LOW, *shared)["volume"] == {"records": 300_000, "threshold": 100_000}


@pytest.mark.parametrize(
    ("locations", "expected"),
    [
        ((), Level.MEDIUM),
        (("CA",), Level.MEDIUM),
        (("CA-QC", "CA-ON"), Level.MEDIUM),  # a province is at home
        (("US",), Level.HIGH),
        (("CA", "US-CA"), Level.HIGH),  # a state of another country is abroad
        (("DE", "FR", "US"), Level.HIGH),  # once, however many places
    ],
)
def test_processing_outside_the_home_country_raises_one_tier(locations, expected):
    assert tier(Level.LOW, sharing("identity_contact", locations=locations)) == expected


def test_cross_border_reason_lists_each_place_abroad_once():
    shared = [
        sharing("identity_contact", locations=("US", "CA-QC")),
        sharing("business_contact", locations=("DE", "US")),
    ]
    assert reasons(Level.LOW, *shared)["cross_border"] == {"locations": ["DE", "US"]}


def test_home_country_is_a_parameter():
    assert tier(Level.LOW, sharing("identity_contact", locations=("CA",)), home="FR") == Level.HIGH
    assert (
        tier(Level.LOW, sharing("identity_contact", locations=("FR",)), home="FR") == Level.MEDIUM
    )


def test_volume_and_cross_border_add_up():
    large_abroad = sharing("business_contact", records=100_000, locations=("US",))
    assert tier(Level.LOW, large_abroad) == Level.HIGH
    assert set(reasons(Level.LOW, large_abroad)) == {
        "criticality",
        "sensitivity",
        "volume",
        "cross_border",
    }


@pytest.mark.parametrize(
    ("criticality", "category"),
    [(Level.CRITICAL, "business_contact"), (Level.LOW, "health"), (Level.HIGH, "financial")],
)
def test_stops_at_critical(criticality, category):
    shared = sharing(category, records=1_000_000, locations=("US",))
    assert tier(criticality, shared) == Level.CRITICAL


def test_sharing_facts_may_be_any_iterable():
    assert assess_risk(Level.LOW, iter([sharing("health")]), HOME).tier == Level.CRITICAL
