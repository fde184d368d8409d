"""Questionnaires a vendor answers by secure link: the library of question sets in
questionnaires/ (library.py), sending a set to a vendor's contact (sending.py, with links.py the
link's token), the vendor's pages without an account (public.py, answering.py, throttle.py), the
mail about it once sent (notices.py), and our own people's pages (views.py, queries.py: the
vendor's answers beside the review's checklist, a file kept as a vendor document)."""


def init_app(app) -> None:
    """Load the questionnaire library and register its pages."""
    # Imported here rather than at the top: importing one module of the package (a pure
    # helper) must not load its pages, nor the rest of the app.
    from vendortrack.questionnaires.labels import register_labels
    from vendortrack.questionnaires.library import register_questionnaires
    from vendortrack.questionnaires.public import bp as public_bp
    from vendortrack.questionnaires.queries import checklist_answers
    from vendortrack.questionnaires.views import bp
    from vendortrack.reviews.checklist import VENDOR_ANSWERS

    register_questionnaires(app)
    # The vendor's answers, beside the checklist of its next review.
    app.extensions[VENDOR_ANSWERS] = checklist_answers
    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    register_labels(app)
