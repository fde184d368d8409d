"""The reminder rules, day by day: stages are windows, so a missed day is caught up once."""

from datetime import UTC, date, datetime, timedelta

import pytest

from vendortrack.reminders.rules import (
    Person,
    condition_stage,
    escalates,
    next_attempt,
    notice_stage,
    recipients,
    review_stage,
)

DUE = date(2026, 12, 15)


@pytest.mark.parametrize(
    ("days_before", "stage"),
    [
        (31, None),
        (30, "in_30"),
        (8, "in_30"),
        (7, "in_7"),
        (1, "in_7"),
        (0, "due"),
        (-6, "due"),
        (-7, "overdue_1"),
        (-13, "overdue_1"),
        (-14, "overdue_2"),
        (-70, "overdue_10"),
    ],
)
def test_review_stages(days_before, stage):
    assert review_stage(DUE, DUE - timedelta(days=days_before)) == stage


def test_a_stage_repeats_weekly_while_overdue_and_never_twice_in_a_week():
    stages = [review_stage(DUE, DUE + timedelta(days=n)) for n in range(0, 35)]
    assert len(set(stages)) == 5  # due, then overdue weeks 1 to 4
    assert all(stages[n] == stages[n - n % 7] for n in range(35))


def test_managers_hear_of_a_review_from_14_days_overdue():
    assert not escalates(DUE, DUE + timedelta(days=13))
    assert escalates(DUE, DUE + timedelta(days=14))


@pytest.mark.parametrize(
    ("days_before", "stage"),
    [
        (61, None),
        (60, "notice_60"),
        (31, "notice_60"),
        (30, "notice_30"),
        (8, "notice_30"),
        (7, "notice_7"),
        (0, "notice_7"),
        (-1, None),
    ],
)
def test_notice_stages(days_before, stage):
    assert notice_stage(DUE, DUE - timedelta(days=days_before)) == stage


def test_a_condition_is_reminded_from_its_due_date():
    assert condition_stage(DUE, DUE - timedelta(days=1)) is None
    assert condition_stage(DUE, DUE) == "condition_due"
    assert condition_stage(DUE, DUE + timedelta(days=40)) == "condition_due"


OWNER = Person(1, "o@example.org", True)
MANAGERS = [Person(2, "m1@example.org", True), Person(3, "m2@example.org", True)]


def test_the_owner_alone_is_reminded_until_escalation():
    assert recipients(OWNER, MANAGERS) == [(1, "owner")]
    assert recipients(OWNER, MANAGERS, escalate=True) == [
        (1, "owner"),
        (2, "escalation"),
        (3, "escalation"),
    ]


@pytest.mark.parametrize(
    "owner",
    [Person(1, "o@example.org", False), Person(1, "", True), Person(1, None, True)],
    ids=["deactivated", "empty address", "no address"],
)
def test_an_owner_who_cannot_be_reached_is_replaced_by_the_managers(owner):
    assert recipients(owner, MANAGERS) == [(2, "owner_unreachable"), (3, "owner_unreachable")]


def test_a_vendor_without_owner_goes_to_the_managers():
    assert recipients(None, MANAGERS, escalate=True) == [(2, "no_owner"), (3, "no_owner")]


def test_retries_back_off_to_six_hours():
    now = datetime(2026, 12, 1, tzinfo=UTC)
    delays = [next_attempt(now, n) - now for n in range(1, 12)]
    assert delays[:4] == [timedelta(minutes=m) for m in (5, 15, 45, 135)]
    assert delays == sorted(delays)
    assert max(delays) == timedelta(hours=6)
