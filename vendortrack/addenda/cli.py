"""`flask --app vendortrack addenda ...` commands."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from vendortrack.addenda.compose import Scope
from vendortrack.addenda.library import AUTHORISATIONS
from vendortrack.addenda.models import Addendum
from vendortrack.addenda.services import (
    DOCUMENT_LANGUAGES,
    AddendumError,
    AddendumRequest,
    checklist,
    facts_for,
    generate_addendum,
    outdated_addenda,
    outdated_clauses,
    regenerate_outdated,
)
from vendortrack.database import utcnow
from vendortrack.extensions import db
from vendortrack.organisation.services import current_settings
from vendortrack.register.models import Vendor, name_key

addenda_cli = AppGroup("addenda", help="Contract addenda.")
BATCH = 20  # addenda regenerated, and committed, at a time


def find_vendor(reference: str) -> Vendor:
    """A vendor by id or by name (case and accents ignored)."""
    vendor = db.session.get(Vendor, int(reference)) if reference.isdigit() else None
    vendor = vendor or db.session.scalar(
        select(Vendor).where(Vendor.name_key == name_key(reference))
    )
    if vendor is None:
        raise click.BadParameter(f"no vendor has the id or name {reference!r}", param_hint="VENDOR")
    return vendor


@addenda_cli.command("generate")
@click.argument("vendor")
@click.option("--lang", "language", type=click.Choice(DOCUMENT_LANGUAGES), required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--contract", help="The contract it amends; by default the vendor's reference.")
@click.option("--all-contracts", is_flag=True, help="It amends every contract between the parties.")
@click.option(
    "--covers-earlier",
    is_flag=True,
    help="It also covers the information received before its effective date.",
)
@click.option(
    "--authorisation",
    type=click.Choice(AUTHORISATIONS),
    default="general",
    show_default=True,
    help="Sub-processors beyond those listed: general (notice and objection) or specific.",
)
def generate_command(
    vendor: str,
    language: str,
    out: Path,
    contract: str | None,
    all_contracts: bool,
    covers_earlier: bool,
    authorisation: str,
):
    """Generate VENDOR's addendum with every clause its facts require, record it as a draft
    and write it to FILE."""
    with force_locale("en"):
        target = find_vendor(vendor)
        if contract and all_contracts:
            raise click.UsageError("Give --contract or --all-contracts, not both.")
        named = "" if all_contracts else (contract or target.contract_reference or "").strip()
        if not named and not all_contracts:
            raise click.UsageError(
                f"{target.name} has no contract reference: name the contract the addendum "
                "amends with --contract, or give --all-contracts."
            )
        settings = current_settings(current_app.config["HOME_COUNTRY"])
        library = current_app.extensions["clause_library"]
        required = [
            i.clause.id for i in checklist(library, facts_for(target, settings)) if i.required
        ]
        scope = Scope(named, all_contracts, covers_earlier)
        request = AddendumRequest(
            language, tuple(required), {}, utcnow().date(), None, scope, authorisation
        )
        try:
            addendum = generate_addendum(target, settings, library, request, None, utcnow())
            db.session.commit()
        except AddendumError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        try:  # recorded first, so that no file exists for an addendum that was not
            out.write_bytes(addendum.document)
        except OSError as error:
            raise click.ClickException(
                f"The addendum is recorded as a draft (id {addendum.id}) but {out} could not be "
                f"written: {error.strerror}. Download it from the vendor's page."
            ) from error
    click.echo(f"Wrote {out} ({len(required)} clauses, sha256 {addendum.sha256}).")


@addenda_cli.command("regenerate")
@click.option(
    "--dry-run",
    is_flag=True,
    help="List the outdated addenda and their raised clauses; change nothing.",
)
# Once required, though it changed nothing: still accepted, so that older scripts keep working.
@click.option(
    "--outdated",
    is_flag=True,
    hidden=True,
    deprecated="It is not needed: the command regenerates the outdated addenda without it.",
)
def regenerate_command(dry_run: bool, outdated: bool):
    """Regenerate, as new drafts, the addenda whose clauses the library has since raised.

    Older drafts are superseded; sent and signed addenda are kept. Running it again only takes
    up what is still outdated."""
    library = current_app.extensions["clause_library"]
    if dry_run:
        _list_outdated(library)
        return
    settings = current_settings(current_app.config["HOME_COUNTRY"])
    total = db.session.scalar(
        select(func.count()).select_from(outdated_addenda(library).subquery())
    )
    done, failed, last_id = 0, {}, 0
    with (
        force_locale("en"),
        click.progressbar(length=total, label="Regenerating", file=sys.stderr) as bar,
    ):
        while True:
            summary = regenerate_outdated(settings, library, None, utcnow(), last_id, BATCH)
            db.session.commit()
            if summary.last_id == last_id:
                break
            bar.update(summary.regenerated + len(summary.failed))
            done, last_id = done + summary.regenerated, summary.last_id
            failed.update(summary.failed)
    for name, reason in failed.items():
        click.echo(f"Not regenerated: {name}: {reason}", err=True)
    click.echo(f"Regenerated {done:,} of {total:,} outdated addenda.")


def _list_outdated(library) -> None:
    query = outdated_addenda(library).options(
        selectinload(Addendum.vendor), selectinload(Addendum.clauses)
    )
    outdated = db.session.scalars(query).all()
    for addendum in outdated:
        clauses = ", ".join(outdated_clauses(addendum, library))
        click.echo(f"{addendum.vendor.name} (addendum {addendum.id}): {clauses}")
    click.echo(f"{len(outdated):,} outdated addenda would be regenerated; nothing was changed.")
