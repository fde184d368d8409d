"""`flask --app vendortrack reminders ...` commands."""

from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from vendortrack.database import utcnow
from vendortrack.reminders.sweep import send_due

reminders_cli = AppGroup("reminders", help="Reminder mail.")


def parse_now(text: str | None) -> datetime:
    """--now as given (ISO 8601; without an offset, local time in the configured zone)."""
    if not text:
        return utcnow()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a date and time: write it as 2026-12-01T08:00 or "
            "2026-12-01T13:00+00:00.",
            param_hint="--now",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    return moment


@reminders_cli.command("send-due")
@click.option("--now", "now_text", metavar="ISO-DATETIME", help="Sweep as if it were then.")
def send_due_command(now_text):
    """Plan the reminders due now and send them; print what was sent, skipped and deferred."""
    now = parse_now(now_text)
    result = send_due(now)
    for address, count, outcome, error in result.log:
        line = f"  {outcome:<8} {address} ({count} reminder{'s' if count != 1 else ''})"
        click.echo(line + (f": {error}" if error else ""))
    click.echo(
        f"{result.planned} new reminders planned. Sent {result.messages} messages carrying "
        f"{result.sent} reminders; skipped {result.skipped}; deferred {result.deferred}; "
        f"failed {result.failed}."
    )
    if result.deferred or result.failed:
        raise SystemExit(1)
