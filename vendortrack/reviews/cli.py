"""`flask --app vendortrack reviews ...` commands."""

import click
from flask.cli import AppGroup

from vendortrack.extensions import db
from vendortrack.reviews.services import refresh_review_dues

reviews_cli = AppGroup("reviews", help="Vendor reviews.")


@reviews_cli.command("refresh-due")
def refresh_due_command():
    """Compute every vendor's next review date again (after an upgrade, or a bulk change)."""
    count = refresh_review_dues()
    db.session.commit()
    click.echo(f"Next review dates computed for {count:,} vendors.")
