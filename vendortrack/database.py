"""Column types shared by every feature's models."""

import enum
import sqlite3
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, TypeDecorator

# The largest whole number every supported database's INTEGER column holds (PostgreSQL's is
# 2,147,483,647), rounded down so that forms and imports can say it plainly.
MAX_INTEGER = 2_000_000_000


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database.

    SQLite keeps no zone, so values are stored as naive UTC and come back marked UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; VendorTrack stores aware UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class RankedEnum(TypeDecorator[enum.IntEnum]):
    """An IntEnum stored as its number, so that ordering by the column orders by rank."""

    impl = Integer
    cache_ok = True

    def __init__(self, enum_class: type[enum.IntEnum]):
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else int(self.enum_class(value))

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)


class NamedEnum(TypeDecorator[enum.StrEnum]):
    """A StrEnum stored as its value, readable in the database and in exports."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[enum.StrEnum], length: int = 20):
        # PostgreSQL refuses a value longer than the column where SQLite keeps it: a test checks
        # that every value fits (tests/test_database.py).
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)


def with_column_defaults(row):
    """Fill a new, unsaved row's empty columns with their plain defaults now, not at flush.

    For single-row settings shown and used before anybody has saved them.
    """
    for column in row.__table__.columns:
        default = column.default
        if getattr(row, column.key) is None and default is not None and default.is_scalar:
            setattr(row, column.key, default.arg)
    return row


def tune_connection(dbapi_connection, connection_record) -> None:
    """Settings for each new connection, by kind of database."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        tune_sqlite(dbapi_connection)
    else:
        tune_postgresql(dbapi_connection)


def tune_postgresql(dbapi_connection) -> None:
    """No just-in-time compilation. PostgreSQL estimates the compliance status SQL above its
    JIT threshold and compiled it on every run: about 100 ms per statement, against 3-4 ms
    to run it (bench/load.py found it)."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.commit()  # a SET inside a transaction that is rolled back is undone


def tune_sqlite(dbapi_connection) -> None:
    """Write-ahead logging, so that pages read while the scheduler (another process) writes,
    and commits that wait for the disk only at checkpoints.

    With synchronous=NORMAL a power cut (not a crash of VendorTrack) can undo the commits since
    the last checkpoint, never corrupt the file; for the outbox that means the digests recorded
    since then may be sent again, none is lost. PostgreSQL is the database for installations
    that need more.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
