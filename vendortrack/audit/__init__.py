"""The audit trail: who saw or changed which record, recorded as the session flushes, and
the administrators' page that reads it."""


def init_app(app) -> None:
    """Record every change of the tracked records, and register the audit trail page."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.audit.recorder import register_audit
    from vendortrack.audit.views import bp

    register_audit(app)
    app.register_blueprint(bp)
