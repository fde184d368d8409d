"""`flask --app vendortrack users create EMAIL --role ROLE`.

The password is asked for (or piped), never given as an argument that shell history would keep.
"""

import sys

import click
from flask.cli import AppGroup

from vendortrack.accounts.models import Role
from vendortrack.accounts.services import AccountError, create_user, password_problem
from vendortrack.extensions import db
from vendortrack.forms import CONTROL

users_cli = AppGroup("users", help="Manage user accounts.")


def read_password(email: str) -> str:
    """Ask twice on a terminal; read one line when the password is piped on standard input."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    problem = password_problem(password, email)
    if problem:
        raise click.ClickException(f"Password refused: {problem}")
    return password


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role]), help="The user's role."
)
@click.option("--name", help="Display name (defaults to the part of the email before @).")
@click.option("--language", type=click.Choice(["en", "fr"]), default="en", show_default=True)
def create_command(email, role, name, language):
    """Create a user; the password is read from a prompt or from standard input."""
    if name and CONTROL.search(name):  # as the forms refuse it: a name is shown on one line
        raise click.BadParameter(
            "remove the line breaks or control characters.", param_hint="--name"
        )
    password = read_password(email)
    try:
        user = create_user(email, name or email.split("@")[0], Role(role), language, password)
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} {user.email}.")
