"""The sample register brings a sample organisation: right after `flask demo`, addenda can be
generated without touching the settings, and an administrator's own settings are never replaced."""

import io
from datetime import date

import docx
import pytest
from sqlalchemy import select

from tests.helpers import count
from tests.organisation.test_settings import FORM
from vendortrack.accounts.models import Role
from vendortrack.addenda.models import Addendum
from vendortrack.demo.loader import load_demo
from vendortrack.extensions import db
from vendortrack.organisation.forms import form_changing
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.organisation.sample import SAMPLE_SETTINGS
from vendortrack.organisation.services import (
    SETTINGS_FIELDS,
    SampleFill,
    fresh_settings,
    home_country,
)
from vendortrack.register.models import Level, Vendor
from vendortrack.trail.models import AuditEntry

TODAY = date(2031, 3, 14)
NOTICE = "These are sample values, an invented organisation loaded with the sample data."
NOTICE_FR = "Ce sont des valeurs d’exemple, celles d’une organisation fictive"
SETTINGS_FILLED = "The organisation settings now hold the sample organisation"
SETTINGS_FILLED_FR = "Les paramètres de l’organisation contiennent maintenant les coordonnées"


def saved() -> OrganisationSettings | None:
    db.session.expire_all()
    return db.session.scalar(select(OrganisationSettings))


def values_of(row: OrganisationSettings) -> dict:
    return {name: getattr(row, name) for name in SETTINGS_FIELDS}


def document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_sample_organisation_passes_every_check_of_the_settings_page(app):
    assert set(SAMPLE_SETTINGS) == set(SETTINGS_FIELDS)
    fresh = fresh_settings(app.config["HOME_COUNTRY"])
    with app.app_context():  # a Flask-WTF form reads the app's configuration
        for name, value in SAMPLE_SETTINGS.items():
            form = form_changing(fresh, name, str(value))
            form.validate()
            assert form.errors.get(name) is None, name
            assert form.values()[name] == value, name  # already as the page would save it


def test_demo_fills_empty_settings_marked_as_sample_then_changes_nothing(app, runner):
    first = runner.invoke(args=["demo"])

    assert first.exit_code == 0, first.output
    assert "Filled the organisation settings with the sample organisation" in first.output
    with app.app_context():
        row = saved()
        assert values_of(row) == SAMPLE_SETTINGS
        assert row.is_sample is True
        trail = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "settings")).all()
        assert [(e.action, e.user_id) for e in trail] == [("create", None)]

    second = runner.invoke(args=["demo"])

    assert second.exit_code == 0, second.output
    assert "already hold the sample organisation's" in second.output
    with app.app_context():
        assert values_of(saved()) == SAMPLE_SETTINGS
        assert count(AuditEntry, AuditEntry.entity == "settings") == len(trail)


def test_demo_keeps_the_settings_an_administrator_entered(app, runner, settings):
    before = values_of(settings)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Kept the organisation settings an administrator entered" in result.output
    with app.app_context():
        row = saved()
        assert values_of(row) == before
        assert row.is_sample is False


@pytest.mark.parametrize(
    "entered",
    [
        {"address": "1 rue du Parc"},
        {"breach_notice_hours": 48},
        {"home_jurisdiction": "CA-ON"},
        {"letterhead_filename": "boreal.docx", "letterhead": b"PK"},
    ],
    ids=["one text field", "one number", "the home only", "a letterhead only"],
)
def test_demo_never_completes_settings_someone_began(app, entered):
    with app.app_context():
        row = fresh_settings(app.config["HOME_COUNTRY"])
        for name, value in entered.items():
            setattr(row, name, value)
        db.session.add(row)
        db.session.commit()
        before = values_of(row)

        summary = load_demo(app.config["HOME_COUNTRY"], TODAY)
        db.session.commit()

        assert summary.settings == SampleFill.KEPT
        row = saved()
        assert values_of(row) == before
        assert (row.legal_name, row.is_sample) == ("", False)


def test_a_row_holding_only_the_defaults_counts_as_empty(app):
    with app.app_context():
        db.session.add(fresh_settings(app.config["HOME_COUNTRY"]))
        db.session.commit()
        summary = load_demo(app.config["HOME_COUNTRY"], TODAY)
        db.session.commit()
        assert summary.settings == SampleFill.FILLED
        assert values_of(saved()) == SAMPLE_SETTINGS


def test_a_row_an_administrator_saved_counts_as_entered_even_holding_the_defaults(app, create_user):
    admin = create_user(Role.ADMIN)
    with app.app_context():
        row = fresh_settings(app.config["HOME_COUNTRY"])
        row.updated_by_id = admin.id
        db.session.add(row)
        db.session.commit()

        summary = load_demo(app.config["HOME_COUNTRY"], TODAY)
        db.session.commit()

        assert summary.settings == SampleFill.KEPT
        row = saved()
        assert (row.legal_name, row.is_sample, row.updated_by_id) == ("", False, admin.id)


def test_the_demo_never_moves_the_configured_home_country(app, runner, create_vendor):
    app.config["HOME_COUNTRY"] = "FR"  # VENDORTRACK_HOME_COUNTRY=FR, no settings saved
    mine = create_vendor(
        criticality=Level.LOW, sharings=[{"category": "business_contact", "locations": ["FR"]}]
    )
    assert mine.risk_tier == Level.LOW  # processed at home

    result = runner.invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    with app.app_context():
        row = saved()
        assert (row.home_jurisdiction, row.is_sample) == ("FR", True)
        assert values_of(row) == SAMPLE_SETTINGS | {"home_jurisdiction": "FR"}
        assert home_country() == "FR"
        assert db.session.get(Vendor, mine.id).risk_tier == Level.LOW  # not "abroad" from Québec


def test_the_samples_own_jurisdiction_is_kept_within_the_configured_country(app):
    app.config["HOME_COUNTRY"] = "CA-ON"
    with app.app_context():
        load_demo(app.config["HOME_COUNTRY"], TODAY)
        db.session.commit()
        assert saved().home_jurisdiction == SAMPLE_SETTINGS["home_jurisdiction"] == "CA-QC"
        assert home_country() == "CA"


def test_the_settings_page_says_they_are_sample_values_until_saved(app, runner, signed_in):
    runner.invoke(args=["demo"])
    admin = signed_in(Role.ADMIN)
    page = admin.get("/settings/").text
    assert NOTICE in page
    assert 'value="Centres sportifs Aurore inc."' in page

    response = admin.post("/settings/", data=FORM)

    assert response.status_code == 302
    with app.app_context():
        assert saved().is_sample is False
    page = admin.get("/settings/")
    assert page.status_code == 200
    assert 'value="Centres Sportifs Boréal inc."' in page.text  # the page, with what was saved
    assert NOTICE not in page.text


def test_the_sample_notice_is_in_french_for_a_french_administrator(app, runner, signed_in):
    runner.invoke(args=["demo"])
    page = signed_in(Role.ADMIN, language="fr").get("/settings/").text
    assert NOTICE_FR in page
    assert NOTICE not in page


def test_a_failed_save_keeps_the_sample_mark(app, runner, signed_in):
    runner.invoke(args=["demo"])
    admin = signed_in(Role.ADMIN)
    response = admin.post("/settings/", data=FORM | {"privacy_officer_email": "nope"})
    assert response.status_code == 200
    assert NOTICE in response.text
    with app.app_context():
        assert saved().is_sample is True


def test_no_notice_for_an_administrators_settings(signed_in, settings):
    page = signed_in(Role.ADMIN).get("/settings/")
    assert page.status_code == 200
    assert "Organisation settings" in page.text
    assert 'value="Centres Sportifs Boréal inc."' in page.text
    assert NOTICE not in page.text


def test_saving_the_page_clears_the_mark_even_with_sample_values_left(app, runner, signed_in):
    # Unlike `settings set`, which changes one field: the administrator saw every field, and
    # the notice, and chose to keep these.
    runner.invoke(args=["demo"])
    admin = signed_in(Role.ADMIN)
    form = {name: str(value) for name, value in SAMPLE_SETTINGS.items()}

    response = admin.post("/settings/", data=form | {"signatory_name": "Louis Tremblay"})

    assert response.status_code == 302
    with app.app_context():
        row = saved()
        assert (row.legal_name, row.is_sample) == (SAMPLE_SETTINGS["legal_name"], False)


def test_loading_from_the_web_fills_the_settings_and_says_so(app, signed_in):
    admin = signed_in(Role.ADMIN)
    response = admin.post("/demo/load", follow_redirects=True)
    assert SETTINGS_FILLED in response.text
    with app.app_context():
        assert saved().is_sample is True
    again = admin.post("/demo/load", follow_redirects=True)
    assert "The sample data was already loaded; nothing was added." in again.text
    assert SETTINGS_FILLED not in again.text


@pytest.mark.parametrize(
    ("language", "filled", "loaded", "nothing"),
    [
        (
            "en",
            SETTINGS_FILLED,
            "The sample data is loaded",
            "The sample data was already loaded",
        ),
        (
            "fr",
            SETTINGS_FILLED_FR,
            "Les données d’exemple sont chargées",
            "Les données d’exemple étaient déjà chargées",
        ),
    ],
)
def test_when_only_the_settings_are_filled_only_they_are_announced(
    app, signed_in, language, filled, loaded, nothing
):
    # Vendors and users loaded before the sample had settings (an installation upgraded since).
    with app.app_context():
        load_demo(app.config["HOME_COUNTRY"], TODAY)
        db.session.delete(saved())
        db.session.commit()
    admin = signed_in(Role.ADMIN, language=language)

    response = admin.post("/demo/load", follow_redirects=True)

    assert response.status_code == 200
    assert filled in response.text
    assert loaded not in response.text  # not "0 vendors and 0 users added"
    assert nothing not in response.text
    with app.app_context():
        assert saved().is_sample is True


@pytest.mark.parametrize("language", ["en", "fr", "bilingual"])
def test_right_after_the_demo_an_addendum_generates_without_touching_settings(
    app, runner, tmp_path, language
):
    assert runner.invoke(args=["demo"]).exit_code == 0
    out = tmp_path / f"horizon-{language}.docx"

    result = runner.invoke(
        args=["addenda", "generate", "Horizon Paie", "--lang", language, "--out", str(out)]
    )

    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    text = document_text(out.read_bytes())
    assert SAMPLE_SETTINGS["legal_name"] in text
    assert SAMPLE_SETTINGS["privacy_officer_email"] in text
    with app.app_context():
        addendum = db.session.scalar(select(Addendum))
        assert (addendum.vendor.name, addendum.language) == ("Horizon Paie", language)
