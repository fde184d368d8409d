"""Reviews: each vendor checked again on a schedule set by its risk, with conditions and
evidence."""


def init_app(app) -> None:
    """Register the review pages, the `reviews` commands and their labels."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.reviews.cli import reviews_cli
    from vendortrack.reviews.labels import register_labels
    from vendortrack.reviews.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(reviews_cli)
    register_labels(app)
