"""The one-time set-up: while nobody has an account, every page leads to the first admin."""

from flask import current_app, redirect, request, url_for

from vendortrack.accounts.services import has_users

SETUP_ENDPOINTS = {"accounts.setup", "accounts.language", "static"}


def installation_has_users() -> bool:
    # Users are never deleted, so once one exists the answer cannot change: remember it and spare
    # every later request the query.
    if not current_app.extensions.get("vendortrack_has_users"):
        current_app.extensions["vendortrack_has_users"] = has_users()
    return current_app.extensions["vendortrack_has_users"]


def require_first_admin():
    """Before every request: send everyone to set-up until the first administrator exists."""
    if request.endpoint in SETUP_ENDPOINTS or installation_has_users():
        return None
    return redirect(url_for("accounts.setup"))
