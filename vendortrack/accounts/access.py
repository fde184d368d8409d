"""Who may open which route. Every view declares its rule; a view without one is open to nobody."""

from collections.abc import Callable

from flask import abort, current_app, request
from flask_login import current_user

from vendortrack.accounts.models import Role
from vendortrack.extensions import login_manager

PUBLIC = frozenset({"public"})
EVERYONE = frozenset(Role)


def allow(*roles: Role) -> Callable:
    """Mark a view as open to signed-in users with one of these roles."""

    def mark(view: Callable) -> Callable:
        view.allowed_roles = frozenset(roles)
        return view

    return mark


def public(view: Callable) -> Callable:
    """Mark a view as open without signing in (sign-in, first set-up, error pages)."""
    view.allowed_roles = PUBLIC
    return view


def signed_in(view: Callable) -> Callable:
    """Mark a view as open to every signed-in user, whatever the role."""
    view.allowed_roles = EVERYONE
    return view


def rule_for(endpoint: str) -> frozenset | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "allowed_roles", None)


def can(endpoint: str) -> bool:
    """Whether the signed-in user may open a route: for templates, to show only usable links."""
    allowed = rule_for(endpoint)
    if allowed is None or not current_user.is_authenticated:
        return allowed is PUBLIC
    return allowed is PUBLIC or current_user.role in allowed


def authorize_request():
    """Before every request: enforce the rule of the view that will answer it."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    allowed = rule_for(request.endpoint)
    if allowed is None:
        # Fail closed: a route someone forgot to give a rule is refused to everybody.
        current_app.logger.error("route %s has no access rule", request.endpoint)
        abort(403)
    if allowed is PUBLIC:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in allowed:
        abort(403)
    return None
