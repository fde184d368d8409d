"""An iCalendar (RFC 5545) writer for all-day events. Pure: events in, bytes out, no Flask.

Written here rather than taken from a library because a feed of dated reminders needs a small,
fixed part of the format, and every rule of that part is tested in tests/feeds/test_ical.py.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

CRLF = "\r\n"
# RFC 5545 3.1: content lines SHOULD NOT be longer than 75 octets, excluding the line break.
LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    """One all-day event: `day` is a calendar date, the same wherever the reader is."""

    uid: str
    day: date
    summary: str
    description: str = ""
    url: str | None = None


def write_calendar(
    events: Iterable[Event],
    *,
    name: str,
    prodid: str,
    stamp: datetime,
    timezone: str | None = None,
    refresh: timedelta | None = None,
) -> bytes:
    """Write a published calendar of all-day events, UTF-8 with CRLF line endings."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:" + escape_text(prodid),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape_text(name),
    ]
    if timezone:
        lines.append("X-WR-TIMEZONE:" + escape_text(timezone))
    if refresh:
        # RFC 7986's property and the one Outlook reads: how often a subscriber should look again.
        lines.append("REFRESH-INTERVAL;VALUE=DURATION:" + duration(refresh))
        lines.append("X-PUBLISHED-TTL:" + duration(refresh))
    for event in events:
        lines.extend(event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines).encode("utf-8")


def event_lines(event: Event, stamp: datetime) -> list[str]:
    """List the content lines of one VEVENT, unfolded."""
    lines = [
        "BEGIN:VEVENT",
        "UID:" + escape_text(event.uid),
        "DTSTAMP:" + utc_datetime(stamp),
        "DTSTART;VALUE=DATE:" + event.day.strftime("%Y%m%d"),
        # DTEND is exclusive (RFC 5545 3.6.1): a one-day event ends on the next day.
        "DTEND;VALUE=DATE:" + (event.day + timedelta(days=1)).strftime("%Y%m%d"),
        "SUMMARY:" + escape_text(event.summary),
        # A deadline is not a meeting: it must not mark the day as busy in free/busy lookups.
        "TRANSP:TRANSPARENT",
    ]
    if event.description:
        lines.append("DESCRIPTION:" + escape_text(event.description))
    if event.url:
        lines.append("URL:" + _uri(event.url))
    lines.append("END:VEVENT")
    return lines


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # Other control characters are not allowed in a content line at all (3.1); drop them.
    return "".join(c for c in value if c == "\t" or unicodedata.category(c) != "Cc")


def fold(line: str) -> str:
    """Fold a content line into physical lines of at most 75 octets, never inside a character."""
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            # Each continuation line starts with a space, which counts toward its 75 octets.
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def utc_datetime(moment: datetime) -> str:
    """Format a moment as a UTC DATE-TIME (20260301T081500Z); a naive one is taken as UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def duration(span: timedelta) -> str:
    """Format a DURATION in whole minutes (PT15M): the only precision a refresh hint needs."""
    return f"PT{int(span.total_seconds() // 60)}M"


def _uri(value: str) -> str:
    # A URI is written as is (no TEXT escaping), but a line break in it would end the line.
    return "".join(c for c in value if unicodedata.category(c) != "Cc")
