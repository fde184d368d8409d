"""The vendor register: each vendor, what personal information goes to it, why, where and
for how long."""


def init_app(app) -> None:
    """Register the vendor pages, the `vendors` commands and the labels templates use."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.vendors.cli import vendors_cli
    from vendortrack.vendors.labels import register_labels
    from vendortrack.vendors.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(vendors_cli)
    register_labels(app)
