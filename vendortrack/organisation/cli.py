"""`flask --app vendortrack settings ...` commands: the organisation's settings, for
installations run without a browser.

Values go through the Settings page's form and service; the audit trail records the change as
made on the command line, as for every command.
"""

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import inspect

from vendortrack.extensions import db
from vendortrack.organisation.forms import form_changing
from vendortrack.organisation.sample import sample_values_left
from vendortrack.organisation.services import SETTINGS_FIELDS, current_settings, save_settings

settings_cli = AppGroup("settings", help="The organisation's settings, used in every addendum.")


@settings_cli.command("show")
def show_command():
    """Print every setting and its value."""
    settings = current_settings(current_app.config["HOME_COUNTRY"])
    if settings.is_sample:
        click.echo(
            "These are the sample register's settings, an invented organisation: replace them "
            "with  flask --app vendortrack settings set FIELD VALUE  or on the Settings page."
        )
        if left := sample_values_left(values_of(settings)):
            click.echo(f"Still the sample organisation's: {', '.join(left)}.")
    elif inspect(settings).transient:  # not in the database: current_settings' defaults
        click.echo("Nothing is saved yet: these are the defaults.")
    rows = [(name, str(getattr(settings, name))) for name in SETTINGS_FIELDS]
    rows.append(("letterhead", settings.letterhead_filename or "(none)"))
    rows.append(("sample data", "yes" if settings.is_sample else "no"))
    width = max(len(name) for name, _value in rows)
    for name, value in rows:
        lines = value.splitlines() or [""]
        click.echo(f"{name:<{width}}  {lines[0]}".rstrip())
        for line in lines[1:]:  # an address: its later lines under the first
            click.echo(f"{'':<{width}}  {line}")


@settings_cli.command(
    "set",
    help="Set FIELD to VALUE, checked as the Settings page checks it. FIELD is one of: "
    f"{', '.join(SETTINGS_FIELDS)}. The letterhead is uploaded on the Settings page.",
)
@click.argument("field")
@click.argument("value")
def set_command(field: str, value: str):
    if field not in SETTINGS_FIELDS:
        raise click.BadParameter(
            f"unknown field {field!r}; the fields are: {', '.join(SETTINGS_FIELDS)}.",
            param_hint="FIELD",
        )
    default_home = current_app.config["HOME_COUNTRY"]
    settings = current_settings(default_home)
    with force_locale("en"):  # the form's messages, in the language of the other commands
        try:
            form = form_changing(settings, field, value)
        except ValueError as error:  # a box given neither yes nor no
            raise click.BadParameter(str(error), param_hint=field) from error
        # Only this field's errors count: the others hold what is saved, which may still be
        # incomplete on an installation being set up one field at a time.
        form.validate()
        if errors := form.errors.get(field):
            raise click.BadParameter(" ".join(map(str, errors)), param_hint=field)
        values = form.values()
    before, was_sample = getattr(settings, field), settings.is_sample
    # One field at a time: sample data stays marked while an invented name, address or person
    # is left, since every addendum would still print it. (The Settings page clears the mark on
    # save: the administrator saw every field, and the notice.)
    sample_left = sample_values_left(values) if was_sample else []
    changed_tiers = save_settings(values, None, None, default_home, sample=bool(sample_left))
    db.session.commit()
    echo_change(field, before, values[field], changed_tiers)
    if sample_left:
        click.echo(f"Still the sample organisation's: {', '.join(sample_left)}.")
    elif was_sample:
        click.echo("The settings are no longer marked as sample data.")


def values_of(settings) -> dict:
    return {name: getattr(settings, name) for name in SETTINGS_FIELDS}


def echo_change(field: str, before, after, changed_tiers: int) -> None:
    if before == after:
        click.echo(f"{field} was already {after!r}.")
    else:
        click.echo(f"{field}: {before!r} -> {after!r}")
    if changed_tiers:
        tiers = "1 risk tier was" if changed_tiers == 1 else f"{changed_tiers} risk tiers were"
        click.echo(f"The home country changed: {tiers} updated.")
