"""Reminder mail: one digest per person of what falls due, escalated when overdue."""


def init_app(app) -> None:
    """Register the sent-mail pages and the `reminders` commands."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.reminders.cli import reminders_cli
    from vendortrack.reminders.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(reminders_cli)
