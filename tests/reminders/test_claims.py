"""How a sweep claims reminders while another sweep holds some of them (PostgreSQL row locks)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, select, text, update

from tests.helpers import app_context, at
from vendortrack.accounts.models import Role
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.reminders.models import Reminder
from vendortrack.reminders.planning import plan_reminders
from vendortrack.reminders.sweep import CLAIM_LEASE, _claim, _keep_claim


@pytest.fixture
def two_people_due(app, create_user, due_vendor):
    people = [create_user(Role.OWNER, email=f"p{n}@example.org") for n in (1, 2)]
    for person in people:
        due_vendor(person, review=date(2026, 12, 2))
    with app_context(app):
        plan_reminders(date(2026, 12, 1), at("2026-12-01 08:00"))
    return people


def test_a_claim_returns_its_token_and_then_nothing_is_left(app, two_people_due):
    with app.app_context():
        token = _claim(at("2026-12-01 08:00"))
        claimed = db.session.scalars(
            select(Reminder.recipient_id).where(Reminder.claim_token == token)
        )
        assert sorted(claimed) == sorted(person.id for person in two_people_due)
        assert _claim(at("2026-12-01 08:00")) is None


@pytest.mark.slow  # PostgreSQL only
def test_a_claim_passes_over_rows_another_sweep_has_locked(app, two_people_due):
    first, second = two_people_due
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks are PostgreSQL's; SQLite runs one write at a time")
        # Another sweep, in its own connection, is in the midst of claiming the first person's rows.
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with other.connect() as connection:
            connection.execute(
                text("SELECT id FROM reminders WHERE recipient_id = :id FOR UPDATE"),
                {"id": first.id},
            )
            # Without SKIP LOCKED the claim would wait for that sweep; fail fast instead of hanging.
            db.session.execute(text("SET LOCAL lock_timeout = '2s'"))
            token = _claim(at("2026-12-01 08:00"))
            connection.rollback()
        other.dispose()

        claimed = db.session.scalars(
            select(Reminder.recipient_id).where(Reminder.claim_token == token)
        )
        assert set(claimed) == {second.id}
        left = _claim(at("2026-12-01 08:00"))  # once the other sweep let go, its rows are free
        assert set(
            db.session.scalars(select(Reminder.recipient_id).where(Reminder.claim_token == left))
        ) == {first.id}


def test_a_live_sweep_renews_its_claim_before_it_looks_dead(app, two_people_due):
    with app.app_context():
        token = _claim(at("2026-12-01 08:00"))
        long_ago = utcnow() - CLAIM_LEASE + timedelta(minutes=1)  # a slow batch, nearly expired
        db.session.execute(update(Reminder).values(claimed_at=long_ago))
        db.session.commit()

        assert _keep_claim(token, since=utcnow()) < utcnow()  # fresh enough: nothing written
        assert _claim(at("2026-12-01 08:00")) is None
        renewed = _keep_claim(token, since=long_ago)
        claimed_at = db.session.scalars(select(Reminder.claimed_at)).all()
        assert claimed_at == [renewed, renewed]


def test_a_sweep_that_stalled_past_the_lease_stops_when_its_rows_were_taken(app, two_people_due):
    with app.app_context():
        token = _claim(at("2026-12-01 08:00"))
        stale = utcnow() - CLAIM_LEASE - timedelta(minutes=1)
        db.session.execute(update(Reminder).values(claimed_at=stale))
        db.session.commit()
        taken = _claim(at("2026-12-01 08:00"))  # another sweep takes the stale rows over
        assert taken is not None
        assert _keep_claim(token, since=stale) is None
        assert set(db.session.scalars(select(Reminder.claim_token))) == {taken}
