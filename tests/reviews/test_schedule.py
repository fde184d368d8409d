"""When the next review falls: the policy's interval, brought forward by events and by a contract's
notice deadline. Pure functions: dates in, a date and its reasons out."""

from datetime import date

import pytest

from vendortrack.reviews.schedule import add_months, notice_deadline, review_due

# --- add_months -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year keeps its 29th
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # 29 February a year on, in a common year
        (date(2028, 2, 29), 48, date(2032, 2, 29)),  # and four years on, in the next leap year
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 5, 15), 12, date(2027, 5, 15)),
        (date(2026, 11, 28), 2, date(2027, 1, 28)),  # crosses the year
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 1, 10), 36, date(2029, 1, 10)),
        (date(2026, 6, 1), 0, date(2026, 6, 1)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


# --- notice_deadline ------------------------------------------------------------------------


def test_the_notice_deadline_is_the_contract_end_less_the_notice_period():
    assert notice_deadline(date(2027, 3, 31), 60) == date(2027, 1, 30)


def test_a_contract_without_an_end_has_no_notice_deadline():
    assert notice_deadline(None, 60) is None
    assert notice_deadline(None, None) is None


@pytest.mark.parametrize("notice_days", [None, 0])
def test_without_a_notice_period_the_deadline_is_the_contract_end(notice_days):
    assert notice_deadline(date(2027, 3, 31), notice_days) == date(2027, 3, 31)


# --- review_due -----------------------------------------------------------------------------

START = date(2026, 1, 10)


def test_the_policy_interval_counts_from_the_start():
    due = review_due(START, 24)
    assert due.on == date(2028, 1, 10)
    assert due.reasons == (("policy", {"months": 24, "start": START}),)


def test_an_event_after_the_start_asks_for_a_review_within_30_days():
    due = review_due(START, 24, [("incident", date(2026, 6, 1))])
    assert due.on == date(2026, 7, 1)
    assert [code for code, _params in due.reasons] == ["policy", "incident"]
    assert due.reasons[1] == ("incident", {"on": date(2026, 6, 1)})


def test_the_earliest_of_several_events_wins():
    triggers = [("new_country", date(2026, 9, 1)), ("new_category", date(2026, 3, 1))]
    due = review_due(START, 24, triggers)
    assert due.on == date(2026, 3, 31)
    assert [code for code, _params in due.reasons] == ["policy", "new_country", "new_category"]


def test_an_event_that_would_bring_no_earlier_review_changes_nothing_but_is_listed():
    # Six months from 10 January is 10 July; an event on 1 July asks for 31 July, later.
    due = review_due(START, 6, [("new_category", date(2026, 7, 1))])
    assert due.on == date(2026, 7, 10)
    assert due.reasons[-1] == ("new_category", {"on": date(2026, 7, 1)})


def test_an_event_dated_before_the_start_counts_from_the_start():
    due = review_due(START, 24, [("incident", date(2025, 12, 1))])
    assert due.on == date(2026, 2, 9)


def test_a_near_notice_deadline_brings_the_review_30_days_before_it():
    due = review_due(START, 24, deadline=date(2026, 9, 30))
    assert due.on == date(2026, 8, 31)
    assert due.reasons[-1] == ("renewal", {"deadline": date(2026, 9, 30)})


def test_a_notice_deadline_after_the_next_review_changes_nothing():
    due = review_due(START, 6, deadline=date(2027, 3, 31))
    assert due.on == date(2026, 7, 10)
    assert [code for code, _params in due.reasons] == ["policy"]


def test_a_notice_deadline_within_30_days_of_the_start_never_puts_the_review_before_it():
    due = review_due(START, 24, deadline=date(2026, 1, 20))
    assert due.on == START


def test_a_notice_deadline_already_past_at_the_start_is_ignored():
    due = review_due(START, 24, deadline=date(2025, 12, 31))
    assert due.on == date(2028, 1, 10)
    assert [code for code, _params in due.reasons] == ["policy"]


def test_an_event_and_a_deadline_together_the_earlier_wins_and_both_are_listed():
    due = review_due(START, 24, [("incident", date(2026, 5, 1))], deadline=date(2026, 6, 15))
    assert due.on == date(2026, 5, 16)
    assert [code for code, _params in due.reasons] == ["policy", "incident", "renewal"]
