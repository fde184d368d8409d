"""Sign-in throttling: failures counted in the database per email and per client address, the
same for unknown emails as for real ones, and shared by every worker on the database."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.exc import OperationalError

from tests.helpers import app_context, count
from vendortrack import create_app
from vendortrack.accounts.models import LoginFailure, Role, User
from vendortrack.accounts.throttling import (
    account_key,
    attempt_sign_in,
    locked_until,
    record_failure,
)
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.trail.models import AuditEntry

PASSWORD = "seven blue herons"
WRONG = "not the password"
LOCKED = "Too many failed sign-in attempts. Try again in 15 minutes."
WRONG_MESSAGE = "Wrong email or password."


def post_login(client, email, password, address="127.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def fail(client, email, times, address="127.0.0.1"):
    for _ in range(times):
        response = post_login(client, email, WRONG, address)
        assert response.status_code == 200
        assert WRONG_MESSAGE in response.text


def is_signed_in(client, address="127.0.0.1") -> bool:
    # From the address that signed in: the session is refused from any other.
    return client.get("/vendors/", environ_base={"REMOTE_ADDR": address}).status_code == 200


def add_failures(app, email, times, minutes_ago, address="127.0.0.1"):
    """Failures from some minutes back, as another worker would have recorded them."""
    at = utcnow() - timedelta(minutes=minutes_ago)
    with app_context(app):
        for _ in range(times):
            db.session.add(
                LoginFailure(account_key=account_key(email), address=address, failed_at=at)
            )
        db.session.commit()


def same_page(html: str, email: str) -> str:
    # The CSRF token carries a timestamp; the typed address is echoed back in the form.
    return re.sub(r'value="[\w.-]{40,}"', 'value="TOKEN"', html).replace(email, "@")


@pytest.fixture
def user(create_user):
    # An administrator, so that a second app on the database finds the installation set up.
    return create_user(Role.ADMIN, password=PASSWORD, email="real@example.org")


def test_five_failures_lock_the_account_with_429(client, user):
    fail(client, user.email, 5)
    response = post_login(client, user.email, WRONG)
    assert response.status_code == 429
    assert LOCKED in response.text
    assert WRONG_MESSAGE not in response.text


def test_the_right_password_does_not_get_in_while_locked(client, user):
    fail(client, user.email, 5)
    wrong = post_login(client, user.email, WRONG)
    right = post_login(client, user.email, PASSWORD)
    assert right.status_code == wrong.status_code == 429
    # Nothing tells the guesser that this one was right.
    assert same_page(right.text, user.email) == same_page(wrong.text, user.email)
    assert not is_signed_in(client)


def test_attempts_while_locked_are_not_counted(app, client, user):
    fail(client, user.email, 5)
    for _ in range(3):
        assert post_login(client, user.email, WRONG).status_code == 429
    # Otherwise a guesser could keep the owner locked out long after stopping.
    with app.app_context():
        assert count(LoginFailure) == 5


def test_the_lock_message_is_in_french(client, user):
    client.post("/language/fr")
    for _ in range(5):
        assert post_login(client, user.email, WRONG).status_code == 200
    response = post_login(client, user.email, WRONG)
    assert response.status_code == 429
    assert "Trop de tentatives de connexion infructueuses. Réessayez dans 15 minutes." in (
        response.text
    )
    assert "Too many" not in response.text


def test_unknown_email_is_throttled_exactly_like_a_real_one(client, user):
    ghost = "ghost@example.org"
    for attempt in range(7):
        real = post_login(client, user.email, WRONG)
        unknown = post_login(client, ghost, WRONG)
        assert real.status_code == unknown.status_code == (200 if attempt < 5 else 429)
        assert same_page(real.text, user.email) == same_page(unknown.text, ghost)
    assert LOCKED in unknown.text


def test_email_case_and_spaces_count_as_the_same_account(client, user):
    for email in ["Real@Example.org", " REAL@example.org ", "real@EXAMPLE.ORG", user.email]:
        post_login(client, email, WRONG)
    post_login(client, "rEaL@example.org", WRONG)
    assert post_login(client, user.email, PASSWORD).status_code == 429


def test_failures_are_kept_without_the_email_in_clear(app, client, user):
    fail(client, user.email, 2)
    with app.app_context():
        rows = db.session.scalars(select(LoginFailure)).all()
    assert len(rows) == 2
    stored = " ".join(f"{r.account_key} {r.address}" for r in rows)
    assert "real" not in stored
    assert "example" not in stored
    assert {r.address for r in rows} == {"127.0.0.1"}


def test_one_address_is_locked_after_twenty_failures_on_any_emails(client, user):
    for n in range(20):
        fail(client, f"guess{n}@example.org", 1, address="203.0.113.9")
    # A fresh email from that address is refused, even with the right password...
    response = post_login(client, user.email, PASSWORD, address="203.0.113.9")
    assert response.status_code == 429
    assert LOCKED in response.text
    assert not is_signed_in(client, address="203.0.113.9")
    # ...while the same person elsewhere is not.
    assert post_login(client, user.email, PASSWORD, address="198.51.100.7").status_code == 302
    assert is_signed_in(client, address="198.51.100.7")


def test_signing_in_clears_the_accounts_failures(app, client, user):
    fail(client, user.email, 4)
    assert post_login(client, user.email, PASSWORD).status_code == 302
    with app.app_context():
        assert count(LoginFailure) == 0
    client.post("/logout")
    fail(client, user.email, 4)
    assert post_login(client, user.email, PASSWORD).status_code == 302


def test_signing_in_keeps_failures_against_other_accounts_from_the_address(client, user):
    for n in range(19):
        fail(client, f"guess{n}@example.org", 1)
    assert post_login(client, user.email, PASSWORD).status_code == 302
    client.post("/logout")
    fail(client, "guess99@example.org", 1)
    assert post_login(client, user.email, PASSWORD).status_code == 429


def test_the_lock_ends_when_the_failures_leave_the_window(app, client, user):
    add_failures(app, user.email, 5, minutes_ago=10)
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Try again in 5 minutes." in response.text

    with app.app_context():
        db.session.execute(delete(LoginFailure))
        add_failures(app, user.email, 5, minutes_ago=14.5)
    assert "Try again in 1 minute." in post_login(client, user.email, PASSWORD).text

    with app.app_context():
        db.session.execute(delete(LoginFailure))
        add_failures(app, user.email, 5, minutes_ago=16)
    assert post_login(client, user.email, PASSWORD).status_code == 302


def test_the_lock_lasts_until_the_fifth_latest_failure_is_a_window_old(app):
    start = utcnow()
    with app.app_context():
        for minute in (0, 1, 2, 3, 4, 5):
            record_failure("real@example.org", "127.0.0.1", start + timedelta(minutes=minute))
        # The six failures hold five until the second one (minute 1) is fifteen minutes old.
        assert locked_until("real@example.org", None, start + timedelta(minutes=6)) == start + (
            timedelta(minutes=16)
        )
        assert locked_until("real@example.org", None, start + timedelta(minutes=16)) is None
        assert locked_until("other@example.org", None, start + timedelta(minutes=6)) is None


def test_old_failures_are_pruned_at_every_sign_in(app, client, user):
    add_failures(app, "a@example.org", 1, minutes_ago=16, address="127.0.0.1")
    add_failures(app, "b@example.org", 1, minutes_ago=10, address="127.0.0.2")
    assert post_login(client, user.email, PASSWORD).status_code == 302  # a success prunes too
    with app.app_context():
        kept = db.session.scalars(select(LoginFailure.address)).all()
    assert kept == ["127.0.0.2"]


def test_an_ipv6_network_counts_as_one_address(app, client, create_user):
    # A client may use a new address of its /64 for every attempt.
    victim = create_user(Role.OWNER, email="v6@example.org", password=PASSWORD)
    for n in range(20):
        fail(client, f"nobody{n}@example.org", 1, address=f"2001:db8:1:2::{n + 1:x}")
    assert post_login(client, victim.email, PASSWORD, "2001:db8:1:2::ff").status_code == 429
    assert post_login(client, victim.email, PASSWORD, "2001:db8:1:3::1").status_code == 302
    with app.app_context():
        assert set(db.session.scalars(select(LoginFailure.address))) == {"2001:db8:1:2::/64"}


def test_failures_are_not_in_the_audit_trail(app, client, user):
    with app.app_context():
        audited = count(AuditEntry)
    fail(client, user.email, 5)
    with app.app_context():
        assert count(LoginFailure) == 5
        assert count(AuditEntry) == audited


NEW_PASSWORD = "a fresh pass phrase"


def change_password(client, current):
    data = {"current": current, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    return client.post("/account/password", data=data)


def password_is(app, user, password) -> bool:
    with app.app_context():
        return db.session.get(User, user.id).check_password(password)


def test_wrong_current_passwords_count_like_failed_sign_ins(app, client, client_for, user):
    signed_in = client_for(user, PASSWORD)
    for _ in range(5):
        response = change_password(signed_in, WRONG)
        assert response.status_code == 200
        assert "This is not your current password." in response.text
    with app.app_context():
        assert count(LoginFailure) == 5
    # The right password no longer gets through, here or on the sign-in page.
    response = change_password(signed_in, PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.text
    assert "This is not your current password." not in response.text
    assert password_is(app, user, PASSWORD)
    assert post_login(client, user.email, PASSWORD).status_code == 429


def test_failed_sign_ins_lock_the_password_form(app, client_for, user):
    signed_in = client_for(user, PASSWORD)
    add_failures(app, user.email, 5, minutes_ago=1)
    wrong, right = change_password(signed_in, WRONG), change_password(signed_in, PASSWORD)
    assert right.status_code == wrong.status_code == 429
    # Not even checked: the guesser learns nothing, and the wait does not grow.
    assert same_page(right.text, user.email) == same_page(wrong.text, user.email)
    with app.app_context():
        assert count(LoginFailure) == 5
    assert password_is(app, user, PASSWORD)


def test_the_password_form_opens_again_when_the_failures_leave_the_window(app, client_for, user):
    signed_in = client_for(user, PASSWORD)
    add_failures(app, user.email, 5, minutes_ago=16)
    assert change_password(signed_in, PASSWORD).status_code == 302
    assert password_is(app, user, NEW_PASSWORD)


@pytest.fixture
def second_worker(app):
    """Another app on the same database file, as a second web worker would be."""
    other = create_app(
        {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_lock_holds_across_two_workers(client, second_worker, user):
    other = second_worker.test_client()
    for worker in (client, other, client, other, client):
        fail(worker, user.email, 1)
    for worker in (client, other):
        response = post_login(worker, user.email, PASSWORD)
        assert response.status_code == 429
        assert LOCKED in response.text
    assert not is_signed_in(other)


@pytest.mark.slow  # PostgreSQL only
def test_attempts_on_one_account_wait_for_each_other_on_postgresql(app, user):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has no advisory locks; the README states the bound there")
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        lock_id = int(account_key(user.email)[:15], 16)
        with other.connect() as connection:  # another worker, in the middle of an attempt
            connection.execute(select(func.pg_advisory_xact_lock(lock_id)))
            db.session.execute(text("SET LOCAL lock_timeout = '200ms'"))
            with pytest.raises(OperationalError):
                attempt_sign_in(user.email, WRONG, "127.0.0.1", utcnow())
            db.session.rollback()
            # Another account is not held up.
            assert attempt_sign_in("someone@example.org", WRONG, "127.0.0.1", utcnow()).user is None
            connection.rollback()
        other.dispose()
