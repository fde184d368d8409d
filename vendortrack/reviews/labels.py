"""What the interface says about reviews, in the user's language."""

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from vendortrack.reviews.forms import OUTCOME_LABELS
from vendortrack.reviews.models import TriggerKind

TRIGGER_LABELS = {
    TriggerKind.NEW_CATEGORY: _l("New kind of information shared"),
    TriggerKind.NEW_COUNTRY: _l("New processing country"),
    TriggerKind.INCIDENT: _l("Incident"),
}


def describe_due_reason(code: str, params: dict) -> str:
    """One line of why the next review falls when it does."""
    if code == "policy":
        return _(
            "Our policy: every %(months)s months for this risk tier, counted from %(start)s.",
            months=params["months"],
            start=format_date(params["start"]),
        )
    if code == "renewal":
        return _(
            "The last day to give notice on the contract is %(deadline)s.",
            deadline=format_date(params["deadline"]),
        )
    return _(
        "%(event)s on %(on)s asks for an earlier review.",
        event=TRIGGER_LABELS[TriggerKind(code)],
        on=format_date(params["on"]),
    )


def register_labels(app) -> None:
    app.jinja_env.globals.update(
        OUTCOME_LABELS=OUTCOME_LABELS,
        TRIGGER_LABELS=TRIGGER_LABELS,
        describe_due_reason=describe_due_reason,
    )
