"""`flask --app vendortrack compliance ...` commands."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from vendortrack.compliance.stored import judge_everyone
from vendortrack.extensions import db
from vendortrack.i18n import local_today
from vendortrack.register.models import Vendor

compliance_cli = AppGroup("compliance", help="Vendors' compliance status.")


@compliance_cli.command("refresh")
def refresh_command():
    """Judge every vendor again and store its status (after restoring a backup, an upgrade,
    or to be sure): a batch of vendors per commit, so that the app goes on meanwhile."""
    total = db.session.scalar(select(func.count()).select_from(Vendor)) or 0
    with click.progressbar(length=total, label="Judging vendors", file=sys.stderr) as bar:

        def batch_done(n: int) -> None:
            db.session.commit()
            bar.update(n)

        count = judge_everyone(local_today(), progress=batch_done)
    db.session.commit()
    click.echo(f"Compliance status stored for {count:,} vendors.")
