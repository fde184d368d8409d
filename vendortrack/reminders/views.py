"""The administrators' Sent mail page."""

from flask import Blueprint

bp = Blueprint("reminders", __name__)
