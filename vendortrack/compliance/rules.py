"""The compliance rules: each reason a vendor is not under control, and how serious it is.

A vendor with any "overdue" reason is overdue; else with any "action" reason, it needs action;
else it is compliant. Terminated vendors are not assessed. The README lists the rules.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

OVERDUE = "overdue"
ACTION = "action"
COMPLIANT = "compliant"
STATUSES = (OVERDUE, ACTION, COMPLIANT)
# Within this many days a review or a notice deadline needs action now.
SOON_DAYS = 30


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    label: object  # a lazy string


RULES = (
    Rule("review_overdue", OVERDUE, _l("The review is overdue.")),
    Rule("conditions_overdue", OVERDUE, _l("Conditions of the last review are past due.")),
    Rule("contract_ended", OVERDUE, _l("The contract has ended but the vendor is not terminated.")),
    Rule(
        "unsigned",
        ACTION,
        _l("Personal information is shared but no addendum is signed."),
    ),
    Rule(
        "missing_clause",
        ACTION,
        _l(
            "The signed addendum lacks a clause now required, and no reason for leaving it out "
            "is recorded."
        ),
    ),
    Rule(
        "outdated_clause",
        ACTION,
        _l("The signed addendum carries an outdated version of a clause."),
    ),
    Rule("review_due_soon", ACTION, _l("The review is due within 30 days.")),
    Rule(
        "notice_soon", ACTION, _l("The last day to give notice on the contract is within 30 days.")
    ),
    Rule(
        "sharing_undocumented",
        ACTION,
        _l("The vendor is active but no information shared with it is documented."),
    ),
    Rule(
        "quebec_no_pia",
        ACTION,
        _l(
            "Information about people in Québec is processed outside Québec, and no privacy "
            "impact assessment is recorded."
        ),
    ),
)
BY_CODE = {rule.code: rule for rule in RULES}
REASON_LABELS = {rule.code: rule.label for rule in RULES}
STATUS_LABELS = {
    OVERDUE: _l("Overdue"),
    ACTION: _l("Action needed"),
    COMPLIANT: _l("Compliant"),
}


def status_of(codes) -> str:
    """The status a set of reasons gives."""
    severities = {BY_CODE[code].severity for code in codes}
    if OVERDUE in severities:
        return OVERDUE
    return ACTION if ACTION in severities else COMPLIANT
