"""The compliance rules: each reason a vendor is not under control, and how serious it is.

A vendor with any "overdue" reason is overdue; else with any "action" reason, it needs action;
else it is compliant. Terminated vendors are not assessed. The README lists the rules.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

OVERDUE = "overdue"
ACTION = "action"
COMPLIANT = "compliant"
STATUSES = (OVERDUE, ACTION, COMPLIANT)
# Within this many days a review or a notice deadline needs action now.
SOON_DAYS = 30
# A status that no day to come can change (a terminated vendor's, one without dates) holds until
# this day, so that "is it still true today?" is one comparison with an index.
FOREVER = date(9999, 12, 31)


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
        _l(
            "Personal information is shared but no addendum is signed, and the vendor’s own "
            "agreement is not checked."
        ),
    ),
    Rule(
        "agreement_pending",
        ACTION,
        _l(
            "The vendor’s own agreement is checked, and legal has not yet decided on each "
            "finding a required clause depends on."
        ),
    ),
    Rule(
        "agreement_gap",
        ACTION,
        _l(
            "The vendor’s own agreement falls short of a required clause (weak, missing or "
            "denied), and no waiver is recorded."
        ),
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
        "missing_terms",
        ACTION,
        _l(
            "A clause of the signed addendum lacks terms the vendor's facts now call for (a law "
            "that now applies, the information's sensitivity, the vendor's risk)."
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
        _l("Personal information leaves Québec, and no privacy impact assessment is recorded."),
    ),
    Rule(
        "sub_processor_change",
        ACTION,
        _l("A change the vendor announced to its sub-processors awaits legal’s decision."),
    ),
    Rule(
        "document_required",
        ACTION,
        _l("A document the vendor’s risk tier requires is missing or has expired."),
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


def holds_until(
    day: date,
    review_due: date | None,
    notice_deadline: date | None,
    contract_end: date | None,
    next_condition_due: date | None,
    next_document_expiry: date | None = None,
) -> date:
    """The last day on which the reasons judged on `day` are still the reasons: the day before
    the first day, after `day`, that one of the dated rules turns (a review or notice deadline
    coming within SOON_DAYS, then passing; a contract's end passing; the earliest condition not
    met, due on or after `day`, passing; the earliest document still good on `day` expiring).
    Only dates make a status change with time; every other rule changes only when a row does,
    and the row's change judges the vendor again."""
    turns = []
    for deadline in (review_due, notice_deadline):
        if deadline is not None:
            turns += [_moved(deadline, -SOON_DAYS), _moved(deadline, 1)]
    for deadline in (contract_end, next_condition_due, next_document_expiry):
        if deadline is not None:
            turns.append(_moved(deadline, 1))
    later = [turn for turn in turns if turn > day]
    return _moved(min(later), -1) if later else FOREVER


def _moved(day: date, days: int) -> date:
    # A date at the calendar's ends (year 1, year 9999) has no day beyond it to turn on.
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return day
