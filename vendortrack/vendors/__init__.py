"""The vendor register's pages and commands: the list, each vendor's page with its compliance,
reviews and addenda, editing, import and export. Above every feature whose facts it shows; the
records themselves are vendortrack.register."""


def init_app(app) -> None:
    """Register the vendor pages, the `vendors` commands and the labels templates use."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.register.labels import register_labels
    from vendortrack.vendors import sub_processor_views  # noqa: F401  (its routes join bp)
    from vendortrack.vendors.cli import vendors_cli
    from vendortrack.vendors.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(vendors_cli)
    register_labels(app)
