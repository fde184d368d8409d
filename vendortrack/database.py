"""Column types shared by every feature's models, and how connections and locks are set up."""

import enum
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    Connection,
    DateTime,
    Integer,
    String,
    Table,
    TypeDecorator,
    func,
    select,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

# The largest whole number every supported database's INTEGER column holds (PostgreSQL's is
# 2,147,483,647), rounded down so that forms and imports can say it plainly.
MAX_INTEGER = 2_000_000_000
# How each database says it stopped waiting for a lock: SQLite's SQLITE_BUSY (the low byte of
# an extended code), PostgreSQL's lock_not_available (lock_timeout ran out).
SQLITE_BUSY = 5
POSTGRES_LOCK_NOT_AVAILABLE = "55P03"
# How long reserve_ids waits for SQLite's write lock, held by another writer.
RESERVE_WAIT_SECONDS = 30


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


def length_checks(limits: Mapping[str, int]) -> tuple[CheckConstraint, ...]:
    """CHECK constraints holding each column to its most characters, as named in `limits`.

    VARCHAR(n) already bounds a column on PostgreSQL but not on SQLite, and TEXT bounds nothing
    anywhere: the check is the one rule both databases keep, whatever writes the row. length()
    counts characters on both. The info names the column and limit, for the tests that hold
    the forms to the same figures.
    """
    return tuple(
        CheckConstraint(
            f"length({column}) <= {limit}",
            name=f"{column}_length",
            info={"column": column, "max_length": limit},
        )
        for column, limit in limits.items()
    )


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


class LockNotTaken(Exception):
    """Another transaction held the lock for longer than the caller would wait. The session's
    transaction must be rolled back."""


def hold_lock(session: Session, key: int, wait_seconds: float) -> None:
    """Hold the lock `key` until the session's transaction ends, after waiting at most
    wait_seconds for whoever holds it now; raise LockNotTaken if they still do.

    Take it before reading what the transaction will write, so that whatever it reads is
    what it then changes. On PostgreSQL it is a transaction's advisory lock: it keeps out only
    the holders of the same key. SQLite has no lock but the whole database's write lock, which
    holds off every other writer as well until the commit.
    """
    connection = session.connection()
    try:
        if connection.dialect.name == "postgresql":
            _advisory_lock(connection, key, wait_seconds)
        else:
            _begin_immediate(connection, wait_seconds)
    except OperationalError as error:
        if not _gave_up_waiting(error):
            raise
        raise LockNotTaken(str(error.orig)) from error


def begin_writing(session: Session, wait_seconds: float) -> None:
    """Make the session's transaction hold SQLite's write lock before it reads what it will
    write (see _begin_immediate); raise OperationalError if another writer kept it longer than
    wait_seconds. On PostgreSQL, where row locks do this, nothing."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        _begin_immediate(connection, wait_seconds)


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """Ids for `count` new rows of `table` (its integer primary key `id`), so that they can be
    inserted with a plain executemany, which says nothing of the ids it gave, and the rows that
    name them after.

    PostgreSQL: taken from the column's sequence, like the ids it gives itself. SQLite: the
    ones after the largest, as SQLite itself chooses; so the transaction takes the database's
    write lock first and holds it until the rows are in, or another writer could take them too.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, table.c.id.name)
        query = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        return sorted(connection.scalars(query))
    begin_writing(session, RESERVE_WAIT_SECONDS)
    largest = connection.scalar(select(func.max(table.c.id))) or 0
    return list(range(largest + 1, largest + count + 1))


def _advisory_lock(connection: Connection, key: int, wait_seconds: float) -> None:
    # The wait is bounded for this one statement: the server's lock_timeout (none by default)
    # applies again to the rest of the transaction.
    previous = connection.scalar(select(func.current_setting("lock_timeout")))
    wait = f"{max(1, round(wait_seconds * 1000))}ms"
    connection.execute(select(func.set_config("lock_timeout", wait, True)))
    connection.execute(select(func.pg_advisory_xact_lock(key)))
    connection.execute(select(func.set_config("lock_timeout", previous, True)))


def _begin_immediate(connection: Connection, wait_seconds: float) -> None:
    """Begin the transaction with BEGIN IMMEDIATE, which takes the write lock at once.

    pysqlite (in its default transaction handling) sends a deferred BEGIN only before the
    first INSERT, UPDATE or DELETE, and reads nothing inside a transaction before that: with the
    lock taken only then, a write would rest on what was read before another writer's commit.
    A transaction begun here is pysqlite's to commit or roll back as any other, so this one
    transaction only is begun differently. One already begun has written, and holds the lock.
    """
    sqlite = connection.connection.dbapi_connection
    if sqlite.in_transaction:
        return
    previous = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {max(1, round(wait_seconds * 1000))}")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(previous)}")


def _gave_up_waiting(error: OperationalError) -> bool:
    code = getattr(error.orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == SQLITE_BUSY
    return getattr(error.orig, "sqlstate", None) == POSTGRES_LOCK_NOT_AVAILABLE
