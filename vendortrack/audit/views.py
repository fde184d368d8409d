"""The administrators' audit trail page and its CSV export.

Both only read: no route edits or deletes an entry (tests/audit/test_views.py walks the URL map).
"""

from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, render_template, request, stream_with_context
from flask_babel import gettext as _

from vendortrack.accounts.access import allow
from vendortrack.accounts.models import Role
from vendortrack.audit.labels import ACTION_LABELS, ENTITY_LABELS, FILTER_LABELS, shown_changes
from vendortrack.audit.queries import (
    EXPORT_COLUMNS,
    entry_page,
    export_rows,
    parse_filters,
    people,
    vendor_name,
)
from vendortrack.register.labels import translated
from vendortrack.spreadsheet import csv_chunks
from vendortrack.trail.recorder import record_export

bp = Blueprint("audit", __name__)

ENTRIES_PER_PAGE = 50


@bp.route("/audit")
@allow(Role.ADMIN)
def index():
    f = read_filters()
    if f.ignored:
        flash(
            _(
                "Some filters in the address were not understood and are ignored: %(names)s.",
                names=", ".join(str(FILTER_LABELS[n]) for n in f.ignored),
            ),
            "warning",
        )
    page = entry_page(f, ENTRIES_PER_PAGE)
    f.page = page.page
    return render_template(
        "audit/index.html",
        f=f,
        page=page,
        people=people(),
        chosen_vendor=vendor_name(f.vendor),
        action_names=translated(ACTION_LABELS),
        entity_names=translated(ENTITY_LABELS),
        shown_changes=shown_changes,
    )


@bp.route("/audit.csv")
@allow(Role.ADMIN)
def export():
    # Streamed: entries are written as the database yields them, however long the trail.
    # Filters not understood are left out silently here; the page named them already.
    f = read_filters()
    rows = export_rows(f)
    # Who took a copy of the trail, and of which part (the filters as understood).
    record_export("audit_entry", f.args())
    return current_app.response_class(
        # With a byte order mark, as the vendor export: spreadsheets then read UTF-8.
        stream_with_context(csv_chunks(rows, bom=True, header=EXPORT_COLUMNS)),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-trail.csv"'},
    )


def read_filters():
    # Days are the organisation's days, the zone in which the page shows every time.
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return parse_filters(request.args, zone)
