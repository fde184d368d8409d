"""The administrators' audit trail page and its export: who saw or changed which record. The
trail itself is recorded by vendortrack.trail."""


def init_app(app) -> None:
    """Register the audit trail page."""
    # Imported here rather than at the top: importing one module of the package must not load
    # its pages, nor the rest of the app.
    from vendortrack.audit.views import bp

    app.register_blueprint(bp)
