"""How long does a CSV import of a large register take, and how many statements does it send?

    .venv/bin/python bench/csv_import.py [--vendors 5000]

Imports N vendors with two data sharing rows each into an empty SQLite database, then the same
file again (nothing changes), then a file that changes every row. Each import starts with a fresh
session, as a new command or web request does. The first import is set beside a floor: the very
rows it wrote (vendors, data sharing, places and audit entries, read back from its database)
inserted into an empty database with one executemany per table in one transaction, the least
any import writing them could cost. Prints figures; never fails on them.
"""

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
from vendortrack.register.bulk import import_vendors
from vendortrack.register.csvcolumns import COLUMN_NAMES
from vendortrack.register.models import DataSharing, ProcessingLocation, Vendor
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
def cli(vendors: int) -> None:
    """Time a first import, an unchanged re-import and a re-import that changes every row."""
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as folder:
        app = create_app(
            {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/i.db"}
        )
        with app.app_context():
            db.create_all()
            db.session.add(User(email=OWNER, name="Owner", role=Role.OWNER))
            db.session.commit()
            runs = [
                ("first import", register_csv(vendors, 1_000)),
                ("same file again", register_csv(vendors, 1_000)),
                ("every row changed", register_csv(vendors, 2_000)),
            ]
            click.echo(f"{vendors:,} vendors x 2 data sharing rows, SQLite")
            timings = {}
            for label, data in runs:
                seconds, statements = timed_import(data, app.config["HOME_COUNTRY"])
                timings[label] = seconds
                click.echo(f"  {label:18} {seconds:6.2f} s  {statements:7,} statements")
                if label == "first import":
                    written = rows_written()
            db.engine.dispose()
        floor = floor_seconds(written, f"sqlite:///{folder}/floor.db")
        ratio = timings["first import"] / floor
        click.echo(f"  {'floor':18} {floor:6.2f} s  (the first import's rows, executemany)")
        verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
        click.echo(
            f"target: first import within {TARGET_RATIO:g}x the floor: {ratio:.1f}x -> {verdict}"
        )


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
        import_vendors(data, home_country)
        db.session.commit()
        return time.perf_counter() - start, statements[0]
    finally:
        event.remove(db.engine, "before_execute", count)


if __name__ == "__main__":
    cli()
