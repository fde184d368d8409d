"""Who is reminded of what, and when. Pure: dates and people in, stages and recipients out.

A stage is a window of days, not a single day: a sweep that did not run for a week finds each
thing in the stage it has reached and reminds of it once, rather than once per missed day or
not at all.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# Reviews: 30 days ahead, 7 days ahead, on the day, then every week while overdue.
REVIEW_AHEAD_DAYS = (30, 7)
# From this many days overdue, the managers hear of it too.
ESCALATE_AFTER_DAYS = 14
# Contract notice deadlines: 60, 30 and 7 days ahead (the last stage runs to the deadline).
NOTICE_AHEAD_DAYS = (60, 30, 7)
# A vendor's documents: 60 and 30 days before the last day they are good for, and on the day.
DOCUMENT_AHEAD_DAYS = (60, 30, 0)
# A sub-processor change awaiting a decision: legal hears this many days before objections close.
OBJECTION_AHEAD_DAYS = 7
# Retrying a message the mail server did not take: 5 minutes, then three times longer each time,
# never more than 6 hours apart.
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)


def review_stage(due_on: date, today: date) -> str | None:
    """The reminder a review due on `due_on` calls for today: in_30, in_7, due, overdue_<weeks>."""
    days_left = (due_on - today).days
    for ahead, following in zip(REVIEW_AHEAD_DAYS, (*REVIEW_AHEAD_DAYS[1:], 0), strict=True):
        if following < days_left <= ahead:
            return f"in_{ahead}"
    if days_left > 0:
        return None
    weeks_overdue = -days_left // 7
    return "due" if weeks_overdue == 0 else f"overdue_{weeks_overdue}"


def escalates(due_on: date, today: date) -> bool:
    return (today - due_on).days >= ESCALATE_AFTER_DAYS


def notice_stage(deadline: date, today: date) -> str | None:
    """notice_60, notice_30 or notice_7 while the last day to give notice approaches."""
    days_left = (deadline - today).days
    if days_left < 0:
        return None  # the deadline has passed: the contract's status and review say the rest
    for ahead, following in zip(NOTICE_AHEAD_DAYS, (*NOTICE_AHEAD_DAYS[1:], -1), strict=True):
        if following < days_left <= ahead:
            return f"notice_{ahead}"
    return None


def document_stage(expires_on: date, today: date) -> str | None:
    """expires_60, expires_30 or expires_0 as a document's last good day approaches; none once
    it has passed (the compliance status says the rest)."""
    days_left = (expires_on - today).days
    following = (*DOCUMENT_AHEAD_DAYS[1:], -1)
    for ahead, after in zip(DOCUMENT_AHEAD_DAYS, following, strict=True):
        if after < days_left <= ahead:
            return f"expires_{ahead}"
    return None


def objection_stage(deadline: date, today: date) -> str | None:
    """objection_7 from a week before the last day to object, through that day."""
    days_left = (deadline - today).days
    return f"objection_{OBJECTION_AHEAD_DAYS}" if 0 <= days_left <= OBJECTION_AHEAD_DAYS else None


def condition_stage(due_on: date, today: date) -> str | None:
    return "condition_due" if today >= due_on else None


@dataclass(frozen=True)
class Person:
    id: int
    email: str | None
    active: bool

    @property
    def reachable(self) -> bool:
        return self.active and bool(self.email and "@" in self.email)


def recipients(
    owner: Person | None, managers: Sequence[Person], escalate: bool = False
) -> list[tuple[int, str]]:
    """(user id, reason) for each person to remind: the owner if they can be reached, else the
    managers; the managers as well when the matter is escalated."""
    if owner is not None and owner.reachable:
        chosen = [(owner.id, "owner")]
        if escalate:
            chosen += [(m.id, "escalation") for m in managers if m.id != owner.id]
        return chosen
    reason = "no_owner" if owner is None else "owner_unreachable"
    return [(m.id, reason) for m in managers]


def next_attempt(now: datetime, attempts: int) -> datetime:
    """When to try again after `attempts` failed tries."""
    delay = FIRST_RETRY * 3 ** max(attempts - 1, 0) if attempts < 10 else LONGEST_RETRY
    return now + min(delay, LONGEST_RETRY)
