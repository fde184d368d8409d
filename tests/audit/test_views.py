"""The audit trail page and its CSV export: administrators only, filters by person, vendor,
action, kind of record and local days, pages in a fixed number of queries, and no way to change
or remove an entry.

Most entries are inserted directly, dated 2020 and earlier, so that the entries the fixtures record
today (creating users and vendors) stay out of the way or are filtered out.
"""

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests.helpers import app_context
from vendortrack.accounts.models import Role
from vendortrack.audit.labels import ACTION_LABELS, ENTITY_LABELS
from vendortrack.audit.queries import ACTIONS, entities
from vendortrack.extensions import db
from vendortrack.trail.models import AuditEntry

START = datetime(2020, 6, 1, 12, 0, tzinfo=UTC)
YEAR_2020 = {"start": "2020-01-01", "end": "2020-12-31"}
HEADER = [
    "time_utc",
    "user_email",
    "ip_address",
    "actor",
    "action",
    "entity",
    "entity_id",
    "vendor_id",
    "vendor_name",
    "changes",
]


def shown(response) -> list[int]:
    """The ids of the entries on the page, top to bottom."""
    assert response.status_code == 200
    return [int(n) for n in re.findall(r'<tr id="entry-(\d+)">', response.text)]


def row_text(response, entry) -> str:
    """What a reader sees in an entry's row, tags removed and spaces collapsed."""
    match = re.search(rf'<tr id="entry-{entry.id}">(.*?)</tr>', response.text, re.S)
    assert match, f"entry {entry.id} is not on the page"
    return " ".join(unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())


def notice(response) -> str | None:
    match = re.search(r'class="alert alert-warning"[^>]*>(.*?)</div>', response.text, re.S)
    return unescape(match.group(1)) if match else None


def link_args(response, label) -> dict:
    """The query arguments of the link with this text."""
    links = re.findall(r'<a class="[^"]*" href="([^"]+)">([^<]+)</a>', response.text)
    [href] = [href for href, text in links if text == label]
    return parse_qs(urlsplit(unescape(href)).query)


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # spreadsheets open the file as UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


@pytest.fixture
def add_entries(app):
    """add_entries(count=1, **values) -> `count` entries one minute apart from START (the last is
    the newest), as the recorder would write them, loaded as the factories return rows."""

    def add(count=1, **values) -> list[AuditEntry]:
        entries = []
        for n in range(count):
            fields = {
                "at": START + timedelta(minutes=n),
                "user_email": "someone@example.org",
                "ip_address": "192.0.2.1",
                "action": "update",
                "entity": "vendor",
                "entity_id": 1,
                "changes": {},
            }
            fields.update(values)
            entries.append(AuditEntry(**fields))
        with app_context(app):
            db.session.add_all(entries)
            db.session.flush()
            ids = [e.id for e in entries]
            db.session.commit()
            # The commit expired them: one query reads them all again (loaded() would take one
            # each, and a test adds 2,500).
            db.session.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids))).all()
        return entries

    return add


@pytest.fixture
def add_entry(add_entries):
    """add_entry(**values) -> one entry, as add_entries makes them."""

    def add(**values) -> AuditEntry:
        return add_entries(1, **values)[0]

    return add


@pytest.fixture
def admin(signed_in):
    return signed_in(Role.ADMIN)


# --- the page -------------------------------------------------------------------------------


def test_administrators_see_who_changed_what_when_and_from_where(admin, create_vendor, add_entry):
    vendor = create_vendor(name="Paie & Cie")
    entry = add_entry(
        at=datetime(2026, 3, 2, 13, 0, tzinfo=UTC),
        user_id=admin.user.id,
        user_email=admin.user.email,
        ip_address="203.0.113.9",
        entity="data_sharing",
        entity_id=7,
        vendor_id=vendor.id,
        changes={"purpose": ["Payroll", "Payroll and benefits"], "notes": [None, "Added"]},
    )
    response = admin.get("/audit")
    text = row_text(response, entry)
    assert "8:00:00" in text  # 13:00 UTC is 8 am in Toronto, the organisation's time zone
    assert admin.user.email in text
    assert "203.0.113.9" in text
    assert "Changed" in text
    assert "Data sharing row #7" in text
    assert "purpose: Payroll → Payroll and benefits" in text
    assert "notes: (empty) → Added" in text
    assert f'<a class="small" href="/vendors/{vendor.id}">Paie &amp; Cie</a>' in response.text


def test_changes_show_values_as_recorded_and_leave_out_fields_empty_on_both_sides(admin, add_entry):
    entry = add_entry(
        action="create",
        entity="data_sharing",
        changes={
            "data_subjects": [None, ["customers", "employees"]],
            "retention_months": [None, 24],
            "sensitive": [None, True],
            "notes": [None, ""],
            "consent_notes": ["", None],
        },
    )
    text = row_text(admin.get("/audit"), entry)
    assert 'data_subjects: (empty) → ["customers", "employees"]' in text
    assert "retention_months: (empty) → 24" in text
    assert "sensitive: (empty) → true" in text
    assert "notes" not in text


def test_entries_are_listed_newest_first(admin, add_entries):
    older, newer = add_entries(2)
    ids = shown(admin.get("/audit", query_string=YEAR_2020))
    assert ids == [newer.id, older.id]


def test_an_entry_without_a_person_says_where_it_came_from(admin, add_entry):
    command = add_entry(user_email=None, ip_address=None)
    anonymous = add_entry(user_email=None, ip_address="198.51.100.4")
    response = admin.get("/audit")
    assert "Command line" in row_text(response, command)
    assert "Not signed in" in row_text(response, anonymous)


def test_a_deleted_vendor_is_named_by_its_number_without_a_link(admin, add_entry):
    entry = add_entry(action="delete", entity="review", entity_id=3, vendor_id=424242)
    response = admin.get("/audit")
    assert "Review #3 Vendor #424242" in row_text(response, entry)
    assert "/vendors/424242" not in response.text


def test_a_view_shows_no_changes(admin, create_vendor, add_entry):
    vendor = create_vendor()
    entry = add_entry(action="view", entity="vendor", entity_id=vendor.id, vendor_id=vendor.id)
    text = row_text(admin.get("/audit"), entry)
    assert text.endswith(f"Viewed Vendor #{vendor.id} {vendor.name} only this vendor")


@pytest.mark.parametrize("role", [Role.LEGAL, Role.MANAGER, Role.OWNER])
def test_only_administrators_open_the_trail(signed_in, add_entry, role):
    add_entry()
    client = signed_in(role)
    assert client.get("/audit").status_code == 403
    assert client.get("/audit.csv").status_code == 403
    assert 'href="/audit"' not in client.get("/vendors/").text


def test_the_menu_links_administrators_to_the_trail(admin):
    assert 'href="/audit">Audit trail</a>' in admin.get("/vendors/").text


def test_signing_in_is_needed(client, create_user):
    create_user(Role.ADMIN)
    for path in ("/audit", "/audit.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert urlsplit(response.location).path == "/login"


# --- filters --------------------------------------------------------------------------------


def test_filter_by_person(admin, create_user, add_entry):
    ana, ben = create_user(), create_user()
    by_ana = add_entry(user_id=ana.id, user_email=ana.email)
    by_ben = add_entry(user_id=ben.id, user_email=ben.email)
    assert shown(admin.get(f"/audit?user={ana.id}")) == [by_ana.id]
    assert shown(admin.get(f"/audit?user={ben.id}")) == [by_ben.id]


def test_the_person_filter_offers_everyone_with_an_account(admin, create_user):
    gone = create_user(name="Zoé Gone", active=False)
    response = admin.get(f"/audit?user={gone.id}")
    assert f'<option value="{gone.id}" selected>Zoé Gone ({gone.email})</option>' in response.text


def test_filter_by_vendor(admin, create_vendor, add_entry):
    first, second = create_vendor(), create_vendor()
    about_first = add_entry(entity="data_sharing", vendor_id=first.id)
    about_second = add_entry(entity="data_sharing", vendor_id=second.id)
    ids = shown(admin.get(f"/audit?vendor={first.id}"))
    assert about_first.id in ids
    assert about_second.id not in ids


def test_filter_by_a_vendor_since_deleted(admin, add_entry):
    entry = add_entry(action="delete", vendor_id=424242)
    add_entry(vendor_id=424243)
    response = admin.get("/audit?vendor=424242")
    assert shown(response) == [entry.id]
    assert '<option value="424242" selected>Vendor #424242</option>' in response.text


def test_filter_by_action(admin, add_entry):
    viewed = add_entry(action="view")
    deleted = add_entry(action="delete")
    assert shown(admin.get("/audit?action=view")) == [viewed.id]
    assert shown(admin.get("/audit?action=delete")) == [deleted.id]


def test_filter_by_kind_of_record(admin, add_entry):
    addendum = add_entry(entity="addendum")
    add_entry(entity="review")
    assert shown(admin.get("/audit?entity=addendum")) == [addendum.id]


def test_filters_combine(admin, create_user, add_entry):
    ana = create_user()
    wanted = add_entry(user_id=ana.id, user_email=ana.email, action="delete")
    add_entry(user_id=ana.id, user_email=ana.email, action="update")
    add_entry(action="delete")
    assert shown(admin.get(f"/audit?user={ana.id}&action=delete")) == [wanted.id]


def test_days_are_the_organisations_local_days(admin, add_entry):
    # Toronto is five hours behind UTC on 1 March 2026.
    late_evening = add_entry(at=datetime(2026, 3, 2, 4, 59, tzinfo=UTC))  # 23:59, 1 March
    midnight = add_entry(at=datetime(2026, 3, 2, 5, 0, tzinfo=UTC))  # 00:00, 2 March
    assert shown(admin.get("/audit?start=2026-03-01&end=2026-03-01")) == [late_evening.id]
    assert shown(admin.get("/audit?start=2026-03-02&end=2026-03-02")) == [midnight.id]
    assert shown(admin.get("/audit?start=2026-03-01&end=2026-03-02")) == [
        midnight.id,
        late_evening.id,
    ]
    assert late_evening.id in shown(admin.get("/audit?end=2026-03-01"))
    assert midnight.id not in shown(admin.get("/audit?end=2026-03-01"))


def test_a_day_when_the_clocks_change_ends_at_local_midnight(admin, add_entry):
    # 8 March 2026 is 23 hours long in Toronto: the next day starts at 04:00 UTC, not 05:00.
    last_minute = add_entry(at=datetime(2026, 3, 9, 3, 59, tzinfo=UTC))
    next_day = add_entry(at=datetime(2026, 3, 9, 4, 0, tzinfo=UTC))
    assert shown(admin.get("/audit?start=2026-03-08&end=2026-03-08")) == [last_minute.id]
    assert shown(admin.get("/audit?start=2026-03-09&end=2026-03-09")) == [next_day.id]


def test_no_match_says_so(admin):
    response = admin.get("/audit?start=1999-01-01&end=1999-01-01")
    assert shown(response) == []
    assert "No entry matches these filters." in response.text


@pytest.mark.parametrize(
    ("name", "value", "label"),
    [
        ("user", "abc", "person"),
        ("user", "0", "person"),
        ("user", "²", "person"),
        ("user", "99999999999999999999999", "person"),
        ("vendor", "-1", "vendor"),
        ("vendor", "9999999999", "vendor"),
        ("action", "purge", "action"),
        ("entity", "password", "kind of record"),
        ("start", "2026-02-30", "first day"),
        ("start", "yesterday", "first day"),
        ("start", "2026-3-1", "first day"),
        ("start", "２０２６-03-01", "first day"),
        ("end", "9999-12-31", "last day"),
        ("end", "20260301", "last day"),
    ],
)
def test_a_filter_not_understood_is_ignored_with_a_notice(admin, add_entry, name, value, label):
    entry = add_entry()
    response = admin.get("/audit", query_string={name: value})
    assert entry.id in shown(response)  # the filter is not applied
    assert notice(response) == (
        f"Some filters in the address were not understood and are ignored: {label}."
    )


def test_every_filter_not_understood_is_named_and_the_others_apply(admin, add_entry):
    deleted = add_entry(action="delete")
    add_entry(action="update")
    response = admin.get("/audit?user=x&action=delete&entity=nope&end=soon&page=last")
    assert shown(response) == [deleted.id]
    assert notice(response) == (
        "Some filters in the address were not understood and are ignored: person, kind of "
        "record, last day."
    )


def test_empty_filters_are_no_filters(admin, add_entry):
    entry = add_entry()
    response = admin.get("/audit?user=&vendor=&action=&entity=&start=&end=")
    assert entry.id in shown(response)
    assert notice(response) is None


# --- pages ----------------------------------------------------------------------------------


def test_pages_of_fifty_newest_first_keep_the_filters(admin, add_entries):
    entries = add_entries(60)
    newest_first = [e.id for e in reversed(entries)]
    first = admin.get("/audit", query_string=YEAR_2020)
    assert shown(first) == newest_first[:50]
    assert "60 entries" in first.text
    assert "Page 1 of 2" in first.text
    following = link_args(first, "Next")
    assert following == {"start": ["2020-01-01"], "end": ["2020-12-31"], "page": ["2"]}
    assert shown(admin.get("/audit", query_string=following)) == newest_first[50:]
    # A page past the end shows the last one: a bookmark outlives entries filtered away.
    assert shown(admin.get("/audit", query_string={**YEAR_2020, "page": "9"})) == newest_first[50:]


def test_a_page_takes_as_many_queries_for_5_entries_as_for_60(
    admin, create_user, create_vendor, count_queries, add_entry
):
    people = [(u.id, u.email) for u in (create_user(), create_user())]
    vendor_ids = [create_vendor().id for _ in range(3)]

    def add(count):
        for n in range(count):
            (user_id, email), vendor_id = people[n % 2], vendor_ids[n % 3]
            add_entry(
                user_id=user_id,
                user_email=email,
                entity="data_sharing",
                vendor_id=vendor_id,
                changes={"purpose": ["a", "b"]},
            )

    add(5)
    few = count_queries(lambda: shown(admin.get("/audit", query_string=YEAR_2020)))
    add(55)
    many = count_queries(lambda: shown(admin.get("/audit", query_string=YEAR_2020)))
    assert len(shown(admin.get("/audit", query_string=YEAR_2020))) == 50
    assert few == many


# --- CSV export -----------------------------------------------------------------------------


def test_the_export_link_keeps_the_filters(admin, create_vendor):
    vendor = create_vendor()
    response = admin.get(f"/audit?vendor={vendor.id}&action=update&start=2020-01-01&page=1")
    assert link_args(response, "Export CSV") == {
        "vendor": [str(vendor.id)],
        "action": ["update"],
        "start": ["2020-01-01"],
    }


def test_the_export_gives_the_filtered_entries_newest_first(admin, create_vendor, add_entry):
    vendor = create_vendor(name="Acme")
    add_entry(
        user_email="ana@example.org",
        ip_address="203.0.113.9",
        action="create",
        entity="data_sharing",
        entity_id=12,
        vendor_id=vendor.id,
        changes={"purpose": [None, "Payroll"]},
    )
    add_entry(at=START + timedelta(hours=1), user_email=None, ip_address=None)
    add_entry(at=datetime(2021, 1, 1, 12, tzinfo=UTC))  # outside the filter

    response = admin.get("/audit.csv", query_string=YEAR_2020)
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="audit-trail.csv"'
    assert read_csv(response) == [
        HEADER,
        ["2020-06-01T13:00:00+00:00", "", "", "", "update", "vendor", "1", "", "", "{}"],
        [
            "2020-06-01T12:00:00+00:00",
            "ana@example.org",
            "203.0.113.9",
            "",
            "create",
            "data_sharing",
            "12",
            str(vendor.id),
            "Acme",
            '{"purpose": [null, "Payroll"]}',
        ],
    ]


def test_an_empty_selection_exports_only_the_header(admin, add_entry):
    add_entry()
    response = admin.get("/audit.csv?start=1999-01-01&end=1999-01-01")
    assert read_csv(response) == [HEADER]


def test_the_export_neutralises_spreadsheet_formulas(admin, create_vendor, add_entry):
    vendor = create_vendor(name='=HYPERLINK("http://evil.example","Acme")')
    add_entry(user_email="@SUM(1+1)@example.org", vendor_id=vendor.id, entity="review")
    [_header, row] = read_csv(admin.get("/audit.csv", query_string=YEAR_2020))
    assert row[HEADER.index("user_email")] == "'@SUM(1+1)@example.org"
    assert row[HEADER.index("vendor_name")] == '\'=HYPERLINK("http://evil.example","Acme")'


def test_the_changes_read_back_as_they_were_recorded(admin, add_entry):
    changes = {
        "purpose": ["Paie", "=1+1 ≠ “payroll”, with, commas\nand a line"],
        "data_subjects": [["customers"], ["customers", "employees"]],
        "retention_months": [24, None],
        "active": [True, False],
        "password_hash": ["(secret)", "(secret)"],
    }
    add_entry(entity="user", changes=changes)
    [_header, row] = read_csv(admin.get("/audit.csv", query_string=YEAR_2020))
    cell = row[HEADER.index("changes")]
    assert json.loads(cell) == changes
    assert list(json.loads(cell)) == sorted(changes)  # keys in a stable order, for diffs


def test_a_long_export_has_every_entry_across_batches(admin, add_entries):
    entries = add_entries(2500)
    rows = read_csv(admin.get("/audit.csv", query_string=YEAR_2020))
    assert len(rows) == 1 + len(entries)
    assert rows[1][0] == "2020-06-03T05:39:00+00:00"  # the newest, 2,499 minutes after START


def test_an_export_of_the_trail_records_the_filters_it_understood(app, admin):
    # The raw address once went into the trail: PostgreSQL refused its NUL, and anyone could
    # write whatever they liked into the record of who took a copy.
    admin.get(
        "/audit.csv", query_string={"action": "view", "junk": "a\x00b", "user": "x"}
    ).get_data()
    with app.app_context():
        exports = db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "export", AuditEntry.entity == "audit_entry"
            )
        ).all()
        assert [e.changes for e in exports] == [{"filters": [None, {"action": "view"}]}]


# --- append-only, labels --------------------------------------------------------------------


def test_no_route_changes_or_removes_an_entry(app, admin, add_entry):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    rules += [r for r in app.url_map.iter_rules() if r.rule.startswith("/audit")]
    assert {r.endpoint for r in rules} == {"audit.index", "audit.export"}
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    entry = add_entry()
    for method in (admin.post, admin.put, admin.patch, admin.delete):
        assert method("/audit").status_code == 405
        assert method(f"/audit/{entry.id}").status_code == 404


def test_every_action_and_kind_of_record_has_a_label(admin):
    assert set(ACTION_LABELS) == set(ACTIONS)
    assert set(ENTITY_LABELS) == set(entities())
    response = admin.get("/audit")
    for label in [*ACTION_LABELS.values(), *ENTITY_LABELS.values()]:
        assert f">{label}</option>" in response.text


def test_exporting_the_trail_is_itself_recorded(app, admin):
    admin.get("/audit.csv?action=view").get_data()
    with app.app_context():
        exports = db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "export", AuditEntry.entity == "audit_entry"
            )
        ).all()
        assert [e.changes for e in exports] == [{"filters": [None, {"action": "view"}]}]


def test_the_vendor_page_links_administrators_to_its_trail(admin, create_vendor):
    vendor = create_vendor()
    assert f'href="/audit?vendor={vendor.id}"' in admin.get(f"/vendors/{vendor.id}").text
