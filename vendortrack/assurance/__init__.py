"""The vendor's own assurance documents (SOC 2 report, ISO/IEC 27001 certificate, insurance
certificate, penetration-test summary, its DPA and transfer clauses), with the period they cover
and when they expire; and the policy of which ones each risk tier requires, which the compliance
rules and the expiry reminders read."""


def init_app(app) -> None:
    """Register the documents' pages and labels."""
    # Imported here rather than at the top: importing the models (the compliance rules and the
    # reminders do) must not load the pages.
    from vendortrack.assurance.labels import register_labels
    from vendortrack.assurance.views import bp

    app.register_blueprint(bp)
    register_labels(app)
