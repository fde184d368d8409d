"""How long does a CSV import of a large register take, and how many statements does it send?

    .venv/bin/python bench/csv_import.py [--vendors 5000]

Imports N vendors with two data sharing rows each into an empty SQLite database, then the same
file again (nothing changes), then a file that changes every row. Each import starts with a fresh
session, as a new command or web request does. Prints figures; never fails on them.
"""

import csv
import io
import tempfile
import time
from pathlib import Path

import click
from sqlalchemy import event

from vendortrack import create_app
from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.register.bulk import import_vendors
from vendortrack.register.csvcolumns import COLUMN_NAMES

OUT = Path(__file__).resolve().parent / "out"  # git-ignored
OWNER = "owner@example.org"
IMPORT_COLUMNS = [name for name in COLUMN_NAMES if name != "risk_tier"]
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
            for label, data in runs:
                seconds, statements = timed_import(data, app.config["HOME_COUNTRY"])
                click.echo(f"  {label:18} {seconds:6.2f} s  {statements:7,} statements")
            db.engine.dispose()


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
