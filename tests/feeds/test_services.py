"""Which dates a feed carries, and the feed's secret: tested on the services, with a fixed today."""

from datetime import date, timedelta

from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.feeds import services
from vendortrack.feeds.services import (
    NOTICE,
    REVIEW,
    deadlines_for,
    issue_token,
    revoke_token,
    token_hash,
    user_for_token,
)

TODAY = date(2026, 5, 15)


def test_the_window_runs_from_60_days_back_to_18_months_ahead(app, create_user, create_vendor):
    owner = create_user(Role.OWNER)
    for day in (
        TODAY - timedelta(days=61),
        TODAY - timedelta(days=60),
        date(2027, 11, 15),
        date(2027, 11, 16),
    ):
        create_vendor(owner=owner, review_due_on=day, notice_deadline_on=day)

    with app.app_context():
        found = deadlines_for(owner, TODAY)
    assert [(d.on, d.kind) for d in found] == [
        (TODAY - timedelta(days=60), NOTICE),
        (TODAY - timedelta(days=60), REVIEW),
        (date(2027, 11, 15), NOTICE),
        (date(2027, 11, 15), REVIEW),
    ]


def test_vendors_without_dates_give_no_events(app, create_user, create_vendor):
    owner = create_user(Role.OWNER)
    create_vendor(owner=owner, review_due_on=TODAY, notice_deadline_on=None)
    with app.app_context():
        assert [d.kind for d in deadlines_for(owner, TODAY)] == [REVIEW]


def test_the_feed_is_bounded_keeping_the_soonest_dates(
    app, monkeypatch, create_user, create_vendor
):
    monkeypatch.setattr(services, "MAX_EVENTS", 3)
    owner = create_user(Role.OWNER)
    for days in (5, 1, 4, 2, 3):
        create_vendor(owner=owner, review_due_on=TODAY + timedelta(days=days))
    with app.app_context():
        found = deadlines_for(owner, TODAY)
    assert [d.on for d in found] == [TODAY + timedelta(days=n) for n in (1, 2, 3)]


def test_a_secret_opens_only_its_users_feed_and_only_its_hash_is_kept(app, create_user):
    alice_id, bob_id = create_user(Role.OWNER).id, create_user(Role.OWNER).id
    with app.app_context():
        alice, bob = db.session.get(User, alice_id), db.session.get(User, bob_id)
        token = issue_token(alice)
        issue_token(bob)

        assert len(token) == 43
        assert alice.calendar_token_hash == token_hash(token) != token
        assert user_for_token(token) == alice
        assert user_for_token(token + "x") is None
        assert user_for_token("") is None


def test_issuing_again_replaces_the_secret(app, create_user):
    user_id = create_user(Role.OWNER).id
    with app.app_context():
        user = db.session.get(User, user_id)
        first = issue_token(user)
        second = issue_token(user)
        assert first != second
        assert user_for_token(first) is None
        assert user_for_token(second) == user


def test_a_revoked_or_deactivated_users_secret_opens_nothing(app, create_user):
    user_id = create_user(Role.OWNER).id
    with app.app_context():
        user = db.session.get(User, user_id)
        token = issue_token(user)
        user.active = False
        assert user_for_token(token) is None
        user.active = True
        revoke_token(user)
        assert user.calendar_token_hash is None
        assert user_for_token(token) is None
