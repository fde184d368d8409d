"""`flask --app vendortrack demo`: load the sample register."""

import click


@click.command("demo")
def demo_command():
    """Load a realistic sample register."""
