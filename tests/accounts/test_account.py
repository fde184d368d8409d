"""A user's own account: name, language and password."""

from urllib.parse import urlsplit

from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db

OLD = "the old long password"
NEW = "the brand new password"


def change_password(client, current, new, confirm=None):
    data = {"current": current, "password": new, "confirm": new if confirm is None else confirm}
    return client.post("/account/password", data=data)


def can_sign_in(app, user, password) -> bool:
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": password})
    return client.get("/vendors/").status_code == 200


def test_password_change(app, create_user, client_for):
    user = create_user(Role.OWNER, password=OLD)
    client = client_for(user, OLD)
    response = change_password(client, OLD, NEW)
    assert urlsplit(response.location).path == "/account"
    assert "Your password is changed." in client.get("/account").text
    assert can_sign_in(app, user, NEW)
    assert not can_sign_in(app, user, OLD)


def test_password_change_needs_the_current_password(app, create_user, client_for, field_errors):
    user = create_user(Role.OWNER, password=OLD)
    client = client_for(user, OLD)
    response = change_password(client, "not my password", NEW)
    assert field_errors(response.text, "current") == ["This is not your current password."]
    assert can_sign_in(app, user, OLD)
    assert not can_sign_in(app, user, NEW)


def test_password_change_refuses_a_short_password(app, create_user, client_for, field_errors):
    user = create_user(Role.OWNER, password=OLD)
    client = client_for(user, OLD)
    response = change_password(client, OLD, "short")
    assert field_errors(response.text, "password") == ["Use at least 10 characters."]
    assert can_sign_in(app, user, OLD)


def test_password_change_refuses_the_users_own_email(app, create_user, client_for, field_errors):
    user = create_user(Role.OWNER, password=OLD, email="olive.owner@example.org")
    client = client_for(user, OLD)
    response = change_password(client, OLD, "Olive.Owner@example.org")
    assert field_errors(response.text, "password") == [
        "Do not use your email address as your password."
    ]
    assert can_sign_in(app, user, OLD)


def test_password_change_refuses_different_repeats(app, create_user, client_for, field_errors):
    user = create_user(Role.OWNER, password=OLD)
    client = client_for(user, OLD)
    response = change_password(client, OLD, NEW, confirm="the brand new passwore")
    assert field_errors(response.text, "confirm") == ["The passwords differ."]
    assert can_sign_in(app, user, OLD)


def test_name_and_language_change(app, create_user, client_for):
    user = create_user(Role.OWNER, password=OLD, name="Old Name")
    client = client_for(user, OLD)
    response = client.post("/account", data={"name": "  New Name ", "language": "fr"})
    assert urlsplit(response.location).path == "/account"
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.name, saved.language) == ("New Name", "fr")
    assert '<html lang="fr">' in client.get("/account").text


def test_french_user_sees_french(create_user, client_for, field_errors):
    user = create_user(Role.OWNER, password=OLD, language="fr")
    client = client_for(user, OLD)
    page = client.get("/vendors/", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in page.text
    response = client.post("/account/password", data={})
    assert '<html lang="fr">' in response.text
    assert field_errors(response.text, "current") == ["Ce champ est requis."]


def test_english_user_sees_english_whatever_the_browser_says(create_user, client_for):
    user = create_user(Role.OWNER, password=OLD, language="en")
    client = client_for(user, OLD)
    page = client.get("/vendors/", headers={"Accept-Language": "fr"})
    assert '<html lang="en">' in page.text


def test_visitor_gets_the_browsers_language_or_the_one_they_pick(client, create_user):
    create_user(Role.OWNER, password=None)  # past set-up
    assert '<html lang="fr">' in client.get("/login", headers={"Accept-Language": "fr"}).text
    assert '<html lang="en">' in client.get("/login", headers={"Accept-Language": "de"}).text
    client.post("/language/fr", data={"next": "/login"})
    assert '<html lang="fr">' in client.get("/login", headers={"Accept-Language": "en"}).text


def test_language_picked_while_signed_in_becomes_the_preference(app, create_user, client_for):
    user = create_user(Role.OWNER, password=OLD, language="en")
    client = client_for(user, OLD)
    client.post("/language/fr", data={"next": "/account"})
    with app.app_context():
        assert db.session.get(User, user.id).language == "fr"
