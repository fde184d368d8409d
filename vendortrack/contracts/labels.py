"""What the review page calls topics, findings and decisions, in the user's language."""

from flask_babel import lazy_gettext as _l

from vendortrack.contracts.models import Decision

TOPIC_LABELS = {
    "protection": _l("Security safeguards"),
    "audit": _l("Right to audit"),
    "purpose": _l("Use limited to the contract’s purposes"),
    "access_requests": _l("Access requests forwarded"),
    "breach": _l("Breach notice"),
    "return_destruction": _l("Return or destruction at the end"),
    "sub_processors": _l("Sub-processors"),
    "cross_border": _l("Transfers outside the jurisdiction"),
    "personnel": _l("Staff bound to confidentiality"),
}
FINDING_LABELS = {
    "present": _l("Present"),
    "weak": _l("Weak"),
    "missing": _l("Missing"),
    "denied": _l("Denied"),
}
FINDING_STYLES = {
    "present": "success",
    "weak": "warning",
    "missing": "secondary",
    "denied": "danger",
}
DECISION_LABELS = {
    Decision.ACCEPTED: _l("Finding confirmed"),
    Decision.REJECTED: _l("Finding rejected"),
    Decision.WAIVED: _l("Gap accepted"),
}
FIGURE_LABELS = {"hours": _l("hours"), "days": _l("days")}


def register_labels(app) -> None:
    app.jinja_env.globals.update(
        AGREEMENT_TOPIC_LABELS=TOPIC_LABELS,
        AGREEMENT_FINDING_LABELS=FINDING_LABELS,
        AGREEMENT_FINDING_STYLES=FINDING_STYLES,
        AGREEMENT_DECISION_LABELS=DECISION_LABELS,
        AGREEMENT_FIGURE_LABELS=FIGURE_LABELS,
    )
