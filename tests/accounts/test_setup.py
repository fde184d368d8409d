"""The one-time set-up page: the only way in while nobody has an account, gone afterwards."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db

FIRST_ADMIN = {
    "name": "Ada Admin",
    "email": "Ada@Example.org",
    "language": "en",
    "password": "a long enough password",
    "confirm": "a long enough password",
}


def users(app):
    with app.app_context():
        return db.session.scalars(select(User)).all()


@pytest.mark.parametrize("path", ["/", "/vendors/", "/vendors/1", "/login", "/users", "/nowhere"])
def test_every_page_leads_to_setup_while_nobody_has_an_account(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/setup"


def test_setup_page_asks_for_the_first_administrator(client):
    response = client.get("/setup")
    assert response.status_code == 200
    assert "Create the first administrator" in response.text


def test_first_administrator_is_created_signed_in_and_the_page_disappears(app, client):
    response = client.post("/setup", data=FIRST_ADMIN)
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/vendors/"
    [admin] = users(app)
    assert (admin.email, admin.name, admin.role) == ("ada@example.org", "Ada Admin", Role.ADMIN)

    page = client.get("/vendors/")
    assert page.status_code == 200
    assert "You are the first administrator" in page.text

    assert client.get("/setup").status_code == 404
    assert client.post("/setup", data=FIRST_ADMIN | {"email": "eve@example.org"}).status_code == 404
    assert len(users(app)) == 1
    home = client.get("/")
    assert urlsplit(home.location).path == "/dashboard"  # the managers' home


def test_setup_is_gone_for_a_visitor_once_an_account_exists(client, create_user):
    create_user(Role.LEGAL)
    assert client.get("/setup").status_code == 404
    response = client.get("/vendors/")
    assert urlsplit(response.location).path == "/login"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "short", "confirm": "short"}, "password", "Use at least 10 characters."),
        ({"confirm": "another long password"}, "confirm", "The passwords differ."),
        ({"email": "not an email"}, "email", "Enter a valid email address."),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_setup_refuses_bad_input_next_to_the_field(
    app, client, field_errors, changes, field, message
):
    response = client.post("/setup", data=FIRST_ADMIN | changes)
    assert response.status_code == 200
    assert message in field_errors(response.text, field)
    assert users(app) == []
    assert urlsplit(client.get("/vendors/").location).path == "/setup"
