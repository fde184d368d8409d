"""Evidence packs: what an auditor asks about one vendor, in one zip file."""


def init_app(app) -> None:
    """Register the evidence pack download."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.evidence.views import bp

    app.register_blueprint(bp)
