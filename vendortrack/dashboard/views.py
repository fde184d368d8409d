"""The dashboard: the home page of those who manage the register."""

from babel.dates import format_skeleton
from flask import Blueprint, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from vendortrack.accounts.access import allow
from vendortrack.accounts.models import Role
from vendortrack.compliance.rules import STATUS_LABELS
from vendortrack.dashboard import figures
from vendortrack.dashboard.svg import bar_chart, line_chart
from vendortrack.extensions import db
from vendortrack.i18n import current_language, format_day, local_today
from vendortrack.register.labels import LEVEL_LABELS, category_label

bp = Blueprint("dashboard", __name__)

STATUS_COLOURS = ["#dc3545", "#ffc107", "#198754"]  # overdue, action, compliant


@bp.route("/dashboard")
@allow(Role.ADMIN, Role.LEGAL, Role.MANAGER)
def index():
    today = local_today()
    statuses = figures.status_counts(today)
    if not figures.has_snapshot(today):
        # The first visit of the day records it, so that the line always ends on today.
        figures.record_snapshot(today, statuses)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another request recorded today first, with the same counts
    tables = _tables(today, statuses)
    history = figures.snapshots(today)
    return render_template(
        "dashboard/index.html",
        tables=tables,
        charts=_charts(tables, history),
        history=history,
        overdue=figures.overdue_reviews(today),
        notices=figures.notice_deadlines(today),
        notice_days=figures.NOTICE_DAYS,
        data_map=figures.data_map(),
    )


def _month(day) -> str:
    return format_skeleton("yMMM", day, locale=get_locale())


def _tables(today, statuses) -> dict:
    """Each bar chart's rows as (label, value, link to the list filtered so): the same rows
    its table shows."""
    lang = current_language()
    return {
        "status": [
            (str(STATUS_LABELS[s]), n, url_for("vendors.index", compliance=s))
            for s, n in statuses.items()
        ],
        "tier": [
            (str(LEVEL_LABELS[tier]), n, url_for("vendors.index", risk=tier.code))
            for tier, n in figures.tier_counts().items()
        ],
        "month": [(_month(d), n, None) for d, n in figures.reviews_by_month(today)],
        "category": [
            (category_label(code, lang), n, url_for("vendors.index", category=code))
            for code, n in figures.category_counts().items()
        ],
    }


def _charts(tables, history) -> dict:
    return {
        "status": bar_chart(tables["status"], _("Vendors by compliance status"), STATUS_COLOURS),
        "tier": bar_chart(tables["tier"], _("Vendors by risk tier")),
        "month": bar_chart(tables["month"], _("Reviews due per month")),
        "category": bar_chart(tables["category"], _("Vendors per category of information")),
        "history": line_chart(
            [(s.day, s.compliant_share) for s in history],
            _("Share of compliant vendors"),
            day_label=format_day,
        ),
    }
