"""Sessions end when the password changes or the account is deactivated, and do not travel."""

from tests.conftest import PASSWORD, sign_in
from vendortrack.accounts.models import Role
from vendortrack.extensions import db

NEW_PASSWORD = "a much better passphrase"


def signed_out(response) -> bool:
    return response.status_code == 302 and "/login" in response.location


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
    user.set_password(NEW_PASSWORD)
    db.session.commit()
    assert signed_out(session.get("/account"))


def test_deactivation_ends_the_users_sessions(app, create_user):
    user = create_user(Role.OWNER)
    session = sign_in(app.test_client(), user)
    user.active = False
    db.session.commit()
    assert signed_out(session.get("/account"))


def test_a_session_cookie_taken_to_another_address_is_refused(app, create_user):
    user = create_user(Role.OWNER)
    session = sign_in(app.test_client(), user)
    assert session.get("/account").status_code == 200
    stolen = session.get("/account", environ_base={"REMOTE_ADDR": "198.51.100.66"})
    assert signed_out(stolen)
