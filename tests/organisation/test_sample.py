"""Which of the sample organisation's invented values a set of settings still holds."""

from vendortrack.organisation.sample import IDENTIFYING_FIELDS, SAMPLE_SETTINGS, sample_values_left
from vendortrack.organisation.services import SETTINGS_FIELDS


def test_the_sample_fills_every_setting_and_names_who_it_is():
    assert list(SAMPLE_SETTINGS) == list(SETTINGS_FIELDS)
    assert sample_values_left(SAMPLE_SETTINGS) == list(IDENTIFYING_FIELDS)


def test_only_the_fields_still_holding_an_invented_value_are_named():
    values = SAMPLE_SETTINGS | {"legal_name": "Centres Boréal", "signatory_title": ""}
    assert sample_values_left(values) == [
        "address",
        "privacy_officer_name",
        "privacy_officer_title",
        "privacy_officer_email",
        "signatory_name",
        "eu_representative",
    ]


def test_ordinary_values_the_sample_shares_with_everyone_do_not_count():
    own = {name: f"own {name}" for name in IDENTIFYING_FIELDS}
    shared = {name: SAMPLE_SETTINGS[name] for name in SETTINGS_FIELDS if name not in own}
    assert set(shared) == {
        "home_jurisdiction",
        "breach_notice_hours",
        "access_forwarding_days",
        "ccpa_business",
        "uncapped_liability",
        "governing_law",
        "forum",
        "sub_processor_notice_days",
        "acts_as_processor",
        "eu_member_state",
        "swiss_transfers",
        "uk_transfers",
    }
    assert sample_values_left(own | shared) == []
    assert sample_values_left({}) == []
