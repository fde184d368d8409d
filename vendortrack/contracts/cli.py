"""`flask --app vendortrack contracts check FILE`: a vendor's agreement read from the command
line, for legal's scripts and for a look before uploading it."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from vendortrack.addenda.cli import find_vendor
from vendortrack.contracts.check import Report, Standard, check
from vendortrack.contracts.reading import UnreadableAgreement, read_agreement
from vendortrack.organisation.services import current_settings
from vendortrack.uploads import UploadError

contracts_cli = AppGroup("contracts", help="Vendors' own agreements.")
FINDING_WORDS = {"present": "present", "weak": "WEAK", "missing": "MISSING", "denied": "DENIED"}


@contracts_cli.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--vendor", help="The vendor (id or name): its name is read as the vendor party.")
@click.option("--format", "output", type=click.Choice(("text", "json")), default="text")
def check_command(file: Path, vendor: str | None, output: str) -> None:
    """Which clauses FILE (.docx, .pdf, .txt, .md, .html) has, weakens, omits or denies."""
    try:
        paragraphs = read_agreement(file.read_bytes(), file.name)
    except (UnreadableAgreement, UploadError) as error:
        raise click.ClickException(str(error)) from None
    names = (find_vendor(vendor).name,) if vendor else ()
    settings = current_settings(current_app.config["HOME_COUNTRY"])
    standard = Standard(settings.breach_notice_hours, settings.sub_processor_notice_days)
    report = check(paragraphs, standard, names, current_app.extensions["clause_library"])
    if report.language == "other":
        raise click.ClickException(_("The agreement is in neither English nor French."))
    if output == "json":
        click.echo(json.dumps(_as_json(report), ensure_ascii=False, indent=2))
    else:
        _print(report)
    if not report.is_agreement:
        click.echo(_("No processing obligations found: is this a processing agreement?"), err=True)


def _as_json(report: Report) -> dict:
    return {
        "language": report.language,
        "findings": [finding.as_json() for finding in report.findings],
    }


def _print(report: Report) -> None:
    click.echo(f"Language: {report.language}")
    for finding in report.findings:
        figures = ", ".join(f"{name} {value}" for name, value in finding.figures.items())
        click.echo(f"{finding.clause:<20} {FINDING_WORDS[finding.finding]}  {figures}".rstrip())
        if finding.quote:
            click.echo(f"    “{finding.quote}”")
            click.echo(f"    ({finding.where})" if finding.where else "")
