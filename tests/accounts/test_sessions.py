"""Sessions end when the password changes, the account is deactivated or its user signs out;
after a while unused and some hours after signing in; and they do not travel."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask_login import encode_cookie
from sqlalchemy import select

from tests.helpers import PASSWORD, sign_in
from vendortrack.accounts import sessions
from vendortrack.accounts.models import Role, User
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.register.models import Vendor

NEW_PASSWORD = "a much better passphrase"
IDLE_MINUTES, MAX_HOURS = 5, 2
# A vendor as the edit form sends it (tests/vendors cover the form itself).
VENDOR = {"name": "Renamed", "country": "CA", "status": "active", "criticality": "medium"}


@pytest.fixture
def app_settings():
    return {"SESSION_IDLE_MINUTES": IDLE_MINUTES, "SESSION_MAX_HOURS": MAX_HOURS}


class Clock:
    """The time the sessions read, moved by the test instead of waited for."""

    def __init__(self):
        # On a whole second, as sessions store their times: limits then fall where tests say.
        self.now = utcnow().replace(microsecond=0)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(sessions, "utcnow", clock)
    return clock


def signed_out(response) -> bool:
    return response.status_code == 302 and "/login" in response.location


def copy_of(app, client):
    """Another browser holding a copy of this client's session cookie, as a thief would."""
    name = app.config["SESSION_COOKIE_NAME"]
    thief = app.test_client()
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def committed_rows() -> dict[str, list[tuple]]:
    """Every row of every table, as committed (read on a connection of its own)."""
    with db.engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(select(table))]
            for table in db.metadata.sorted_tables
        }


def flashed(page) -> list[str]:
    return [" ".join(m.split()) for m in re.findall(r'role="alert">([^<]*)<', page.text)]


def test_a_new_password_ends_the_other_sessions_but_not_this_one(app, create_user):
    user = create_user(Role.OWNER)
    here, elsewhere = sign_in(app.test_client(), user), sign_in(app.test_client(), user)
    here.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert here.get("/account").status_code == 200
    assert signed_out(elsewhere.get("/account"))


def test_a_password_set_by_an_administrator_ends_the_users_sessions(app, create_user):
    user = create_user(Role.OWNER)
    session = sign_in(app.test_client(), user)
    with app.app_context():
        db.session.get(User, user.id).set_password(NEW_PASSWORD)
        db.session.commit()
    assert signed_out(session.get("/account"))


def test_deactivation_ends_the_users_sessions(app, create_user):
    user = create_user(Role.OWNER)
    session = sign_in(app.test_client(), user)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert signed_out(session.get("/account"))


def test_a_session_cookie_taken_to_another_address_is_refused(app, create_user):
    user = create_user(Role.OWNER)
    session = sign_in(app.test_client(), user)
    assert session.get("/account").status_code == 200
    stolen = session.get("/account", environ_base={"REMOTE_ADDR": "198.51.100.66"})
    assert signed_out(stolen)


def test_a_cookie_copied_before_signing_out_opens_nothing_after(app, create_user, create_vendor):
    vendor = create_vendor(name="Original")
    client = sign_in(app.test_client(), create_user(Role.MANAGER))
    thief = copy_of(app, client)
    assert thief.get("/vendors/new").status_code == 200  # the copy works until...
    client.post("/logout")
    with app.app_context():
        before = committed_rows()
    assert signed_out(thief.get("/vendors/new"))
    assert signed_out(thief.post(f"/vendors/{vendor.id}/edit", data=VENDOR))
    with app.app_context():
        assert committed_rows() == before  # no change, and nothing recorded in the user's name
        assert db.session.get(Vendor, vendor.id).name == "Original"


def test_signing_out_ends_every_session_of_that_user(app, create_user):
    # The design: one counter per user, so signing out in one browser signs out all.
    user, other = create_user(Role.OWNER), create_user(Role.OWNER)
    here, elsewhere = sign_in(app.test_client(), user), sign_in(app.test_client(), user)
    someone_else = sign_in(app.test_client(), other)
    here.post("/logout")
    assert signed_out(elsewhere.get("/account"))
    assert someone_else.get("/account").status_code == 200
    assert sign_in(app.test_client(), user).get("/account").status_code == 200


def test_a_session_unused_for_longer_than_the_idle_limit_ends(app, create_user, clock):
    client = sign_in(app.test_client(), create_user(Role.MANAGER))
    for _ in range(3):  # each request starts the idle time again
        clock.advance(minutes=IDLE_MINUTES)
        assert client.get("/vendors/new").status_code == 200
    clock.advance(minutes=IDLE_MINUTES, seconds=1)
    response = client.get("/vendors/new?copy=1")
    assert signed_out(response)
    assert parse_qs(urlsplit(response.location).query)["next"] == ["/vendors/new?copy=1"]
    page = client.get(response.location)
    assert flashed(page) == [
        "Your session ended after 5 minutes without activity. Please sign in again."
    ]
    assert signed_out(client.get("/vendors/new"))  # and stays ended


def test_an_ended_session_signs_in_again_back_to_the_page(app, create_user, clock):
    user = create_user(Role.MANAGER)
    client = sign_in(app.test_client(), user)
    clock.advance(hours=1)
    bounced = client.get("/vendors/new")
    assert signed_out(bounced)
    response = client.post(bounced.location, data={"email": user.email, "password": PASSWORD})
    assert response.location == "/vendors/new"
    assert client.get("/vendors/new").status_code == 200


def test_a_session_ends_some_hours_after_signing_in_however_busy(app, create_user, clock):
    client = sign_in(app.test_client(), create_user(Role.OWNER))
    for _ in range(MAX_HOURS * 60 // (IDLE_MINUTES - 1)):
        clock.advance(minutes=IDLE_MINUTES - 1)
        assert client.get("/account").status_code == 200
    clock.advance(minutes=IDLE_MINUTES - 1)
    response = client.get("/account")
    assert signed_out(response)
    assert flashed(client.get(response.location)) == [
        "Your session ended 2 hours after you signed in. Please sign in again."
    ]


def test_a_copy_of_the_cookie_expires_with_it(app, create_user, clock):
    client = sign_in(app.test_client(), create_user(Role.OWNER))
    thief = copy_of(app, client)
    for _ in range(MAX_HOURS * 60 // (IDLE_MINUTES - 1) + 1):  # kept busy past the limit
        clock.advance(minutes=IDLE_MINUTES - 1)
        thief.get("/account")
    assert signed_out(thief.get("/account"))


def test_the_session_ended_message_is_in_the_users_language(app, create_user, clock):
    client = sign_in(app.test_client(), create_user(Role.OWNER, language="fr"))
    clock.advance(minutes=IDLE_MINUTES + 1)
    response = client.get("/account")
    assert signed_out(response)
    page = client.get(response.location, headers={"Accept-Language": "en"})
    assert flashed(page) == [
        "Votre session a pris fin après 5 minutes d’inactivité. Veuillez vous reconnecter."
    ]


@pytest.mark.parametrize("app_settings", [{}])  # the defaults: 30 minutes, 12 hours
def test_by_default_half_an_hour_unused_ends_a_session(app, create_user, clock):
    client = sign_in(app.test_client(), create_user(Role.OWNER))
    clock.advance(minutes=29)
    assert client.get("/account").status_code == 200
    clock.advance(minutes=31)
    assert signed_out(client.get("/account"))


@pytest.mark.parametrize("app_settings", [{}])
def test_by_default_a_session_lasts_twelve_hours_at_most(app, create_user, clock):
    client = sign_in(app.test_client(), create_user(Role.OWNER))
    for _ in range(12 * 2):
        clock.advance(minutes=30)
        assert client.get("/account").status_code == 200
    clock.advance(minutes=1)
    assert signed_out(client.get("/account"))


def test_a_remember_me_cookie_opens_no_session(app, create_user):
    # VendorTrack never sets one; if a later change did, it must not outlive the session.
    user = create_user(Role.OWNER)
    client = app.test_client()
    with app.test_request_context():
        client.set_cookie("remember_token", encode_cookie(user.get_id()))
    assert signed_out(client.get("/account"))


@pytest.mark.parametrize("app_settings", [{"WTF_CSRF_ENABLED": True}])
def test_a_csrf_token_from_before_sign_in_is_refused_after(app, create_user):
    """Signing in starts a new session: a token planted or read before is worth nothing."""
    user = create_user(Role.OWNER, name="Before")
    client = app.test_client()
    before = csrf_token(client.get("/login"))
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 302
    forged = client.post(
        "/account", data={"name": "Forged", "language": "en", "csrf_token": before}
    )
    assert forged.status_code == 400
    with app.app_context():
        assert db.session.get(User, user.id).name == "Before"
    after = csrf_token(client.get("/account"))  # the session's own token still works
    client.post("/account", data={"name": "After", "language": "en", "csrf_token": after})
    with app.app_context():
        assert db.session.get(User, user.id).name == "After"


def csrf_token(page) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
