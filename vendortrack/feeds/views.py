"""Private calendar feeds: each user's review due dates and notice deadlines as iCalendar."""

from flask import Blueprint, Response, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from vendortrack.accounts.access import public, signed_in
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.feeds.forms import REVOKE, FeedForm
from vendortrack.feeds.services import (
    COVERING_ROLES,
    calendar_for,
    feed_url,
    issue_token,
    revoke_token,
    user_for_token,
)
from vendortrack.i18n import local_today

bp = Blueprint("feeds", __name__)

# Calendar programs poll; a quarter of an hour spares the database without showing stale dates.
FEED_CACHE = "private, max-age=900"


@bp.route("/account/calendar", methods=["GET", "POST"])
@signed_in
def index():
    form = FeedForm()
    if not form.validate_on_submit():
        return _page()
    if form.action.data == REVOKE:
        revoke_token(current_user)
        db.session.commit()
        flash(_("Your calendar feed is turned off: its address no longer works."), "success")
        return redirect(url_for("feeds.index"))
    replaced = current_user.calendar_token_hash is not None
    token = issue_token(current_user)
    db.session.commit()
    # Shown in this answer only, with no redirect: the address would otherwise travel in the
    # session cookie, and since only its hash is kept, no later page can show it again.
    response = make_response(_page(feed_url(token), replaced))
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(new_url: str | None = None, replaced: bool = False):
    return render_template(
        "feeds/index.html",
        new_url=new_url,
        replaced=replaced,
        covers_unowned=current_user.role in COVERING_ROLES,
    )


@bp.route("/calendar/<token>.ics")
@public
def feed(token):
    user = user_for_token(token)
    if user is None:
        # The same bare answer for a mistyped, reset, turned-off or deactivated feed, and not
        # the HTML error page: the reader is a calendar program, and guessing teaches nothing.
        return Response("Not Found\n", status=404, mimetype="text/plain")
    response = Response(calendar_for(user, local_today(), utcnow()), mimetype="text/calendar")
    response.headers["Cache-Control"] = FEED_CACHE
    response.headers["Content-Disposition"] = 'inline; filename="vendortrack.ics"'
    return response
