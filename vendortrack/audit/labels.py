"""What the audit trail page calls actions, records and filters, in the user's language."""

import json

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "view": _l("Viewed"),
    "export": _l("Exported"),
    "create": _l("Created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
}
# One per name the recorder gives a tracked table (@track in the models); a test checks that
# none is missing.
ENTITY_LABELS = {
    "vendor": _l("Vendor"),
    "data_sharing": _l("Data sharing row"),
    "processing_location": _l("Processing location"),
    "sub_processor": _l("Sub-processor"),
    "sub_processor_change": _l("Sub-processor change notice"),
    "addendum": _l("Addendum"),
    "agreement_document": _l("Vendor’s agreement document"),
    "agreement_check": _l("Check of the vendor’s agreement"),
    "agreement_finding": _l("Finding on the vendor’s agreement"),
    "review": _l("Review"),
    "review_condition": _l("Review condition"),
    "evidence_file": _l("Evidence file"),
    "review_trigger": _l("Review trigger"),
    "questionnaire": _l("Questionnaire"),
    "vendor_document": _l("Vendor’s document"),
    "document_policy": _l("Documents required by risk tier"),
    "questionnaire_answer": _l("Vendor’s answer to a questionnaire"),
    "questionnaire_file": _l("File attached to a questionnaire"),
    "user": _l("User"),
    "review_policy": _l("Review policy"),
    "settings": _l("Settings"),
    "audit_entry": _l("Audit trail"),
    "evidence_pack": _l("Evidence pack"),
}
# Named in the notice about filters that were not understood, as the vendor list does.
FILTER_LABELS = {
    "user": _l("person"),
    "vendor": _l("vendor"),
    "action": _l("action"),
    "entity": _l("kind of record"),
    "start": _l("first day"),
    "end": _l("last day"),
}


def shown_changes(changes: dict | None) -> list[tuple[str, str | None, str | None]]:
    """(field, before, after) as text for the changes column, None standing for empty.

    Fields empty on both sides are left out: a new record lists only what was filled in.
    """
    shown = []
    for name, (before, after) in (changes or {}).items():
        before_text, after_text = shown_value(before), shown_value(after)
        if before_text is not None or after_text is not None:
            shown.append((name, before_text, after_text))
    return shown


def shown_value(value) -> str | None:
    """A recorded value as text; None when there is nothing to show.

    Values are stored as JSON, so lists, numbers and true/false are shown as JSON writes them.
    """
    if value is None or value in ("", []):
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
