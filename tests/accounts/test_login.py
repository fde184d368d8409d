"""Signing in and out: one message for every failure, and ?next= kept on this site."""

import re
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import pytest

from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db

PASSWORD = "seven blue herons"


def post_login(client, email, password, next_=None):
    url = "/login" + (f"?next={quote(next_, safe='')}" if next_ is not None else "")
    return client.post(url, data={"email": email, "password": password})


def is_signed_in(client) -> bool:
    return client.get("/vendors/").status_code == 200


def test_sign_in_goes_to_the_vendor_list(client, create_user):
    user = create_user(Role.OWNER, password=PASSWORD)
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/vendors/"
    assert is_signed_in(client)


def test_email_is_matched_whatever_its_case(client, create_user):
    create_user(Role.OWNER, password=PASSWORD, email="mixed.case@example.org")
    post_login(client, "  Mixed.Case@EXAMPLE.org ", PASSWORD)
    assert is_signed_in(client)


def without_token(html: str) -> str:
    return re.sub(r'value="[\w.-]{40,}"', 'value="TOKEN"', html)


def test_wrong_password_and_unknown_email_give_the_same_page(client, create_user):
    user = create_user(Role.ADMIN, password=PASSWORD, email="real@example.org")
    wrong_password = post_login(client, "real@example.org", "not the password")
    unknown_email = post_login(client, "ghost@example.org", PASSWORD)

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert "Wrong email or password." in wrong_password.text
    # Identical but for the address typed, so the page never tells which accounts exist. (The
    # CSRF token carries a timestamp, so two requests a second apart differ there.)
    assert without_token(wrong_password.text.replace(user.email, "@")) == without_token(
        unknown_email.text.replace("ghost@example.org", "@")
    )
    assert not is_signed_in(client)


def test_deactivated_user_cannot_sign_in(client, create_user):
    user = create_user(Role.LEGAL, password=PASSWORD, active=False)
    response = post_login(client, user.email, PASSWORD)
    assert "Wrong email or password." in response.text
    assert not is_signed_in(client)


def test_user_without_a_password_cannot_sign_in(client, create_user):
    user = create_user(Role.OWNER, password=None)
    response = post_login(client, user.email, "")
    assert response.status_code == 200
    response = post_login(client, user.email, PASSWORD)
    assert "Wrong email or password." in response.text
    assert not is_signed_in(client)


def test_deactivating_a_user_ends_their_session(app, client, create_user):
    user = create_user(Role.MANAGER, password=PASSWORD)
    post_login(client, user.email, PASSWORD)
    assert is_signed_in(client)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert not is_signed_in(client)


def test_sign_in_records_the_time(app, client, create_user):
    user = create_user(Role.OWNER, password=PASSWORD)
    assert user.last_login_at is None
    before = datetime.now(UTC)
    post_login(client, user.email, PASSWORD)
    after = datetime.now(UTC)
    with app.app_context():
        assert before <= db.session.get(User, user.id).last_login_at <= after


def test_failed_sign_in_records_nothing(app, client, create_user):
    user = create_user(Role.OWNER, password=PASSWORD)
    post_login(client, user.email, "not the password")
    with app.app_context():
        assert db.session.get(User, user.id).last_login_at is None


def test_sign_out(client, create_user):
    user = create_user(Role.OWNER, password=PASSWORD)
    post_login(client, user.email, PASSWORD)
    response = client.post("/logout")
    assert urlsplit(response.location).path == "/login"
    assert not is_signed_in(client)


def test_a_page_asked_for_before_signing_in_opens_after(client, create_user, create_vendor):
    vendor = create_vendor()
    user = create_user(Role.OWNER, password=PASSWORD)
    bounced = client.get(f"/vendors/{vendor.id}?tab=risk")
    target = urlsplit(bounced.location)
    assert target.path == "/login"
    response = client.post(
        f"/login?{target.query}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.location == f"/vendors/{vendor.id}?tab=risk"


@pytest.mark.parametrize(
    "next_",
    [
        "http://evil.example/",
        "https://evil.example/vendors/",
        "//evil.example",
        "//evil.example/vendors/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "vendors/",
    ],
)
def test_next_never_leads_off_the_site(client, create_user, next_):
    user = create_user(Role.OWNER, password=PASSWORD)
    response = post_login(client, user.email, PASSWORD, next_=next_)
    assert response.status_code == 302
    assert response.location == "/vendors/"


def test_language_switch_follows_only_local_paths(client, create_user):
    create_user(Role.OWNER, password=None)  # past set-up
    response = client.post("/language/fr", data={"next": "//evil.example/"})
    assert response.location == "/"
    response = client.post("/language/fr", data={"next": "/login?x=1"})
    assert response.location == "/login?x=1"


def test_unknown_language_is_not_found(client, create_user):
    create_user(Role.OWNER, password=None)
    assert client.post("/language/de").status_code == 404
