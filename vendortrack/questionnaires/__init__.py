"""Questionnaires a vendor answers by secure link: so far, the library of question sets in
questionnaires/ and the pages that show them (sending and answering come next)."""


def init_app(app) -> None:
    """Load the questionnaire library and register its pages."""
    # Imported here rather than at the top: importing one module of the package (a pure
    # helper) must not load its pages, nor the rest of the app.
    from vendortrack.questionnaires.labels import register_labels
    from vendortrack.questionnaires.library import register_questionnaires
    from vendortrack.questionnaires.views import bp

    register_questionnaires(app)
    app.register_blueprint(bp)
    register_labels(app)
