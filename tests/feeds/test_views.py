"""The calendar page and the feed itself, read back with `icalendar` as a calendar program would."""

import hashlib
import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import urlsplit

import icalendar
import pytest

from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.register.models import VendorStatus

FEED_URL = re.compile(r'id="feed-url" type="text" value="([^"]+)"')
SOON = date.today() + timedelta(days=10)
LATER = date.today() + timedelta(days=40)


def subscribe(client, action="create") -> str:
    """Press a button on the calendar page; return the feed address the answer shows."""
    page = client.post("/account/calendar", data={"action": action})
    assert page.status_code == 200
    found = FEED_URL.search(page.text)
    assert found, "the page shows no feed address"
    return unescape(found.group(1))


def fetch(app, address):
    """Fetch the feed without any session, as a calendar program does."""
    return app.test_client().get(address)


def read(app, address) -> icalendar.Calendar:
    response = fetch(app, address)
    assert response.status_code == 200, response.status_code
    return icalendar.Calendar.from_ical(response.data)


def summaries(calendar) -> set[str]:
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def both(name) -> set[str]:
    return {f"Review due: {name}", f"Last day to give notice: {name}"}


@pytest.fixture
def dated_vendor(create_vendor):
    """dated_vendor(name, owner, **overrides) -> a vendor with a review and a notice deadline."""

    def make(name, owner, **overrides):
        values = {"review_due_on": SOON, "notice_deadline_on": LATER} | overrides
        return create_vendor(name=name, owner=owner, **values)

    return make


# --- the page -------------------------------------------------------------------------------


def test_the_account_page_leads_to_the_calendar_page(signed_in):
    client = signed_in(Role.OWNER)
    assert 'href="/account/calendar"' in client.get("/account").text
    page = client.get("/account/calendar")
    assert "You have no calendar feed." in page.text
    assert 'value="create"' in page.text
    assert 'value="reset"' not in page.text


def test_creating_the_feed_shows_its_address_once_on_the_base_url(app, signed_in):
    client = signed_in(Role.OWNER)
    address = subscribe(client)

    # The configured address, not the host the request came to (the test client's "localhost").
    assert re.fullmatch(r"http://vendortrack\.test/calendar/[\w-]{43}\.ics", address)
    token = urlsplit(address).path.removeprefix("/calendar/").removesuffix(".ics")
    with app.app_context():
        user = db.session.get(User, client.user.id)
        assert user.calendar_token_hash == hashlib.sha256(token.encode()).hexdigest()
    later = client.get("/account/calendar")
    assert token not in later.text
    assert "Your calendar feed is on." in later.text
    assert 'value="reset"' in later.text
    assert 'value="revoke"' in later.text


def test_the_page_with_the_address_explains_outlook_and_google_and_is_not_stored(signed_in):
    client = signed_in(Role.OWNER)
    page = client.post("/account/calendar", data={"action": "create"})
    assert page.headers["Cache-Control"] == "no-store"
    assert "Subscribe from web" in page.text
    assert "From URL" in page.text
    assert "<script>" not in page.text
    assert "style=" not in page.text


def test_a_post_without_its_csrf_token_is_refused(app, signed_in):
    client = signed_in(Role.OWNER)
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/account/calendar")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    assert client.post("/account/calendar", data={"action": "create"}).status_code == 400
    with app.app_context():
        assert db.session.get(User, client.user.id).calendar_token_hash is None

    response = client.post("/account/calendar", data={"action": "create", "csrf_token": token})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(User, client.user.id).calendar_token_hash is not None


def test_an_unknown_action_changes_nothing(app, signed_in):
    client = signed_in(Role.OWNER)
    response = client.post("/account/calendar", data={"action": "delete-everything"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(User, client.user.id).calendar_token_hash is None


# --- turning off, resetting, deactivating ---------------------------------------------------


def test_resetting_gives_a_new_address_and_the_old_one_stops_working(app, signed_in):
    client = signed_in(Role.OWNER)
    old = subscribe(client)
    page = client.post("/account/calendar", data={"action": "reset"})
    new = FEED_URL.search(page.text).group(1)

    assert new != old
    assert "The old one no longer works" in page.text
    assert fetch(app, old).status_code == 404
    assert fetch(app, new).status_code == 200


def test_turning_the_feed_off_makes_its_address_unknown(app, signed_in):
    client = signed_in(Role.OWNER)
    address = subscribe(client)
    response = client.post("/account/calendar", data={"action": "revoke"}, follow_redirects=True)

    assert "Your calendar feed is turned off" in response.text
    assert "You have no calendar feed." in response.text
    with app.app_context():
        assert db.session.get(User, client.user.id).calendar_token_hash is None
    assert fetch(app, address).status_code == 404


def test_a_deactivated_users_feed_is_unknown(app, signed_in):
    client = signed_in(Role.OWNER)
    address = subscribe(client)
    with app.app_context():
        db.session.get(User, client.user.id).active = False
        db.session.commit()
    assert fetch(app, address).status_code == 404


def test_an_unknown_address_gets_a_bare_404(app, create_user):
    create_user(Role.ADMIN)  # past the first set-up, which every address leads to until then
    response = fetch(app, "/calendar/" + "x" * 43 + ".ics")
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert response.text == "Not Found\n"


# --- the feed -------------------------------------------------------------------------------


def test_the_feed_is_a_private_inline_calendar(app, signed_in):
    response = fetch(app, subscribe(signed_in(Role.OWNER)))
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=900"
    assert response.headers["Content-Disposition"] == 'inline; filename="vendortrack.ics"'
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("role", [Role.OWNER, Role.LEGAL])
def test_owners_and_legal_see_the_vendors_they_own(app, signed_in, create_user, dated_vendor, role):
    client = signed_in(role)
    dated_vendor("Mine", client.user)
    dated_vendor("Theirs", create_user(Role.OWNER))
    dated_vendor("Nobody's", None)
    dated_vendor("Mine, ended", client.user, status=VendorStatus.TERMINATED)

    calendar = read(app, subscribe(client))
    assert summaries(calendar) == both("Mine")


def test_each_event_is_dated_and_links_to_the_vendor_page(app, signed_in, dated_vendor):
    client = signed_in(Role.OWNER)
    vendor = dated_vendor("Acme", client.user, contract_end=LATER + timedelta(days=60))

    events = {str(e["SUMMARY"]): e for e in read(app, subscribe(client)).walk("VEVENT")}
    review, notice = events["Review due: Acme"], events["Last day to give notice: Acme"]
    assert review.decoded("DTSTART") == SOON
    assert review.decoded("DTEND") == SOON + timedelta(days=1)
    assert notice.decoded("DTSTART") == LATER
    page = f"http://vendortrack.test/vendors/{vendor.id}"
    assert review["URL"] == notice["URL"] == page
    assert page in review["DESCRIPTION"]
    assert "The contract ends or renews on" in notice["DESCRIPTION"]
    assert review["UID"] != notice["UID"]


def test_the_same_dates_give_the_same_event_ids_on_every_fetch(app, signed_in, dated_vendor):
    client = signed_in(Role.OWNER)
    dated_vendor("Acme", client.user)
    address = subscribe(client)
    uids = [sorted(str(e["UID"]) for e in read(app, address).walk("VEVENT")) for _ in range(2)]
    assert uids[0] == uids[1]
    assert len(set(uids[0])) == 2


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_and_admins_also_see_what_no_active_owner_follows(
    app, signed_in, create_user, dated_vendor, role
):
    client = signed_in(role)
    dated_vendor("Mine", client.user)
    dated_vendor("Nobody's", None)
    dated_vendor("Left", create_user(Role.OWNER, active=False))
    dated_vendor("Followed", create_user(Role.OWNER))
    dated_vendor("Ended", None, status=VendorStatus.TERMINATED)

    calendar = read(app, subscribe(client))
    assert summaries(calendar) == both("Mine") | both("Nobody's") | both("Left")
    notes = {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")}
    assert "This vendor has no active owner." in notes["Review due: Left"]
    assert "This vendor has no active owner." not in notes["Review due: Mine"]


def test_vendor_names_with_commas_and_semicolons_read_back_whole(app, signed_in, dated_vendor):
    client = signed_in(Role.OWNER)
    dated_vendor("Lévesque, Fils; Cie \\ Ltée", client.user)

    response = fetch(app, subscribe(client))
    assert "SUMMARY:Review due: Lévesque\\, Fils\\; Cie \\\\ Ltée\r\n" in response.text
    calendar = icalendar.Calendar.from_ical(response.data)
    assert summaries(calendar) == both("Lévesque, Fils; Cie \\ Ltée")


def test_long_lines_are_folded_within_75_octets(app, signed_in, dated_vendor):
    client = signed_in(Role.OWNER)
    name = "Société québécoise de traitement électronique des données — " * 3
    dated_vendor(name.strip(), client.user)

    body = fetch(app, subscribe(client)).data
    assert body.endswith(b"\r\n")
    lines = body[:-2].split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # something was long enough to fold
    assert b"\n" not in body.replace(b"\r\n", b"")
    for line in lines:
        line.decode("utf-8")
    assert summaries(icalendar.Calendar.from_ical(body)) == both(name.strip())


def test_a_french_user_gets_french_titles_and_dates(app, signed_in, dated_vendor):
    client = signed_in(Role.OWNER, language="fr")
    dated_vendor("Acme", client.user, notice_deadline_on=date(date.today().year + 1, 3, 1))

    calendar = read(app, subscribe(client))
    assert summaries(calendar) == {
        "Examen à faire : Acme",
        "Dernier jour pour donner un préavis : Acme",
    }
    notice = next(e for e in calendar.walk("VEVENT") if "préavis" in e["SUMMARY"])
    # With the date written the French way.
    assert "Le dernier jour pour donner un préavis sur le contrat est le 1 mars" in str(
        notice["DESCRIPTION"]
    )


def test_an_english_user_is_not_given_french(app, signed_in, dated_vendor):
    client = signed_in(Role.OWNER, language="en")
    dated_vendor("Acme", client.user)
    assert summaries(read(app, subscribe(client))) == both("Acme")


def test_the_feed_costs_the_same_queries_for_one_vendor_or_forty(
    app, signed_in, dated_vendor, count_queries
):
    client = signed_in(Role.MANAGER)
    address = subscribe(client)
    dated_vendor("First", client.user)
    one = count_queries(lambda: fetch(app, address))
    for n in range(39):
        dated_vendor(f"Vendor {n}", client.user if n % 2 else None)
    forty = count_queries(lambda: fetch(app, address))

    assert len(read(app, address).walk("VEVENT")) == 80
    assert one == forty == 3  # the user, their review dates, their notice deadlines
