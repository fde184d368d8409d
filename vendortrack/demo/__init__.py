"""The demonstration: sample vendors and settings, loaded on request, to try VendorTrack."""


def init_app(app) -> None:
    """Register the demonstration page and the `demo` command."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.demo.cli import demo_command
    from vendortrack.demo.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(demo_command)
