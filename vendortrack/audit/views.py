"""The administrators' audit trail page and its CSV export."""

from flask import Blueprint

bp = Blueprint("audit", __name__)
