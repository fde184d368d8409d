"""`flask --app vendortrack demo`: load the sample register."""

import click
from flask import current_app
from flask.cli import with_appcontext

from vendortrack.demo.loader import load_demo, today_in
from vendortrack.extensions import db
from vendortrack.organisation.sample import SAMPLE_SETTINGS
from vendortrack.organisation.services import SampleFill
from vendortrack.reviews.services import refresh_review_dues

SETTINGS_OUTCOME = {
    SampleFill.FILLED: "Filled the organisation settings with the sample organisation, "
    f"{SAMPLE_SETTINGS['legal_name']}; replace them on the Settings page or with  "
    "flask --app vendortrack settings set FIELD VALUE.",
    SampleFill.ALREADY: "The organisation settings already hold the sample organisation's.",
    SampleFill.KEPT: "Kept the organisation settings an administrator entered; the sample "
    "organisation's were not loaded.",
}


@click.command("demo")
@with_appcontext  # as every command: the `flask` command gives one, the tests' runner does not
def demo_command():
    """Load a realistic sample register (safe to run again: nothing is loaded twice)."""
    config = current_app.config
    summary = load_demo(config["HOME_COUNTRY"], today_in(config["BABEL_DEFAULT_TIMEZONE"]))
    refresh_review_dues()
    db.session.commit()
    echo_list(
        f"Created {len(summary.vendors_created)} vendors "
        f"with {summary.sharings_created} data sharing rows",
        summary.vendors_created,
    )
    echo_list(f"Created {len(summary.users_created)} users", summary.users_created)
    if summary.users_created:
        click.echo(
            "The sample users have no password and cannot sign in until an administrator sets "
            "one on the Users page."
        )
    echo_list(
        f"Skipped {len(summary.vendors_skipped)} vendors already in the register",
        summary.vendors_skipped,
    )
    echo_list(
        f"Skipped {len(summary.users_skipped)} users who already have an account",
        summary.users_skipped,
    )
    click.echo(SETTINGS_OUTCOME[summary.settings])


def echo_list(heading: str, items: list[str]) -> None:
    click.echo(f"{heading}{':' if items else '.'}")
    for item in items:
        click.echo(f"  {item}")
