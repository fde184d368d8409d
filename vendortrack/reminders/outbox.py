"""Reading the outbox for the Sent mail page: what waits, what was sent, what a message carried."""

from sqlalchemy import func, select

from vendortrack.accounts.models import User
from vendortrack.extensions import db
from vendortrack.paging import Page, page_number
from vendortrack.register.models import Vendor
from vendortrack.reminders.models import MailMessage, Reminder, ReminderStatus


def waiting_recipients(limit: int) -> list:
    """Per person, the pending reminders the mail server has not taken yet, soonest retry first."""
    return db.session.execute(
        select(
            User.name,
            User.email,
            func.count(Reminder.id).label("reminders"),
            func.max(Reminder.attempts).label("attempts"),
            # One digest's rows are deferred together with the same error, so any row says it.
            func.max(Reminder.last_error).label("last_error"),
            func.min(Reminder.next_attempt_at).label("next_attempt_at"),
        )
        .join(User, Reminder.recipient_id == User.id)
        .where(Reminder.status == ReminderStatus.PENDING, Reminder.attempts > 0)
        .group_by(Reminder.recipient_id, User.name, User.email)
        .order_by(func.min(Reminder.next_attempt_at), Reminder.recipient_id)
        .limit(limit)
    ).all()


def message_page(requested: int, per_page: int) -> Page:
    """One page of the messages, newest first: a count and a page of rows, bodies left out."""
    total = db.session.scalar(select(func.count()).select_from(MailMessage))
    # A page that is not a number was read as 1; below 1 is 1, past the end is the last page.
    page = page_number(requested, total, per_page)
    carried = (
        select(func.count(Reminder.id))
        .where(Reminder.message_id == MailMessage.id)
        .correlate(MailMessage)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            MailMessage.id,
            MailMessage.created_at,
            MailMessage.to_address,
            MailMessage.subject,
            MailMessage.status,
            MailMessage.transport,
            carried.label("reminders"),
        )
        .order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(rows, total, page, per_page)


def carried_reminders(message_id: int) -> list:
    return db.session.execute(
        select(
            Reminder.topic,
            Reminder.kind,
            Reminder.due_on,
            Reminder.status,
            Vendor.id.label("vendor_id"),
            Vendor.name.label("vendor_name"),
        )
        .join(Vendor, Reminder.vendor_id == Vendor.id)
        .where(Reminder.message_id == message_id)
        .order_by(Reminder.due_on, Vendor.name, Reminder.id)
    ).all()
