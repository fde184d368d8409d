"""Backing up the whole database, and restoring a backup into an empty database.

A backup is the database itself: on SQLite a copy of the file made with SQLite's online backup
API, on PostgreSQL a pg_dump custom archive. Every document VendorTrack keeps (addenda and their
signed copies, review evidence, the letterhead) lives in a BLOB column, so a backup holds them
too; there is no folder of files to copy beside it.
"""

import enum
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, table, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from vendortrack.pg_programs import ProgramError, libpq, pg_output, pg_program, run_pg

Progress = Callable[[int, int], None]  # (done, total), in pages on SQLite, tables on PostgreSQL

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SCHEMA_TABLE = "alembic_version"
# A table every VendorTrack database has, to tell our backups from any other database's.
REGISTER_TABLE = "vendors"
SQLITE_STEP_PAGES = 1024  # 4 MB at the default page size: a progress report every few MB
UPGRADE_HINT = "flask --app vendortrack db upgrade"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the person typing."""


class Standing(enum.StrEnum):
    """Where a backup's schema stands against the migrations this code carries."""

    CURRENT = "current"
    OLDER = "older"  # restorable; `flask db upgrade` brings it up to date
    NEWER = "newer"  # made by a later VendorTrack: this code cannot know its tables


@dataclass(frozen=True)
class Contents:
    revision: str
    rows: dict[str, int]  # rows per table, the schema table included


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    contents: Contents


@dataclass(frozen=True)
class Restored:
    contents: Contents
    standing: Standing
    head: str


def schema_standing(revision: str, migrations: Path) -> Standing:
    """Compare a database's schema revision with the migrations in `migrations`."""
    scripts = ScriptDirectory(str(migrations))
    try:
        known = scripts.get_revision(revision)
    except CommandError:  # Alembic's "no such revision"
        known = None
    if known is None:
        return Standing.NEWER
    return Standing.CURRENT if revision in scripts.get_heads() else Standing.OLDER


def head_revision(migrations: Path) -> str:
    return ScriptDirectory(str(migrations)).get_current_head() or ""


def describe(url: URL) -> str:
    """The database a URL names, fit to print: the file, or the URL without its password."""
    if url.get_backend_name() == "sqlite":
        return url.database or "(in memory)"
    return url.render_as_string(hide_password=True)


def contents_of(connection: Connection) -> Contents:
    """The schema revision and the rows of every table, as this connection sees them."""
    names = inspect(connection).get_table_names()
    rows = {
        name: connection.scalar(select(func.count()).select_from(table(name))) or 0
        for name in sorted(names)
    }
    revision = ""
    if SCHEMA_TABLE in rows:
        # SCHEMA_TABLE is our constant, not input.
        query = text(f"SELECT version_num FROM {SCHEMA_TABLE}")  # noqa: S608
        revision = connection.scalar(query) or ""
    return Contents(revision, rows)


def check_is_vendortrack(contents: Contents, what: str) -> None:
    if REGISTER_TABLE not in contents.rows:
        raise BackupError(f"{what} is not a VendorTrack database (it has no {REGISTER_TABLE}).")
    if not contents.revision:
        raise BackupError(
            f"{what} has no schema version ({SCHEMA_TABLE}): it was not set up with "
            f"`{UPGRADE_HINT}`, so a restore could not tell which migrations it needs."
        )


# Backing up --------------------------------------------------------------------------------


@contextmanager
def reaching(url: URL) -> Iterator[None]:
    """Say which database could not be used, or which program is missing, in their own words."""
    try:
        yield
    except DBAPIError as error:
        raise BackupError(f"The database {describe(url)} cannot be used: {error.orig}") from None
    except ProgramError as error:
        raise BackupError(str(error)) from None


def back_up(engine: Engine, out: Path, *, overwrite: bool, progress: Progress) -> Written:
    """Write a consistent copy of the whole database to `out`, or nothing at all."""
    with reaching(engine.url):
        return _back_up(engine, out, overwrite, progress)


def _back_up(engine: Engine, out: Path, overwrite: bool, progress: Progress) -> Written:
    url = engine.url
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups are made of SQLite and PostgreSQL databases, not {backend}.")
    check_destination(out, overwrite)
    if backend == "sqlite":
        check_not_the_database(url, out)
    with partial_file(out) as partial:
        if backend == "sqlite":
            contents = copy_sqlite(sqlite_path(url), partial, progress)
        else:
            contents = dump_postgresql(engine, partial, progress)
        check_is_vendortrack(contents, describe(url))
    return Written(out, out.stat().st_size, contents)


def check_destination(out: Path, overwrite: bool) -> None:
    try:
        if out.is_dir():
            raise BackupError(f"{out} is a folder: give the name of the backup file to write.")
        if out.exists() and not overwrite:
            raise BackupError(f"{out} already exists. Choose another name, or add --overwrite.")
        if not out.parent.is_dir():
            raise BackupError(f"The folder {out.parent} does not exist.")
    except OSError as error:  # a name too long, a folder we may not look into...
        raise BackupError(f"{out} cannot be written: {error.strerror}.") from None


def check_not_the_database(url: URL, out: Path) -> None:
    if Path(sqlite_path(url)).resolve() == out.resolve():
        raise BackupError(f"{out} is the database itself: write the backup somewhere else.")


@contextmanager
def partial_file(out: Path) -> Iterator[Path]:
    """A new file beside `out`, readable by its owner only (a backup holds personal
    information and password hashes), moved onto `out` only once it is complete; removed if
    anything fails, so that a half-written backup can never pass for one."""
    try:
        prefix = f".{out.name[:64]}."
        handle, name = tempfile.mkstemp(dir=out.parent, prefix=prefix, suffix=".part")
    except OSError as error:
        raise BackupError(f"{out} cannot be written: {error.strerror}.") from None
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        _sync(partial)
        os.replace(partial, out)
        _sync(out.parent)
    except OSError as error:
        raise BackupError(f"{out} cannot be written: {error.strerror}.") from None
    finally:
        partial.unlink(missing_ok=True)


def _sync(path: Path) -> None:
    # The backup must still be there after a power cut right after the command said it was.
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("The database is not a SQLite file (an in-memory database?).")
    return url.database


def read_only(path: str | Path) -> sqlite3.Connection:
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def copy_sqlite(source: str, destination: Path, progress: Progress) -> Contents:
    """Copy the database with SQLite's backup API, safe while the app writes to it."""
    if not Path(source).is_file():
        raise BackupError(f"The database {source} does not exist.")
    try:
        with closing(read_only(source)) as live, closing(sqlite3.connect(destination)) as copy:
            # One read transaction for the whole copy: every step sees the same snapshot (WAL
            # lets the app keep writing meanwhile), so the copy is consistent and a write
            # never makes the backup start over.
            live.execute("BEGIN")
            live.execute("SELECT count(*) FROM sqlite_master")
            live.backup(copy, pages=SQLITE_STEP_PAGES, progress=_pages(progress))
            live.execute("COMMIT")
            # The copy is a single self-contained file: no -wal beside it to forget.
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"The database {source} could not be copied: {error}.") from None
    return sqlite_contents(destination)


def _pages(progress: Progress):
    def report(status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    return report


def sqlite_contents(path: Path) -> Contents:
    engine = create_engine("sqlite://", creator=lambda: read_only(path), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return contents_of(connection)
    finally:
        engine.dispose()


# Restoring ---------------------------------------------------------------------------------


def restore(engine: Engine, source: Path, migrations: Path, progress: Progress) -> Restored:
    """Restore the backup `source` into the engine's database, which must hold no rows."""
    with reaching(engine.url):
        return _restore(engine, source, migrations, progress)


def _restore(engine: Engine, source: Path, migrations: Path, progress: Progress) -> Restored:
    url = engine.url
    kind = backup_kind(source)
    backend = url.get_backend_name()
    if kind != backend:
        raise BackupError(
            f"{source} is a backup of a {_NAMES[kind]} database and the database configured "
            f"(VENDORTRACK_DATABASE_URL) is {_NAMES.get(backend, backend)}: restore it into a "
            f"{_NAMES[kind]} database."
        )
    backup = read_sqlite_backup(source) if kind == "sqlite" else read_pg_backup(source)
    check_is_vendortrack(backup, str(source))
    standing = schema_standing(backup.revision, migrations)
    head = head_revision(migrations)
    if standing is Standing.NEWER:
        raise BackupError(
            f"{source} was made by a newer VendorTrack (schema {backup.revision}; this one knows "
            f"up to {head}). Install that version, or a later one, to restore it."
        )
    check_target_empty(engine, backup)
    if kind == "sqlite":
        engine.dispose()  # our own pooled connections must not hold the file during the copy
        restore_sqlite(source, sqlite_path(url), progress)
    else:
        restore_postgresql(url, source, len(backup.rows), progress)
    with engine.connect() as connection:
        return Restored(contents_of(connection), standing, head)


_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def backup_kind(source: Path) -> str:
    """Tell a SQLite backup from a pg_dump archive by the file's first bytes."""
    try:
        with source.open("rb") as file:
            start = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"{source} does not exist.") from None
    except IsADirectoryError:
        raise BackupError(f"{source} is a folder, not a backup file.") from None
    except OSError as error:
        raise BackupError(f"{source} cannot be read: {error.strerror}.") from None
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{source} is not a VendorTrack backup (neither a SQLite database nor a pg_dump "
        "custom archive)."
    )


def read_sqlite_backup(source: Path) -> Contents:
    try:
        with closing(read_only(source)) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
        contents = sqlite_contents(source)
    except (sqlite3.Error, DBAPIError) as error:
        reason = getattr(error, "orig", error)  # SQLAlchemy wraps what SQLite said
        raise BackupError(f"{source} is damaged and cannot be restored: {reason}.") from None
    if problems != ["ok"]:
        raise BackupError(f"{source} is damaged and cannot be restored: {problems[0]}.")
    return contents


def check_target_empty(engine: Engine, backup: Contents) -> None:
    """Refuse a target with any row in it: a restore never mixes two registers, nor
    overwrites one."""
    with engine.connect() as connection:
        target = contents_of(connection)
    # The schema version alone is no data: `flask db upgrade` leaves it in a new installation.
    occupied = [name for name, count in target.rows.items() if count and name != SCHEMA_TABLE]
    if occupied:
        raise BackupError(
            f"The database {describe(engine.url)} is not empty (rows in {', '.join(occupied[:5])}"
            f"{', ...' if len(occupied) > 5 else ''}). Restore into a new, empty database: "
            "nothing was changed."
        )
    foreign = sorted(set(target.rows) - set(backup.rows))
    if foreign:
        # Left in place they would clash with the migrations `db upgrade` runs afterwards.
        raise BackupError(
            f"The database {describe(engine.url)} has tables the backup does not "
            f"({', '.join(foreign)}). Restore into a new, empty database: nothing was changed."
        )


def restore_sqlite(source: Path, target: str, progress: Progress) -> None:
    """Copy the backup into the target with the backup API.

    Not a new file renamed over the target: a -wal file left beside the target would be
    replayed into it, and the app's open connections would keep reading the old file. The
    backup API writes through SQLite in one transaction: other connections see the old
    database or the whole restored one, and a failure leaves the target as it was.
    """
    try:
        with closing(read_only(source)) as backup, closing(sqlite3.connect(target)) as live:
            backup.backup(live, pages=SQLITE_STEP_PAGES, progress=_pages(progress))
    except sqlite3.Error as error:
        raise BackupError(f"The restore failed and changed nothing: {error}.") from None


# PostgreSQL --------------------------------------------------------------------------------


def dump_postgresql(engine: Engine, destination: Path, progress: Progress) -> Contents:
    """pg_dump the database, counting its rows in the very snapshot pg_dump copies."""
    program = pg_program("pg_dump")
    conninfo, environment = libpq(engine.url)
    reader = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    # The transaction stays open while pg_dump runs: the snapshot it exports lives as long.
    with reader as connection, connection.begin():
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        contents = contents_of(connection)
        check_is_vendortrack(contents, describe(engine.url))
        command = [program, "--format=custom", f"--snapshot={snapshot}", "--verbose"]
        command += [f"--file={destination}", f"--dbname={conninfo}"]
        run_pg(command, environment, "dumping contents of table", len(contents.rows), progress)
    return contents


def read_pg_backup(source: Path) -> Contents:
    """The tables and schema revision a pg_dump archive holds (row counts are unknown: -1)."""
    program = pg_program("pg_restore")
    try:
        listing = pg_output([program, "--list", "--file=-", str(source)])
        data = [program, "--data-only", f"--table={SCHEMA_TABLE}", "--file=-", str(source)]
        copy = pg_output(data)
    except ProgramError as error:
        raise BackupError(f"{source} is damaged or not a pg_dump archive: {error}") from None
    # Entries read "215; 1259 16390 TABLE public vendors owner" (and "TABLE DATA public ...").
    tables = re.findall(r"^\d+; \d+ \d+ TABLE (?!DATA )\S+ (\S+) ", "\n".join(listing), re.M)
    return Contents(_copied_revision(copy), dict.fromkeys(tables, -1))


def _copied_revision(lines: list[str]) -> str:
    # pg_restore prints the table's data as COPY ... FROM stdin; one line per row; \.
    for number, line in enumerate(lines):
        if line.startswith("COPY ") and number + 1 < len(lines) and lines[number + 1] != "\\.":
            return lines[number + 1].strip()
    return ""


def restore_postgresql(url: URL, source: Path, total: int, progress: Progress) -> None:
    """pg_restore in a single transaction: it all lands, or the target stays as it was.

    --clean --if-exists drops, in that same transaction, the empty tables of a target that
    `db upgrade` already set up; on a newly created database there is nothing to drop.
    """
    conninfo, environment = libpq(url)
    command = [pg_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", "--clean", "--if-exists", "--verbose"]
    command += [f"--dbname={conninfo}", str(source)]
    try:
        run_pg(command, environment, "processing data for table", total, progress)
    except ProgramError as error:
        raise BackupError(f"The restore failed and changed nothing: {error}") from None
