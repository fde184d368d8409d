"""The iCalendar writer: what calendar programs require of a feed, read back with `icalendar`."""

from datetime import UTC, date, datetime, timedelta

import icalendar

from vendortrack.feeds.ical import Event, escape_text, fold, write_calendar

STAMP = datetime(2026, 3, 1, 8, 15, tzinfo=UTC)


def write(*events: Event, **options) -> bytes:
    settings = {"name": "Due dates", "prodid": "-//Test//Feed//EN", "stamp": STAMP} | options
    return write_calendar(events, **settings)


def event(**overrides) -> Event:
    values = {"uid": "review-1-20260310@example.org", "day": date(2026, 3, 10), "summary": "Due"}
    return Event(**(values | overrides))


def physical_lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    return body[:-2].split(b"\r\n")


def test_a_calendar_reader_accepts_the_calendar_and_its_all_day_events():
    body = write(
        event(description="Line one\nLine two", url="https://example.org/vendors/1"),
        timezone="America/Toronto",
        refresh=timedelta(hours=1),
    )

    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Test//Feed//EN"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Due dates"
    assert calendar["X-WR-TIMEZONE"] == "America/Toronto"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT60M\r\n" in body
    [read] = calendar.walk("VEVENT")
    assert read.decoded("DTSTART") == date(2026, 3, 10)
    assert read.decoded("DTEND") == date(2026, 3, 11)  # exclusive: a one-day event
    assert read.decoded("DTSTAMP") == STAMP
    assert read["UID"] == "review-1-20260310@example.org"
    assert read["SUMMARY"] == "Due"
    assert read["DESCRIPTION"] == "Line one\nLine two"
    assert read["URL"] == "https://example.org/vendors/1"
    assert read["TRANSP"] == "TRANSPARENT"


def test_the_time_zone_line_is_optional():
    assert b"X-WR-TIMEZONE" not in write(event())
    assert b"REFRESH-INTERVAL" not in write(event())


def test_text_escapes_backslash_semicolon_comma_and_line_breaks():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_escaped_text_reads_back_unchanged():
    summary = "Lévesque & Fils, Ltée; \\ backslash"
    body = write(event(summary=summary, description="first,\nsecond;"))
    assert "SUMMARY:Lévesque & Fils\\, Ltée\\; \\\\ backslash\r\n".encode() in body
    [read] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert read["SUMMARY"] == summary
    assert read["DESCRIPTION"] == "first,\nsecond;"


def test_control_characters_are_dropped():
    assert escape_text("a\x00b\x07c\td\x7f") == "abc\td"


def test_every_line_ends_with_crlf_and_nothing_else():
    body = write(event(description="one\ntwo\rthree"))
    assert body.count(b"\n") == body.count(b"\r\n")
    assert body.count(b"\r") == body.count(b"\r\n")
    assert physical_lines(body)[0] == b"BEGIN:VCALENDAR"
    assert physical_lines(body)[-1] == b"END:VCALENDAR"


def test_a_line_of_75_octets_stays_whole_and_one_more_folds():
    assert fold("X" * 75) == "X" * 75
    assert fold("X" * 76) == "X" * 75 + "\r\n X"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    # Two-, three- and four-octet characters, placed so that fixed-width cutting would split some.
    summary = "Services informatiques Lévesque " + "é€😀" * 40
    body = write(event(summary=summary, description="x" * 500))

    lines = physical_lines(body)
    assert max(len(line) for line in lines) == 75
    for line in lines:
        assert len(line) <= 75
        line.decode("utf-8")  # each physical line is whole UTF-8 on its own
    [read] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert read["SUMMARY"] == summary
    assert read["DESCRIPTION"] == "x" * 500


def test_continuation_lines_count_their_leading_space():
    folded = fold("é" * 100).split("\r\n")
    assert len(folded[0].encode()) == 74  # 37 two-octet characters: a 38th would make 76
    assert all(line.startswith(" ") for line in folded[1:])
    assert all(len(line.encode()) <= 75 for line in folded)
    assert "".join([folded[0], *(line[1:] for line in folded[1:])]) == "é" * 100
