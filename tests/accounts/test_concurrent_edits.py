"""Two people changing the same account (two administrators, or an administrator and the user on
their own page): a save from a form loaded before the other's save is refused and shows what they
changed, instead of undoing it."""

from tests.helpers import fetched, form_in, form_on, stale_notice
from vendortrack.accounts.models import Role, User

REFUSED = "Someone else saved changes here after you opened this page."


def test_a_stale_user_save_is_refused_and_a_second_one_overwrites(app, signed_in, create_user):
    first, second = signed_in(Role.ADMIN), signed_in(Role.ADMIN)
    lea = create_user(Role.OWNER, name="Lea")
    url = f"/users/{lea.id}/edit"
    firsts, seconds = form_on(first, url), form_on(second, url)

    assert first.post(url, data=firsts | {"role": "legal"}).status_code == 302
    response = second.post(url, data=seconds | {"name": "Léa Roy"})

    assert response.status_code == 409
    notice = stale_notice(response.text)
    assert REFUSED in notice
    assert "Role Legal (in your form: Vendor owner)" in notice
    assert "Name" not in notice
    assert form_in(response.text)["name"] == ["Léa Roy"]
    saved = fetched(app, User, lea.id)
    assert (saved.name, saved.role) == ("Lea", Role.LEGAL)

    again = second.post(url, data=form_in(response.text))
    assert again.status_code == 302
    saved = fetched(app, User, lea.id)
    assert (saved.name, saved.role) == ("Léa Roy", Role.OWNER)


def test_signing_in_meanwhile_does_not_refuse_an_administrator_s_save(
    app, signed_in, create_user, client_for
):
    admin = signed_in(Role.ADMIN)
    lea = create_user(Role.OWNER, name="Lea")
    url = f"/users/{lea.id}/edit"
    form = form_on(admin, url)
    client_for(lea)  # her sign-in time is saved: a new version, no field of the form

    assert admin.post(url, data=form | {"name": "Léa Roy"}).status_code == 302
    assert fetched(app, User, lea.id).name == "Léa Roy"


def test_the_user_s_own_page_sees_an_administrator_s_change(
    app, signed_in, client_for, create_user
):
    admin = signed_in(Role.ADMIN)
    lea = create_user(Role.OWNER, name="Lea", language="en")
    own = client_for(lea)
    mine = form_on(own, "/account")
    admins = form_on(admin, f"/users/{lea.id}/edit")

    assert admin.post(f"/users/{lea.id}/edit", data=admins | {"name": "Léa Roy"}).status_code == 302
    response = own.post("/account", data=mine | {"language": "fr"})

    assert response.status_code == 409
    assert "Léa Roy (in your form: Lea)" in stale_notice(response.text)
    saved = fetched(app, User, lea.id)
    assert (saved.name, saved.language) == ("Léa Roy", "en")
