"""Accounts: who may sign in, with which role, and the access rules every request passes."""


def init_app(app) -> None:
    """Register the sign-in and user pages, the `users` commands, the access rules and their
    template helpers."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.accounts.access import authorize_request, can
    from vendortrack.accounts.cli import users_cli
    from vendortrack.accounts.forms import ROLE_LABELS
    from vendortrack.accounts.setup import require_first_admin
    from vendortrack.accounts.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
    # Order matters: an empty installation sends everyone to set-up before any rule is checked.
    app.before_request(require_first_admin)
    app.before_request(authorize_request)
    app.jinja_env.globals.update(can=can, ROLE_LABELS=ROLE_LABELS)
