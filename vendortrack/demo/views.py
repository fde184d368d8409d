"""Loading the sample register from the web."""

from flask import Blueprint

bp = Blueprint("demo", __name__, url_prefix="/demo")
