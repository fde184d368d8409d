"""`flask --app vendortrack backup OUT` and `flask --app vendortrack restore IN`."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from vendortrack.backup import (
    SCHEMA_TABLE,
    UPGRADE_HINT,
    BackupError,
    Contents,
    Standing,
    back_up,
    describe,
    restore,
)
from vendortrack.extensions import db


@click.command("backup")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace OUT if it already exists.")
@with_appcontext
def backup_command(out: Path, overwrite: bool):
    """Write a backup of the whole database, documents included, to OUT.

    Safe while VendorTrack runs. SQLite: a copy of the database file; PostgreSQL: a pg_dump
    custom archive.
    """
    try:
        with ProgressReport("Copying" if _on_sqlite() else "Dumping tables") as progress:
            written = back_up(db.engine, out, overwrite=overwrite, progress=progress)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {written.path} ({human_size(written.size)}): {summary(written.contents)}")
    echo_rows(written.contents)


@click.command("restore")
@click.argument("source", metavar="IN", type=click.Path(path_type=Path))
@with_appcontext
def restore_command(source: Path):
    """Restore the backup IN into the configured database, which must be empty.

    Nothing is changed unless the whole backup is restored.
    """
    migrations = Path(current_app.extensions["migrate"].directory)
    try:
        with ProgressReport("Restoring" if _on_sqlite() else "Restoring tables") as progress:
            restored = restore(db.engine, source, migrations, progress)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    contents = restored.contents
    click.echo(f"Restored {source} into {describe(db.engine.url)}: {summary(contents)}")
    echo_rows(contents)
    if restored.standing is Standing.OLDER:
        click.echo(
            f"The backup's schema ({contents.revision}) is older than this version of "
            f"VendorTrack ({restored.head}). Run `{UPGRADE_HINT}` now, before starting VendorTrack."
        )


def _on_sqlite() -> bool:
    return db.engine.url.get_backend_name() == "sqlite"


def summary(contents: Contents) -> str:
    tables = {name: rows for name, rows in contents.rows.items() if name != SCHEMA_TABLE}
    return (
        f"schema {contents.revision}, {len(tables)} tables, {sum(tables.values()):,} rows "
        "(documents and files included)."
    )


def echo_rows(contents: Contents) -> None:
    width = max(map(len, contents.rows), default=0)
    for name, rows in contents.rows.items():
        if name != SCHEMA_TABLE:
            click.echo(f"  {name:<{width}}  {rows:>9,}")


def human_size(size: float) -> str:
    units = iter(("KB", "MB", "GB"))
    unit = "bytes"
    while size >= 1024 and unit != "GB":
        size, unit = size / 1024, next(units)
    return f"{size:,.0f} bytes" if unit == "bytes" else f"{size:,.1f} {unit}"


class ProgressReport:
    """The progress of a long copy: a bar on a terminal; elsewhere (a cron job's log) a line at
    each quarter, so that a log shows how far a backup that died had come."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.shown = 0  # done, as last shown
        self.quarter = 0

    def __enter__(self) -> "ProgressReport":
        return self

    def __call__(self, done: int, total: int) -> None:
        if sys.stdout.isatty():
            if self.bar is None:
                self.bar = click.progressbar(length=total, label=self.label).__enter__()
            self.bar.update(done - self.shown)
            self.shown = done
            return
        quarter = 4 * done // total if total else 4
        if quarter > self.quarter:
            self.quarter = quarter
            click.echo(f"{self.label}: {25 * quarter}% ({done:,} of {total:,})")

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
