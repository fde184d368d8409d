"""Contract addenda: generated from the clause library, tracked to signature."""


def init_app(app) -> None:
    """Load the clause library, and register the addenda pages, the `addenda` commands and
    their labels."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.addenda.cli import addenda_cli
    from vendortrack.addenda.labels import register_labels
    from vendortrack.addenda.library import register_clause_library
    from vendortrack.addenda.views import bp

    register_clause_library(app)
    app.register_blueprint(bp)
    app.cli.add_command(addenda_cli)
    register_labels(app)
