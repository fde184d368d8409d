"""Error pages: plain words in the user's language, the right status, never a stack trace."""

import logging
import re

import pytest
from flask import abort

from tests.helpers import count
from vendortrack import create_app
from vendortrack.accounts.access import public
from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.register.models import Vendor

SERVER_ERROR = "Something went wrong on our side. Nothing was saved; please try again."


@pytest.fixture
def add_route(app):
    """add_route(path, view): a test-only public route, added before the first request."""

    def add(path, view):
        app.add_url_rule(path, view.__name__, public(view), methods=["GET", "POST"])

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return add


@pytest.mark.own_app  # it adds a route
def test_an_exception_shows_the_plain_server_error_page(client, add_route, create_user, caplog):
    def explode():
        raise RuntimeError("secret internals: table users column password_hash")

    add_route("/explode", explode)
    create_user(Role.OWNER, password=None)
    with caplog.at_level(logging.ERROR):
        response = client.get("/explode")
    assert response.status_code == 500
    assert SERVER_ERROR in response.text
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    # The trace goes to the log, for us.
    assert any(
        record.exc_info and "secret internals" in str(record.exc_info[1])
        for record in caplog.records
    )


@pytest.mark.own_app  # it adds a route
def test_a_failed_database_write_saves_nothing_and_shows_the_page(
    app, add_route, create_user, client_for
):
    taken = create_user(Role.OWNER, email="taken@example.org", password=None)

    def clash():
        db.session.add(Vendor(name="Half-saved vendor", country="CA"))
        db.session.add(User(email=taken.email, name="Clash", role=Role.OWNER))
        db.session.flush()  # the email is unique: IntegrityError

    add_route("/clash", clash)
    admin = client_for(create_user(Role.ADMIN))
    response = admin.post("/clash")
    assert response.status_code == 500
    assert SERVER_ERROR in response.text
    with app.app_context():
        assert count(Vendor) == 0
    assert admin.get("/vendors/").status_code == 200  # the next request is not poisoned


@pytest.mark.own_app  # it adds a route
def test_an_unusual_http_error_keeps_its_status(add_route, create_user, client_for):
    def conflict():
        abort(409)

    add_route("/conflict", conflict)
    response = client_for(create_user(Role.ADMIN)).get("/conflict")
    assert response.status_code == 409
    assert "Traceback" not in response.text
    assert '<html lang="en">' in response.text


def test_unknown_address_shows_the_not_found_page(signed_in):
    response = signed_in(Role.OWNER).get("/no/such/page")
    assert response.status_code == 404
    assert "This page does not exist, or what it showed has been removed." in response.text


def test_wrong_method_shows_its_page(signed_in):
    response = signed_in(Role.OWNER).get("/logout")
    assert response.status_code == 405
    assert "This address does not accept that kind of request." in response.text


def test_refused_page_says_so(signed_in):
    response = signed_in(Role.OWNER).get("/users")
    assert response.status_code == 403
    assert "You do not have permission to open this page." in response.text


@pytest.fixture
def csrf_app(tmp_path):
    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/csrf.db",
            "WTF_CSRF_ENABLED": True,
        }
    )
    with app.app_context():
        db.create_all()
        admin = User(email="admin@example.org", name="Admin", role=Role.ADMIN)
        admin.set_password("correct horse battery")
        db.session.add(admin)
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def csrf_token(page) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)


def test_form_without_its_token_is_refused_and_saves_nothing(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token(client.get("/login"))
    credentials = {"email": "admin@example.org", "password": "correct horse battery"}
    assert client.post("/login", data=credentials).status_code == 400
    assert client.post("/login", data=credentials | {"csrf_token": token}).status_code == 302

    vendor = {"name": "Forged", "country": "CA", "status": "active", "criticality": "low"}
    response = client.post("/vendors/new", data=vendor)
    assert response.status_code == 400
    assert "The form expired or was sent from elsewhere." in response.text
    assert "Traceback" not in response.text
    with csrf_app.app_context():
        assert count(Vendor) == 0

    token = csrf_token(client.get("/vendors/new"))
    response = client.post("/vendors/new", data=vendor | {"csrf_token": token})
    assert response.status_code == 302
    with csrf_app.app_context():
        assert count(Vendor) == 1
