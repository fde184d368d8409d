"""`flask --app vendortrack vendors ...` commands."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from vendortrack.compliance.register import count_rows, export_rows_with_compliance
from vendortrack.extensions import db
from vendortrack.i18n import local_today
from vendortrack.organisation.services import home_country
from vendortrack.register.bulk import (
    ImportBusy,
    ImportRejected,
    ImportSummary,
    apply_import,
    check_import,
    collector_paused,
    lock_imports,
)
from vendortrack.register.csvcolumns import EXPORT_COLUMN_NAMES
from vendortrack.register.listing import VendorFilter
from vendortrack.register.models import Vendor
from vendortrack.register.services import refresh_all_risk_tiers
from vendortrack.reviews.services import new_vendor_schedule, refresh_review_dues
from vendortrack.spreadsheet import csv_chunks
from vendortrack.vendors.xlsxfile import write_xlsx

vendors_cli = AppGroup("vendors", help="The vendor register.")


@vendors_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path):
    """Import vendors and their data sharing from a CSV FILE.

    Every row is checked first; if any is wrong, every problem is listed and nothing is written.
    The file is the truth for the vendors it names: their data sharing rows that the file does not
    list are removed. Vendors it does not name are untouched.
    """
    with force_locale("en"):  # the command line speaks English; there is no user to ask
        data = _read_limited(file)
        click.echo(f"Checking {file}...", err=True)
        try:
            with collector_paused():
                summary = _import(data)
        except ImportRejected as rejected:
            db.session.rollback()
            for error in rejected.errors:
                click.echo(str(error), err=True)
            raise click.ClickException(
                f"{len(rejected.errors)} problem(s) found in {file}; nothing was imported."
            ) from None
        except ImportBusy as busy:
            db.session.rollback()
            raise click.ClickException(str(busy)) from None
        except StaleDataError:  # a vendor saved from its page while the import wrote it
            db.session.rollback()
            raise click.ClickException(
                "A vendor in the file was saved by someone else meanwhile; nothing was "
                "imported. Run the import again."
            ) from None
        click.echo(str(summary))


def _import(data: bytes) -> ImportSummary:
    lock_imports()
    parsed = check_import(data)
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    with click.progressbar(
        length=len(parsed.vendors), label="Importing vendors", file=sys.stderr
    ) as bar:
        summary = apply_import(parsed, home_country(), bar.update, new_vendor_schedule())
    refresh_review_dues(summary.updated_ids)  # the new ones are dated already
    db.session.commit()
    return summary


def _read_limited(file: Path) -> bytes:
    # The same limit as an upload from the web, so both refuse the same files.
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and file.stat().st_size > limit:
        raise click.ClickException(
            f"{file} is larger than the {limit:,} bytes an import may have; split it."
        )
    return file.read_bytes()


@vendors_cli.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help="CSV (which imports back) or an Excel workbook (which needs a FILE).",
)
def export_command(file: Path | None, file_format: str):
    """Export every vendor, its data sharing and its compliance status today to FILE, or as CSV
    to standard output.

    The progress bar goes to standard error, so that standard output is only the CSV. A FILE is
    written aside and renamed when complete, so a failed export never leaves half a file.
    """
    if file_format == "xlsx" and file is None:
        raise click.UsageError("--format xlsx needs a FILE: a workbook is not text to print.")
    f, today = VendorFilter(), local_today()
    total = count_rows(f, today)
    rows = export_rows_with_compliance(f, today)
    bar = click.progressbar(rows, length=total, label="Exporting rows", file=sys.stderr)
    with click.open_file(str(file or "-"), "wb", atomic=file is not None) as out, bar as rows:
        if file_format == "xlsx":
            write_xlsx(rows, out)
        else:
            for chunk in csv_chunks(rows, header=EXPORT_COLUMN_NAMES):
                out.write(chunk.encode("utf-8"))
    db.session.commit()  # the statuses the export brought up to date
    if file is not None:
        click.echo(f"Exported {total:,} rows to {file}.", err=True)


@vendors_cli.command("refresh-risk")
def refresh_risk_command():
    """Apply the risk tier rule again to every vendor.

    Run it after changing VENDORTRACK_HOME_COUNTRY or the catalogue's sensitivities; editing a
    vendor refreshes its own tier already. Safe to run at any time.
    """
    total = db.session.scalar(select(func.count()).select_from(Vendor))
    home = home_country()
    with click.progressbar(length=total, label="Refreshing risk tiers", file=sys.stderr) as bar:
        changed = refresh_all_risk_tiers(home, progress=bar.update)
    refresh_review_dues()  # a new tier means a new interval between reviews
    db.session.commit()
    click.echo(f"{changed:,} of {total:,} vendors changed tier.")
