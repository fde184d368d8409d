"""Private calendar feeds: each user's review due dates and notice deadlines as iCalendar."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)
