"""Calendar feeds: each person's review dates, for their calendar program."""


def init_app(app) -> None:
    """Register the calendar feed pages."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.feeds.views import bp

    app.register_blueprint(bp)
