"""The one-time set-up: until an administrator can sign in, every page leads to creating one."""

from flask import current_app, redirect, request, url_for

from vendortrack.accounts.services import has_admin

SETUP_ENDPOINTS = {"accounts.setup", "accounts.language", "static"}


def installation_has_admin() -> bool:
    # Users are never deleted and the last active administrator cannot be demoted or
    # deactivated, so once one exists the answer cannot change: remember it and spare every
    # later request the query.
    if not current_app.extensions.get("vendortrack_has_admin"):
        current_app.extensions["vendortrack_has_admin"] = has_admin()
    return current_app.extensions["vendortrack_has_admin"]


def require_first_admin():
    """Before every request: send everyone to set-up until an administrator can sign in.

    Counting any user would not do: loading the sample register first creates users without
    passwords, and would leave an installation nobody can enter.
    """
    if request.endpoint in SETUP_ENDPOINTS or installation_has_admin():
        return None
    return redirect(url_for("accounts.setup"))
