"""The organisation's settings: who signs the addenda, under which law, on which letterhead."""


def init_app(app) -> None:
    """Register the settings page and the `settings` commands."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.organisation.cli import settings_cli
    from vendortrack.organisation.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(settings_cli)
