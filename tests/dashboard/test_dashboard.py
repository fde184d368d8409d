"""The dashboard's figures, charts and page."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from vendortrack.accounts.models import Role
from vendortrack.dashboard import figures
from vendortrack.dashboard.models import ComplianceSnapshot
from vendortrack.dashboard.svg import bar_chart, line_chart
from vendortrack.extensions import db
from vendortrack.i18n import local_today
from vendortrack.register.models import Level, Vendor, VendorStatus

TODAY = date(2026, 12, 1)
SHARES = [{"category": "identity_contact", "locations": ["CA-ON"]}]


@pytest.fixture
def dashboard(app):
    return app


@pytest.fixture
def vendors(dashboard, create_vendor):
    """One overdue, one needing action (information shared, nothing signed), one terminated."""

    overdue = create_vendor(review_due_on=TODAY - timedelta(days=3), sharings=SHARES)
    action = create_vendor(review_due_on=TODAY + timedelta(days=200), sharings=SHARES)
    gone = create_vendor(status=VendorStatus.TERMINATED, review_due_on=TODAY - timedelta(days=9))
    return overdue, action, gone


def test_status_counts_leave_out_terminated_vendors(app, vendors):
    with app.app_context():
        assert figures.status_counts(TODAY) == {"overdue": 1, "action": 1, "compliant": 0}


def test_tier_counts_cover_every_tier_highest_first(dashboard, create_vendor):
    create_vendor(risk_override=Level.CRITICAL)
    create_vendor(risk_override=Level.CRITICAL)
    create_vendor(status=VendorStatus.TERMINATED, risk_override=Level.CRITICAL)
    with dashboard.app_context():
        counts = figures.tier_counts()
    assert list(counts) == [Level.CRITICAL, Level.HIGH, Level.MEDIUM, Level.LOW]
    assert counts[Level.CRITICAL] == 2


def test_reviews_fold_into_the_twelve_months_ahead():
    due = [
        (date(2026, 11, 30), 5),  # yesterday: overdue, not due
        (date(2026, 12, 1), 1),
        (date(2026, 12, 31), 2),
        (date(2027, 2, 14), 3),
        (date(2027, 11, 30), 4),
        (date(2027, 12, 1), 6),  # the thirteenth month
    ]
    months = figures.fold_months(due, TODAY)
    assert len(months) == 12
    assert months[0] == (date(2026, 12, 1), 3)
    assert months[1] == (date(2027, 1, 1), 0)
    assert months[2] == (date(2027, 2, 1), 3)
    assert months[-1] == (date(2027, 11, 1), 4)


def test_reviews_by_month_counts_live_vendors_from_today(app, vendors, create_vendor):
    create_vendor(review_due_on=date(2027, 1, 20))
    create_vendor(review_due_on=date(2027, 1, 2), status=VendorStatus.TERMINATED)
    with app.app_context():
        months = dict(figures.reviews_by_month(TODAY))
    assert months[date(2027, 1, 1)] == 1
    assert months[date(2027, 6, 1)] == 1  # the "action" vendor, 200 days on
    assert sum(months.values()) == 2


def test_lists_of_overdue_reviews_and_near_notice_deadlines(
    app, vendors, create_vendor, create_user
):
    owner = create_user(Role.OWNER, name="Olive Owner")
    soon = create_vendor(name="Soon Ltd", notice_deadline_on=TODAY + timedelta(days=59))
    create_vendor(name="Later Ltd", notice_deadline_on=TODAY + timedelta(days=61))
    with app.app_context():
        db.session.get(Vendor, soon.id).owner_id = owner.id
        db.session.commit()
        overdue = figures.overdue_reviews(TODAY)
        assert [row[0] for row in overdue.rows] == [vendors[0].id]
        assert overdue.total == 1
        notices = figures.notice_deadlines(TODAY)
        assert notices.rows == [(soon.id, "Soon Ltd", TODAY + timedelta(days=59), "Olive Owner")]


def test_data_map_lists_vendors_against_categories(dashboard, create_vendor):
    health = create_vendor(
        name="Clinic", sharings=[*SHARES, {"category": "health", "locations": ["CA"]}]
    )
    plain = create_vendor(name="Plain", sharings=SHARES)
    create_vendor(name="Nothing shared")
    with dashboard.app_context():
        found = figures.data_map()
        assert {v[0] for v in found.vendors} == {health.id, plain.id}
        assert found.vendors[0][0] == health.id  # the riskier first
        assert set(found.categories) == {"identity_contact", "health"}
        assert found.cells == {
            (health.id, "identity_contact"),
            (health.id, "health"),
            (plain.id, "identity_contact"),
        }
        assert figures.category_counts() == {"identity_contact": 2, "health": 1}


def test_snapshot_is_one_per_day_and_retaken(app, vendors, create_vendor):
    with app.app_context():
        figures.take_snapshot(TODAY)
        db.session.commit()
        create_vendor(review_due_on=TODAY - timedelta(days=1))
        figures.take_snapshot(TODAY)
        db.session.commit()
        rows = db.session.scalars(db.select(ComplianceSnapshot)).all()
        assert len(rows) == 1
        assert (rows[0].total, rows[0].overdue, rows[0].action) == (3, 2, 1)


def test_snapshots_are_the_window_oldest_first(dashboard):
    with dashboard.app_context():
        for days_ago, compliant in ((200, 1), (10, 2), (1, 3)):
            day = TODAY - timedelta(days=days_ago)
            figures.record_snapshot(
                day, {"compliant": compliant, "action": 4 - compliant, "overdue": 0}
            )
        db.session.commit()
        kept = figures.snapshots(TODAY)
        assert [s.compliant for s in kept] == [2, 3]
        assert kept[-1].compliant_share == 75


def draw(app, macro: str, chart) -> str:
    """The chart's markup, as the dashboard's template draws it."""
    return str(getattr(app.jinja_env.get_template("dashboard/_charts.html").module, macro)(chart))


def test_bars_are_as_long_as_their_values_and_labels_are_cut():
    long = "Identity and contact details of customers"
    chart = bar_chart([(long, 4, "/a"), ("Two", 2, None), ("None", 0, None)], "Title", ["#f00"])
    assert [bar.length for bar in chart.bars] == [250, 125, 0]
    assert [bar.top for bar in chart.bars] == [5, 31, 57]
    assert chart.height == 3 * 26 + 4
    assert chart.bars[0].label == long
    assert chart.bars[0].short_label == "Identity and contact deta…"
    assert {bar.fill for bar in chart.bars} == {"#f00"}
    assert bar_chart([], "Empty").height == 30


def test_line_chart_places_days_across_and_shares_up():
    chart = line_chart(
        [(date(2026, 1, 1), 0.0), (date(2026, 1, 3), 50.0), (date(2026, 1, 5), 140.0)],
        "Share",
        day_label=lambda day: day.strftime("%d/%m"),
    )
    assert [(p.x, p.y) for p in chart.points] == [(40, 172), (254, 91), (468, 10)]
    assert [(t.percent, t.y) for t in chart.ticks] == [(0, 172), (50, 91), (100, 10)]
    assert [(d.text, d.x, d.anchor) for d in chart.day_labels] == [
        ("01/01", 40, "start"),
        ("05/01", 468, "end"),
    ]
    single = line_chart([(date(2026, 1, 1), 25.0)], "Share")
    assert [(p.x, p.day) for p in single.points] == [(254, "2026-01-01")]
    assert len(single.day_labels) == 1
    assert line_chart([], "Share").day_labels == []


def test_bar_chart_escapes_labels_and_links(dashboard):
    svg = draw(dashboard, "bar_chart", bar_chart([("<script>", 3, "/vendors/?a=1&b=2")], "T"))
    assert "<script>" not in svg
    assert "<title>&lt;script&gt;: 3</title>" in svg
    assert 'href="/vendors/?a=1&amp;b=2"' in svg
    assert svg.count("<rect") == 1


def test_line_chart_draws_a_point_per_day(dashboard):
    chart = line_chart([(date(2026, 1, 1), 50.0), (date(2026, 1, 2), 100.0)], "Share")
    svg = draw(dashboard, "line_chart", chart)
    assert svg.count("<circle") == 2
    assert 'points="40.0,91.0 468.0,10.0"' in svg
    assert "<title>2026-01-02: 100%</title>" in svg


def test_chart_labels_from_users_are_escaped_once(dashboard, signed_in, create_vendor):
    """A category named by a user, with <, & and quotes, reads as typed: not as markup, and not
    as escaped twice (`&amp;lt;` shows as `&lt;` on the page)."""
    name = 'R&D <notes> "a" l\'équipe'
    create_vendor(sharings=[{"category": name}])
    html = signed_in(Role.MANAGER).get("/dashboard").get_data(as_text=True)
    chart = html[html.index('id="chart-category"') :]
    chart = chart[chart.index("<svg") : chart.index("</svg>")]
    escaped = "R&amp;D &lt;notes&gt; &#34;a&#34; l&#39;équipe"
    assert f"<title>{escaped}: 1</title>" in chart
    assert f">{escaped}</text>" in chart  # 24 characters: not cut
    assert "<notes>" not in chart
    assert "&amp;amp;" not in chart
    assert "&amp;lt;" not in chart


def test_page_shows_figures_and_records_todays_snapshot(dashboard, signed_in, create_vendor):
    with dashboard.app_context():
        today = local_today()
    named = create_vendor(name="<script>x</script> Inc", sharings=SHARES)
    create_vendor(review_due_on=today - timedelta(days=2))
    response = signed_in(Role.MANAGER).get("/dashboard")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>x" not in html
    assert "/vendors/?compliance=overdue" in html
    assert "/vendors/?risk=" in html
    assert "/vendors/?category=identity_contact" in html
    assert "Show the numbers" in html
    # The data map: a cell opens the vendor, a column the list of vendors receiving that kind.
    data_map = html[html.index('id="data-map"') :]
    assert f'href="/vendors/{named.id}" title="&lt;script&gt;x&lt;/script&gt; Inc: ' in data_map
    assert 'href="/vendors/?category=identity_contact"' in data_map
    assert ' style="' not in html
    with dashboard.app_context():
        snapshot = db.session.get(ComplianceSnapshot, today)
        assert (snapshot.total, snapshot.overdue) == (2, 1)
        # The line draws the stored snapshots, not a recount.
        db.session.add(
            ComplianceSnapshot(
                day=today - timedelta(days=5), total=4, compliant=1, action=3, overdue=0
            )
        )
        db.session.commit()
    html = signed_in(Role.MANAGER).get("/dashboard").get_data(as_text=True)
    assert html.count("<circle") == 2
    assert ">25%<" in html


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LEGAL, Role.MANAGER])
def test_page_opens_for_those_who_manage_the_register(dashboard, signed_in, role):
    assert signed_in(role).get("/dashboard").status_code == 200


def test_page_is_refused_to_owners(dashboard, signed_in):
    assert signed_in(Role.OWNER).get("/dashboard").status_code == 403


def test_queries_do_not_grow_with_the_register(dashboard, signed_in, create_vendor, count_queries):
    client = signed_in(Role.ADMIN)
    client.get("/dashboard")  # today's snapshot taken: later visits only read
    with dashboard.app_context():
        today = local_today()

    def add(n):
        for i in range(n):
            create_vendor(
                sharings=SHARES,
                review_due_on=today + timedelta(days=i * 9 - 30),
                notice_deadline_on=today + timedelta(days=i),
            )

    add(5)
    few = count_queries(lambda: client.get("/dashboard"))
    add(35)
    many = count_queries(lambda: client.get("/dashboard"))
    assert few == many


def test_the_daily_run_takes_the_days_snapshot(app, smtp):
    from vendortrack.dashboard.models import ComplianceSnapshot
    from vendortrack.scheduler import daily_run

    daily_run(app)
    with app.app_context():
        assert db.session.scalars(select(ComplianceSnapshot)).one().total >= 0


@pytest.mark.parametrize(
    ("role", "home"),
    [(Role.MANAGER, "/dashboard"), (Role.LEGAL, "/dashboard"), (Role.OWNER, "/vendors/")],
)
def test_the_home_page_is_the_dashboard_for_those_who_may_see_it(signed_in, role, home):
    assert signed_in(role).get("/").location.endswith(home)
