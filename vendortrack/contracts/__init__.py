"""Reading a vendor's own agreement (its DPA, its privacy terms): which of the clauses our
library requires it has, weakens, omits or denies, with the sentence that says so."""


def init_app(app) -> None:
    """Register the vendor's agreement pages and the `contracts` commands."""
    # Imported here: reading.py and check.py are pure, and import without the app.
    from vendortrack.contracts.cli import contracts_cli
    from vendortrack.contracts.labels import register_labels
    from vendortrack.contracts.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(contracts_cli)
    register_labels(app)
