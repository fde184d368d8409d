"""User administration by administrators."""

from urllib.parse import urlsplit

from sqlalchemy import select

from tests.helpers import count, fetched
from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db

NEW_USER = {
    "name": "Lea Legal",
    "email": "lea@example.org",
    "role": "legal",
    "language": "fr",
    "active": "y",
    "password": "a long enough password",
}


def form_of(user, **changes):
    values = {
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "language": user.language,
        "active": "y" if user.active else "",
        "password": "",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v != ""}


def test_admin_adds_a_user_who_can_then_sign_in(app, signed_in):
    admin = signed_in(Role.ADMIN)
    response = admin.post("/users/new", data=NEW_USER)
    assert urlsplit(response.location).path == "/users"
    listing = admin.get("/users")
    assert "Lea Legal" in listing.text
    assert "lea@example.org" in listing.text

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "lea@example.org"))
        assert (user.role, user.language, user.active) == (Role.LEGAL, "fr", True)
    lea = app.test_client()
    lea.post("/login", data={"email": "lea@example.org", "password": NEW_USER["password"]})
    assert lea.get("/vendors/").status_code == 200


def test_user_added_without_a_password_is_listed_as_such(signed_in):
    admin = signed_in(Role.ADMIN)
    admin.post("/users/new", data=NEW_USER | {"password": ""})
    assert "No password yet" in admin.get("/users").text


def test_duplicate_email_is_refused_whatever_its_case(app, signed_in, create_user, field_errors):
    create_user(Role.OWNER, email="lea@example.org", password=None)
    admin = signed_in(Role.ADMIN)
    with app.app_context():
        before = count(User)
    response = admin.post("/users/new", data=NEW_USER | {"email": "LEA@Example.ORG"})
    assert response.status_code == 200
    assert field_errors(response.text, "email") == [
        "A user with this email address already exists."
    ]
    with app.app_context():
        assert count(User) == before


def test_weak_password_is_refused_next_to_the_field(app, signed_in, field_errors):
    admin = signed_in(Role.ADMIN)
    with app.app_context():
        before = count(User)
    response = admin.post("/users/new", data=NEW_USER | {"password": "lea@example.org"})
    assert field_errors(response.text, "password") == [
        "Do not use your email address as your password."
    ]
    with app.app_context():
        assert count(User) == before


def test_admin_edits_a_user(app, signed_in, create_user):
    user = create_user(Role.OWNER, password=None)
    admin = signed_in(Role.ADMIN)
    changes = {"name": "Olive Owner", "role": "manager", "password": "a fresh long password"}
    response = admin.post(f"/users/{user.id}/edit", data=form_of(user, **changes))
    assert urlsplit(response.location).path == "/users"
    edited = fetched(app, User, user.id)
    assert (edited.name, edited.role) == ("Olive Owner", Role.MANAGER)
    olive = app.test_client()
    olive.post("/login", data={"email": user.email, "password": "a fresh long password"})
    assert olive.get("/vendors/new").status_code == 200  # managers add vendors


def test_edit_refuses_an_email_another_user_has(app, signed_in, create_user, field_errors):
    create_user(Role.OWNER, email="taken@example.org", password=None)
    user = create_user(Role.OWNER, email="mine@example.org", password=None)
    admin = signed_in(Role.ADMIN)
    response = admin.post(f"/users/{user.id}/edit", data=form_of(user, email="TAKEN@example.org"))
    assert response.status_code == 200
    assert field_errors(response.text, "email") == [
        "A user with this email address already exists."
    ]
    assert fetched(app, User, user.id).email == "mine@example.org"


def test_edit_keeps_a_users_own_email_in_another_case(app, signed_in, create_user):
    user = create_user(Role.OWNER, email="mine@example.org", password=None)
    admin = signed_in(Role.ADMIN)
    response = admin.post(f"/users/{user.id}/edit", data=form_of(user, email="Mine@Example.org"))
    assert response.status_code == 302
    assert fetched(app, User, user.id).email == "mine@example.org"


def test_last_active_admin_cannot_demote_themselves(app, signed_in, field_errors):
    admin = signed_in(Role.ADMIN)
    me = admin.user
    response = admin.post(f"/users/{me.id}/edit", data=form_of(me, role="legal"))
    assert response.status_code == 200
    assert field_errors(response.text, "role") == ["At least one active administrator must remain."]
    assert fetched(app, User, me.id).role == Role.ADMIN
    assert admin.get("/users").status_code == 200


def test_last_active_admin_cannot_deactivate_themselves(app, signed_in, field_errors):
    admin = signed_in(Role.ADMIN)
    me = admin.user
    response = admin.post(f"/users/{me.id}/edit", data=form_of(me, active=""))
    assert field_errors(response.text, "active") == [
        "At least one active administrator must remain."
    ]
    assert fetched(app, User, me.id).active
    assert admin.get("/users").status_code == 200


def test_an_admin_may_step_down_while_another_remains(app, signed_in, create_user):
    create_user(Role.ADMIN, password=None)
    admin = signed_in(Role.ADMIN)
    me = admin.user
    response = admin.post(f"/users/{me.id}/edit", data=form_of(me, role="legal"))
    assert response.status_code == 302
    assert fetched(app, User, me.id).role == Role.LEGAL
    assert admin.get("/users").status_code == 403


def test_a_deactivated_admin_does_not_count_as_the_last_one(app, signed_in, create_user):
    dormant = create_user(Role.ADMIN, active=False, password=None)
    admin = signed_in(Role.ADMIN)
    response = admin.post(f"/users/{dormant.id}/edit", data=form_of(dormant, role="owner"))
    assert response.status_code == 302
    assert fetched(app, User, dormant.id).role == Role.OWNER


def test_unknown_user_is_not_found(signed_in):
    admin = signed_in(Role.ADMIN)
    assert admin.get("/users/999/edit").status_code == 404


def test_an_address_with_accents_is_refused_since_reminders_go_there(app, signed_in, field_errors):
    admin = signed_in()
    with app.app_context():
        before = count(User)
    response = admin.post("/users/new", data=NEW_USER | {"email": "josé@exemple.fr"})
    assert field_errors(response.text, "email") == ["Enter a valid email address."]
    with app.app_context():
        assert count(User) == before
