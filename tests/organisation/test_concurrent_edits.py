"""Two administrators editing the settings: a save from a form loaded before the other's save is
refused and shows what they changed, instead of undoing it."""

from tests.helpers import fetched, form_in, form_on, stale_notice
from vendortrack.accounts.models import Role
from vendortrack.organisation.models import OrganisationSettings

REFUSED = "Someone else saved changes here after you opened this page."
FORM = {
    "legal_name": "Boréal inc.",
    "privacy_officer_name": "Amélie Roy",
    "privacy_officer_email": "vie.privee@boreal.example",
    "home_jurisdiction": "CA-QC",
}


def test_a_stale_settings_save_is_refused_and_a_second_one_overwrites(app, signed_in):
    first, second = signed_in(Role.ADMIN), signed_in(Role.ADMIN)
    first.post("/settings/", data=form_on(first, "/settings/") | FORM)
    firsts, seconds = form_on(first, "/settings/"), form_on(second, "/settings/")

    assert first.post("/settings/", data=firsts | {"signatory_name": "Louis"}).status_code == 302
    response = second.post("/settings/", data=seconds | {"breach_notice_hours": "48"})

    assert response.status_code == 409
    notice = stale_notice(response.text)
    assert REFUSED in notice
    assert "Louis (in your form: —)" in notice
    assert "breach" not in notice
    assert form_in(response.text)["breach_notice_hours"] == ["48"]
    saved = fetched(app, OrganisationSettings)
    assert (saved.signatory_name, saved.breach_notice_hours) == ("Louis", 24)

    again = second.post("/settings/", data=form_in(response.text))
    assert again.status_code == 302
    saved = fetched(app, OrganisationSettings)
    assert (saved.signatory_name, saved.breach_notice_hours) == ("", 48)


def test_a_form_loaded_before_the_first_save_ever_sees_it(app, signed_in):
    """Settings nobody saved yet are shown from defaults, without a version: a form loaded then
    still learns of the first save."""
    first, second = signed_in(Role.ADMIN), signed_in(Role.ADMIN)
    firsts, seconds = form_on(first, "/settings/"), form_on(second, "/settings/")
    assert firsts["version"] == [""]

    assert first.post("/settings/", data=firsts | FORM).status_code == 302
    response = second.post("/settings/", data=seconds | FORM | {"legal_name": "Other inc."})

    assert response.status_code == 409
    assert "Boréal inc. (in your form: Other inc.)" in stale_notice(response.text)
    assert fetched(app, OrganisationSettings).legal_name == "Boréal inc."
