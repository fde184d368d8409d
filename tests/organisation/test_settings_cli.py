"""`flask --app vendortrack settings show | set`: the settings of an installation without a
browser, checked as the Settings page checks them and recorded as made on the command line."""

import pytest
from sqlalchemy import select

from tests.helpers import fetched
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.organisation.sample import IDENTIFYING_FIELDS, SAMPLE_SETTINGS
from vendortrack.organisation.services import SETTINGS_FIELDS
from vendortrack.register.models import Level, Vendor
from vendortrack.trail.models import AuditEntry


def settings_entries(app, **where) -> list[AuditEntry]:
    """The trail's entries about the settings (the `settings` fixture's row is one, created)."""
    query = select(AuditEntry).filter_by(entity="settings", **where).order_by(AuditEntry.id)
    with app.app_context():
        return list(db.session.scalars(query))


def ids(entries: list[AuditEntry]) -> list[int]:
    return [entry.id for entry in entries]


def show(runner) -> dict[str, str]:
    """`settings show` as {name: value}, with the lines under a value left out."""
    result = runner.invoke(args=["settings", "show"])
    assert result.exit_code == 0, result.output
    rows = {}
    for line in result.output.splitlines():
        name, _space, value = line.partition("  ")
        if name and not name.startswith(("These", "Nothing", "Still")):
            rows[name] = value.strip()
    return rows


def test_show_on_a_new_installation_says_nothing_is_saved(app, runner):
    result = runner.invoke(args=["settings", "show"])
    assert result.exit_code == 0, result.output
    assert "Nothing is saved yet: these are the defaults." in result.output
    rows = show(runner)
    assert list(rows) == [*SETTINGS_FIELDS, "letterhead", "sample data"]
    assert rows["home_jurisdiction"] == "CA"
    assert rows["breach_notice_hours"] == "24"
    assert rows["legal_name"] == ""
    assert (rows["letterhead"], rows["sample data"]) == ("(none)", "no")
    assert fetched(app, OrganisationSettings) is None


def test_show_prints_every_value_and_only_the_letterheads_name(app, runner, settings):
    with app.app_context():
        row = db.session.get(OrganisationSettings, settings.id)
        row.letterhead, row.letterhead_filename = b"PK secret bytes", "boreal.docx"
        row.address = "1 rue du Parc\nMontréal (Québec)"
        db.session.commit()

    result = runner.invoke(args=["settings", "show"])

    assert result.exit_code == 0, result.output
    rows = show(runner)
    assert rows["legal_name"] == "Centres Sportifs Boréal inc."
    assert rows["privacy_officer_email"] == "vie.privee@boreal.example"
    assert rows["home_jurisdiction"] == "CA-QC"
    assert rows["address"] == "1 rue du Parc"
    assert "\n" + " " * (len("sub_processor_notice_days") + 2) + "Montréal (Québec)\n" in (
        result.output
    )
    assert (rows["letterhead"], rows["sample data"]) == ("boreal.docx", "no")
    assert "secret" not in result.output
    assert "Nothing is saved yet" not in result.output


def test_set_saves_one_field_and_the_trail_records_the_command(app, runner, settings):
    result = runner.invoke(args=["settings", "set", "legal_name", "  Centres Boréal SENC  "])

    assert result.exit_code == 0, result.output
    assert "legal_name: 'Centres Sportifs Boréal inc.' -> 'Centres Boréal SENC'" in result.output
    row = fetched(app, OrganisationSettings)
    assert row.legal_name == "Centres Boréal SENC"  # trimmed, as the page does
    assert (row.privacy_officer_name, row.home_jurisdiction) == ("Amélie Roy", "CA-QC")
    (entry,) = settings_entries(app, action="update")
    assert (entry.user_id, entry.user_email, entry.ip_address) == (None, None, None)
    assert entry.changes == {"legal_name": ["Centres Sportifs Boréal inc.", "Centres Boréal SENC"]}


def test_set_on_a_new_installation_creates_the_settings_one_field_at_a_time(app, runner):
    # Headless set-up: the other required fields are still empty, which must not block this one.
    first = runner.invoke(args=["settings", "set", "privacy_officer_email", "dpo@example.org"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["settings", "set", "breach_notice_hours", "48"])
    assert second.exit_code == 0, second.output
    row = fetched(app, OrganisationSettings)
    assert (row.privacy_officer_email, row.breach_notice_hours) == ("dpo@example.org", 48)
    assert (row.legal_name, row.home_jurisdiction) == ("", "CA")
    assert [e.action for e in settings_entries(app)] == ["create", "update"]
    assert row.updated_by_id is None


def test_set_home_jurisdiction_is_read_as_the_page_reads_it_and_moves_the_tiers(
    app, runner, settings, create_vendor
):
    vendor = create_vendor(
        criticality=Level.LOW, sharings=[{"category": "business_contact", "locations": ["US"]}]
    )
    assert vendor.risk_tier == Level.MEDIUM  # cross-border from Canada

    result = runner.invoke(args=["settings", "set", "home_jurisdiction", " us-ca "])

    assert result.exit_code == 0, result.output
    assert fetched(app, OrganisationSettings).home_jurisdiction == "US-CA"
    assert "1 risk tier was updated" in result.output
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).risk_tier == Level.LOW


def test_set_the_same_value_again_says_so(app, runner, settings):
    result = runner.invoke(args=["settings", "set", "breach_notice_hours", "24"])
    assert result.exit_code == 0, result.output
    assert "breach_notice_hours was already 24." in result.output
    assert settings_entries(app, action="update") == []


def test_an_unknown_field_is_named_with_the_fields_there_are(app, runner, settings):
    trail = ids(settings_entries(app))
    for field in ("legal-name", "letterhead", "id", "is_sample"):
        result = runner.invoke(args=["settings", "set", field, "x"])
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"unknown field {field!r}" in result.output
        assert ", ".join(SETTINGS_FIELDS) in result.output
    assert ids(settings_entries(app)) == trail


HOURS = "Enter a whole number of hours from 1 to 720."
DAYS = "Enter a whole number of days from 1 to 20."
INVALID = [
    ("privacy_officer_email", "vie.privee.example", "Enter a valid email address."),
    ("privacy_officer_email", "", "This field is required."),
    ("home_jurisdiction", "QC", "Unknown ISO 3166 code; use one such as CA-QC or FR."),
    ("home_jurisdiction", "CA-QCX1", "Field cannot be longer than 6 characters."),
    ("breach_notice_hours", "721", HOURS),
    ("breach_notice_hours", "0", HOURS),
    ("breach_notice_hours", "twenty", HOURS),
    ("breach_notice_hours", "", HOURS),
    ("access_forwarding_days", "25", DAYS),
    ("access_forwarding_days", "0", DAYS),
    ("access_forwarding_days", "2.5", DAYS),
    ("legal_name", "x" * 201, "Write at most 200 characters."),
    ("signatory_title", "y" * 121, "Write at most 120 characters."),
    ("legal_name", "Boréal\x00 inc.", "invisible character (NUL)"),
]


@pytest.mark.parametrize(("field", "value", "message"), INVALID)
def test_an_invalid_value_is_refused_naming_the_field_and_changes_nothing(
    app, runner, settings, field, value, message
):
    before = {name: getattr(settings, name) for name in SETTINGS_FIELDS}
    trail = ids(settings_entries(app))

    result = runner.invoke(args=["settings", "set", field, value])

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"Invalid value for {field}: " in result.output
    assert message in result.output
    row = fetched(app, OrganisationSettings)
    assert {name: getattr(row, name) for name in SETTINGS_FIELDS} == before
    assert ids(settings_entries(app)) == trail


@pytest.mark.parametrize(("field", "value", "message"), INVALID[:3])
def test_an_invalid_value_on_a_new_installation_saves_no_row(app, runner, field, value, message):
    result = runner.invoke(args=["settings", "set", field, value])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert fetched(app, OrganisationSettings) is None
    assert settings_entries(app) == []


def test_setting_one_field_keeps_the_sample_mark_and_names_what_is_left(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    result = runner.invoke(args=["settings", "show"])
    assert "sample register's settings" in result.output
    assert f"Still the sample organisation's: {', '.join(IDENTIFYING_FIELDS)}." in result.output
    assert show(runner)["sample data"] == "yes"

    result = runner.invoke(args=["settings", "set", "signatory_name", "Louis Tremblay"])

    assert result.exit_code == 0, result.output
    left = "legal_name, address, privacy_officer_name, privacy_officer_title, " + (
        "privacy_officer_email, signatory_title, eu_representative"
    )
    assert f"Still the sample organisation's: {left}." in result.output
    assert "no longer marked" not in result.output
    assert fetched(app, OrganisationSettings).is_sample is True
    assert (
        f"Still the sample organisation's: {left}."
        in runner.invoke(args=["settings", "show"]).output
    )
    assert show(runner)["sample data"] == "yes"


def test_the_sample_mark_goes_with_the_last_invented_value(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    own = {
        "legal_name": "Centres Sportifs Boréal inc.",
        "address": "1 rue du Parc, Montréal",
        "privacy_officer_name": "Amélie Roy",
        "privacy_officer_title": "",  # cleared: no invented title left either
        "privacy_officer_email": "vie.privee@boreal.example",
        "signatory_name": "Louis Tremblay",
        "eu_representative": "Boréal Europe Ltd., Dublin",
    }
    for field, value in own.items():
        result = runner.invoke(args=["settings", "set", field, value])
        assert result.exit_code == 0, result.output
        assert fetched(app, OrganisationSettings).is_sample is True, field

    result = runner.invoke(args=["settings", "set", "signatory_title", "Président"])

    assert result.exit_code == 0, result.output
    assert "The settings are no longer marked as sample data." in result.output
    assert "Still the sample organisation's" not in result.output
    row = fetched(app, OrganisationSettings)
    assert (row.is_sample, row.home_jurisdiction, row.breach_notice_hours) == (False, "CA-QC", 24)
    result = runner.invoke(args=["settings", "show"])
    assert "sample" not in result.output.replace("sample data", "")
    assert show(runner)["sample data"] == "no"


def test_an_administrators_settings_never_become_sample_data(app, runner, settings):
    result = runner.invoke(args=["settings", "set", "legal_name", SAMPLE_SETTINGS["legal_name"]])
    assert result.exit_code == 0, result.output
    assert "sample" not in result.output
    assert fetched(app, OrganisationSettings).is_sample is False


def test_setting_one_box_keeps_the_others(app, runner, settings):
    for field, value in (("ccpa_business", "yes"), ("uncapped_liability", "no")):
        result = runner.invoke(args=["settings", "set", field, value])
        assert result.exit_code == 0, result.output
    with app.app_context():
        row = db.session.get(OrganisationSettings, 1)
        assert (row.ccpa_business, row.uncapped_liability) == (True, False)
    runner.invoke(args=["settings", "set", "forum", "Québec"])
    runner.invoke(args=["settings", "set", "governing_law", "ca-on"])
    for word, answer in (("False", False), ("NON", False), ("Oui", True)):
        assert runner.invoke(args=["settings", "set", "ccpa_business", word]).exit_code == 0
        with app.app_context():
            assert db.session.get(OrganisationSettings, 1).ccpa_business is answer
    refused = runner.invoke(args=["settings", "set", "ccpa_business", "nope"])
    assert refused.exit_code == 2
    assert "Write yes or no." in refused.output
    with app.app_context():
        row = db.session.get(OrganisationSettings, 1)
        assert (row.uncapped_liability, row.forum, row.governing_law) == (False, "Québec", "CA-ON")
