"""How long does a CSV import of a large register take, and how many statements does it send?

    .venv/bin/python bench/csv_import.py [--vendors 5000] [--runs 3]

Imports N vendors with two data sharing rows each into a register holding only their owner
(SQLite), as the import page does: the file, new vendors dated as they go in and those already
there dated again, in one transaction whose commit judges their compliance. The first import is
set beside a floor: the very rows it wrote (vendors, data sharing, places and audit entries,
read back from its database) inserted into an empty database with one executemany per table in
one transaction, the least any import writing them could cost. Both are timed `runs` times, each
into a new database, and the best of each is compared (the floor alone moves by a fifth from run
to run on a shared disk). The last run then imports the same file again (nothing changes) and a
file that changes every row, once each; the statement counts are that run's. Each import starts
with a fresh session, as a new command or web request does. Prints figures; never fails on
them."""

import csv
import io
import tempfile
import time
from pathlib import Path

import click
from sqlalchemy import event, insert, select

from vendortrack import create_app
from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.register.bulk import collector_paused, import_vendors
from vendortrack.register.csvcolumns import COLUMN_NAMES
from vendortrack.register.models import DataSharing, ProcessingLocation, Vendor
from vendortrack.reviews.services import new_vendor_schedule, refresh_review_dues
from vendortrack.trail.models import AuditEntry

OUT = Path(__file__).resolve().parent / "out"  # git-ignored
OWNER = "owner@example.org"
IMPORT_COLUMNS = [name for name in COLUMN_NAMES if name != "risk_tier"]
TARGET_RATIO = 2.0
# The tables an import writes, parents first.
WRITTEN = [m.__table__ for m in (Vendor, DataSharing, ProcessingLocation, AuditEntry)]
CONTACTS = {
    "category": "identity_contact",
    "data_subjects": "customers",
    "purpose": "Deliver orders",
    "locations": "CA;US",
    "consent_basis": "implied",
    "retention_months": "24",
}


def register_csv(vendors: int, records: int) -> bytes:
    """N vendors, each with a contact-details row and a health row of `records` records."""
    health = CONTACTS | {"category": "health", "locations": "CA-QC", "record_count": str(records)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(IMPORT_COLUMNS)
    for n in range(vendors):
        vendor = {
            "vendor_name": f"Vendor {n:06}",
            "country": "CA",
            "owner_email": OWNER,
            "status": "active",
            "criticality": "medium",
        }
        for sharing in (CONTACTS, health):
            cells = vendor | sharing
            writer.writerow([cells.get(name, "") for name in IMPORT_COLUMNS])
    return out.getvalue().encode()


@click.command()
@click.option("--vendors", default=5_000, show_default=True)
@click.option("--runs", default=3, show_default=True, help="first imports and floors timed")
def cli(vendors: int, runs: int) -> None:
    """Time a first import, an unchanged re-import and a re-import that changes every row."""
    OUT.mkdir(exist_ok=True)
    click.echo(f"{vendors:,} vendors x 2 data sharing rows, SQLite, best of {runs}")
    with tempfile.TemporaryDirectory(dir=OUT) as folder:
        firsts, floors = [], []
        for run in range(runs):
            first, written = first_import(
                vendors, f"sqlite:///{folder}/i{run}.db", last=run == runs - 1
            )
            firsts.append(first)
            floors.append(floor_seconds(written, f"sqlite:///{folder}/floor{run}.db"))
        first, floor = min(firsts), min(floors)
        ratio = first / floor
        click.echo(f"  {'first import, best':18} {first:6.2f} s")
        click.echo(f"  {'floor, best':18} {floor:6.2f} s  (the first import's rows, executemany)")
        verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
        click.echo(
            f"target: first import within {TARGET_RATIO:g}x the floor: {ratio:.2f}x -> {verdict}"
        )


def first_import(vendors: int, url: str, last: bool) -> tuple[float, dict[str, list[dict]]]:
    """Seconds of a first import into an empty register, and the rows it wrote. The last run
    goes on with the same file again and a file that changes every row."""
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.session.add(User(email=OWNER, name="Owner", role=Role.OWNER))
        db.session.commit()
        home = app.config["HOME_COUNTRY"]
        first, statements = timed_import(register_csv(vendors, 1_000), home)
        written = rows_written()
        if last:
            click.echo(
                f"  {'first import':18} {first:6.2f} s  {statements:7,} statements (this run)"
            )
            for label, records in (("same file again", 1_000), ("every row changed", 2_000)):
                seconds, statements = timed_import(register_csv(vendors, records), home)
                click.echo(f"  {label:18} {seconds:6.2f} s  {statements:7,} statements")
        db.engine.dispose()
    return first, written


def rows_written() -> dict[str, list[dict]]:
    """Every row of the tables an import writes, as they are in the database now."""
    return {
        table.name: [dict(row._mapping) for row in db.session.execute(select(table))]
        for table in WRITTEN
    }


def floor_seconds(written: dict[str, list[dict]], url: str) -> float:
    """Seconds to insert these rows into an empty database: executemany, one transaction."""
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        start = time.perf_counter()
        with db.engine.begin() as connection:
            for table in WRITTEN:
                connection.execute(insert(table), written[table.name])
        seconds = time.perf_counter() - start
        db.engine.dispose()
    return seconds


def timed_import(data: bytes, home_country: str) -> tuple[float, int]:
    statements = [0]

    def count(*_args):
        statements[0] += 1

    db.session.remove()  # a fresh session, as a new request or command has
    event.listen(db.engine, "before_execute", count)
    try:
        start = time.perf_counter()
        # As the import page does: the file, then the dates of the vendors already there, in one
        # transaction.
        with collector_paused():
            summary = import_vendors(data, home_country, new_vendor_schedule())
            refresh_review_dues(summary.updated_ids)
            db.session.commit()
        return time.perf_counter() - start, statements[0]
    finally:
        event.remove(db.engine, "before_execute", count)


if __name__ == "__main__":
    cli()
