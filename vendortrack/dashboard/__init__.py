"""The managers' home page: where the register stands, what falls due, and the trend."""


def init_app(app) -> None:
    """Register the managers' home page."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.dashboard.views import bp

    app.register_blueprint(bp)
