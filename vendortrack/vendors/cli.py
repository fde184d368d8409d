"""`flask --app vendortrack vendors ...` commands."""

from flask.cli import AppGroup

vendors_cli = AppGroup("vendors", help="The vendor register.")
