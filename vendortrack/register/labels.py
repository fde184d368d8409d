"""What the interface calls the register's values, in the user's language."""

from flask_babel import format_decimal, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from vendortrack.geography import location_name
from vendortrack.register.catalogue import categories, subjects
from vendortrack.register.models import ConsentBasis, Level, SubProcessorSource, VendorStatus
from vendortrack.register.risk import Reason

STATUS_LABELS = {
    VendorStatus.PROSPECT: _l("Prospect"),
    VendorStatus.ACTIVE: _l("Active"),
    VendorStatus.OFFBOARDING: _l("Offboarding"),
    VendorStatus.TERMINATED: _l("Terminated"),
}
# Risk tiers ("niveau" in French, masculine) and criticality ("criticité", feminine) share one
# scale but not one set of words: French adjectives agree, so each has its own context.
LEVEL_LABELS = {
    Level.LOW: _l("Low"),
    Level.MEDIUM: _l("Medium"),
    Level.HIGH: _l("High"),
    Level.CRITICAL: _l("Critical"),
}
CRITICALITY_LABELS = {
    Level.LOW: lazy_pgettext("criticality", "Low"),
    Level.MEDIUM: lazy_pgettext("criticality", "Medium"),
    Level.HIGH: lazy_pgettext("criticality", "High"),
    Level.CRITICAL: lazy_pgettext("criticality", "Critical"),
}
SENSITIVITY_LABELS = {
    Level.LOW: _l("low"),
    Level.MEDIUM: _l("moderate"),
    Level.HIGH: _l("high"),
    Level.CRITICAL: _l("very high"),
}
CONSENT_LABELS = {
    ConsentBasis.EXPRESS: _l("Express consent"),
    ConsentBasis.IMPLIED: _l("Implied consent"),
    ConsentBasis.OPT_OUT: _l("Opt-out consent"),
}
FILTER_LABELS = {
    "status": _l("status"),
    "criticality": _l("criticality"),
    "risk": _l("risk tier"),
    "owner": _l("owner"),
    "country": _l("country"),
    "category": _l("category"),
    "compliance": _l("compliance"),
    "sort": _l("sort order"),
}


def translated(labels: dict) -> dict:
    """The labels as plain strings in the current language, for pages that show one per row:
    a lazy string would be translated again each time it is shown."""
    return {key: str(label) for key, label in labels.items()}


def category_label(code: str, lang: str) -> str:
    entry = categories().get(code)
    return entry.label(lang) if entry else code


def subject_label(code: str, lang: str) -> str:
    entry = subjects().get(code)
    return entry.label(lang) if entry else code


def describe_reason(reason: Reason, lang: str) -> str:
    """One line of the risk tier's explanation."""
    p = reason.params
    if reason.code == "criticality":
        return _("Criticality to the business: %(level)s.", level=CRITICALITY_LABELS[p["level"]])
    if reason.code == "no_sharing":
        return _("No personal information is recorded as shared.")
    if reason.code == "sensitivity":
        return _(
            "Most sensitive information shared: %(category)s (%(level)s sensitivity).",
            category=category_label(p["category"], lang),
            level=SENSITIVITY_LABELS[p["level"]],
        )
    if reason.code == "volume":
        return _(
            "Large volume: %(records)s records (%(threshold)s or more raises the tier by one).",
            records=format_decimal(p["records"]),
            threshold=format_decimal(p["threshold"]),
        )
    if reason.code == "cross_border":
        places = ", ".join(location_name(code, lang) for code in p["locations"])
        return _(
            "Processed outside our home country: %(places)s (raises the tier by one).",
            places=places,
        )
    return reason.code


SUB_PROCESSOR_SOURCE_LABELS = {
    SubProcessorSource.LIST: _l("from the vendor’s list"),
    SubProcessorSource.NOTICE: _l("from a notice of change"),
    SubProcessorSource.CONTRACT: _l("from the agreement"),
}


def register_labels(app) -> None:
    """Make the labels available to every template."""
    app.jinja_env.globals.update(
        SUB_PROCESSOR_SOURCE_LABELS=SUB_PROCESSOR_SOURCE_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        LEVEL_LABELS=LEVEL_LABELS,
        CRITICALITY_LABELS=CRITICALITY_LABELS,
        CONSENT_LABELS=CONSENT_LABELS,
        category_label=category_label,
        subject_label=subject_label,
        location_name=location_name,
        describe_reason=describe_reason,
    )
