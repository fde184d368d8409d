"""`flask --app vendortrack keys ...` commands: the encryption keys of the vendors' contacts.

Rotating a key: `keys generate`, put the new key first in VENDORTRACK_ENCRYPTION_KEYS, restart
every process (web workers and scheduler), run `keys rotate`, then remove the old key.
"""

import sys

import click
from flask.cli import AppGroup

from vendortrack.crypto import (
    KEYS_VARIABLE,
    UnreadableData,
    count_rows,
    encrypted_columns,
    keyring,
    new_hmac_key,
    new_key,
    rotate_table,
)
from vendortrack.extensions import db

keys_cli = AppGroup("keys", help="The keys that encrypt the vendors' contacts.")


@keys_cli.command("generate")
@click.option("--hmac", "for_hmac", is_flag=True, help="A key for VENDORTRACK_HMAC_KEY instead.")
def generate_command(for_hmac: bool):
    """Print a new encryption key (or lookup key); nothing is changed."""
    click.echo(new_hmac_key() if for_hmac else new_key())
    if for_hmac:
        hint = (
            "Set it as VENDORTRACK_HMAC_KEY before the first start. Changing it later makes "
            "existing contacts unfindable by email."
        )
    else:
        hint = (
            f"Put it first in {KEYS_VARIABLE} (keys separated by commas, newest first), restart "
            "every process, run  flask --app vendortrack keys rotate, then remove the old key."
        )
    click.echo(hint, err=True)


@keys_cli.command("rotate")
@click.option(
    "--batch", type=click.IntRange(min=1), default=500, show_default=True, help="Rows per commit."
)
def rotate_command(batch: int):
    """Re-encrypt every encrypted value with the newest key of VENDORTRACK_ENCRYPTION_KEYS.

    Commits a batch at a time, skips what is already under the newest key, and can run while
    the application serves: safe to stop and run again. Only when it has finished may the old
    keys be removed.
    """
    keys, rotated = keyring(), 0
    for name in encrypted_columns(db.metadata.sorted_tables):
        table = db.metadata.tables[name]
        total = count_rows(db.session, table)
        bar = click.progressbar(length=total, label=f"Re-encrypting {name}", file=sys.stderr)
        try:
            with bar:
                result = rotate_table(db.session, table, keys, batch, bar.update)
        except UnreadableData as error:
            db.session.rollback()
            raise click.ClickException(
                f"{error} The rows before it are done; run the command again once fixed."
            ) from None
        click.echo(f"{name}: {result.rotated:,} of {result.rows:,} rows re-encrypted.")
        rotated += result.rotated
    click.echo(
        f"Done: {rotated:,} rows re-encrypted. Every value is now under the newest key; "
        "the older keys may be removed."
    )
