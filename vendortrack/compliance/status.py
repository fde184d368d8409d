"""Compliance status in SQL: each rule an expression on the vendor row, so that the database
judges many vendors at once (stored.py stores the result on the vendor row), never a Python
loop over the register.

The addendum rules need the clauses a vendor's facts call for now. The facts
(vendortrack/addenda/facts.py) are restated here as EXISTS over the vendor's data sharing rows
and their places; a test holds the two to the same answers.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import (
    Date,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.sql.elements import ColumnElement

from vendortrack.addenda.facts import HIGH_RISK, QUEBEC, SENSITIVE, Standing
from vendortrack.addenda.library import Library
from vendortrack.addenda.models import Addendum, AddendumClause, AddendumStatus
from vendortrack.assurance.models import RequiredDocument, VendorDocument
from vendortrack.compliance.rules import (
    BY_CODE,
    SOON_DAYS,
    Rule,
    holds_until,
    status_of,
)
from vendortrack.contracts.models import AgreementCheck, AgreementFinding, Decision
from vendortrack.extensions import db
from vendortrack.geography import EEA_COUNTRIES
from vendortrack.organisation.services import legal_standing
from vendortrack.register.catalogue import categories
from vendortrack.register.models import (
    DataSharing,
    ProcessingLocation,
    SubProcessorChange,
    Vendor,
    VendorStatus,
)
from vendortrack.reviews.models import Review, ReviewCondition

Expressions = dict[str, ColumnElement[bool]]
# Raise it with any change to what a rule below means: the stored statuses were judged by the
# rules as they were, and a new number has every one of them judged again (stored.py).
# 4: the vendor's own agreement, reviewed, counts as a signed addendum; 5: required documents
# and sub-processor changes awaiting a decision
RULES_VERSION = 5


def standing() -> Standing:
    """Where the organisation stands, from its settings: the facts depend on it."""
    return Standing.of(legal_standing())


def fact_expressions(where: Standing) -> Expressions:
    """The addenda's vendor facts, as conditions on a vendor row."""
    country = func.upper(func.substr(ProcessingLocation.code, 1, 2))
    sensitive = [code for code, entry in categories().items() if entry.sensitivity >= SENSITIVE]
    quebec, eu = DataSharing.subjects_in_quebec.is_(True), DataSharing.subjects_in_eu.is_(True)
    california = _shared(DataSharing.subjects_in_california.is_(True))
    eu_outside = _placed(eu, country.not_in(sorted(EEA_COUNTRIES)))
    return {
        "shares_personal_information": _shared(),
        "sensitive_information": _shared(DataSharing.category.in_(sensitive)),
        "subjects_in_quebec": _shared(quebec),
        "subjects_in_eu": _shared(eu),
        "subjects_in_california": california,
        "processed_outside_home_country": _placed(country != where.home_country),
        "quebec_data_outside_quebec": _placed(
            *(() if where.home_in_quebec else (quebec,)), ProcessingLocation.code != QUEBEC
        ),
        "eu_data_outside_eu": eu_outside,
        "quebec_act_applies": _shared() if where.home_in_quebec else _shared(quebec),
        "pia_recorded": Vendor.pia_completed_on.is_not(None),
        "pia_measures_recorded": or_(
            func.coalesce(Vendor.pia_measures, "") != "",
            func.coalesce(Vendor.pia_measures_fr, "") != "",
        ),
        "ccpa_applies": california if where.ccpa_business else false(),
        "uncapped_liability": _shared() if where.uncapped_liability else false(),
        "high_risk": Vendor.risk_tier.in_(HIGH_RISK),
        "scc_switzerland": eu_outside if where.swiss_transfers else false(),
        "scc_united_kingdom": eu_outside if where.uk_transfers else false(),
    }


# Every EXISTS takes all but its own tables from the enclosing queries: nested inside another
# EXISTS (a clause rule inside "the signed addendum"), SQLAlchemy would otherwise correlate it
# with the nearest enclosing query only, and ask about any vendor instead of this one.
def _shared(*where) -> ColumnElement[bool]:
    return exists().where(DataSharing.vendor_id == Vendor.id, *where).correlate_except(DataSharing)


def _placed(*where) -> ColumnElement[bool]:
    return (
        exists()
        .where(
            DataSharing.vendor_id == Vendor.id,
            ProcessingLocation.data_sharing_id == DataSharing.id,
            *where,
        )
        .correlate_except(DataSharing, ProcessingLocation)
    )


def reason_expressions(
    today, library: Library, where: Standing, facts: Expressions | None = None, soon=None
) -> Expressions:
    """Each rule's code, with the condition under which a vendor has that reason. `today` (and
    `soon`, 30 days later) may be dates or bound parameters; `facts`: the vendor's facts
    already worked out (columns of a subquery), else worked out inline."""
    facts = facts or fact_expressions(where)
    soon = soon if soon is not None else today + timedelta(days=SOON_DAYS)
    live = Vendor.status.in_([VendorStatus.ACTIVE, VendorStatus.OFFBOARDING])
    return {
        "review_overdue": Vendor.review_due_on < today,
        "conditions_overdue": exists().where(
            Review.vendor_id == Vendor.id,
            ReviewCondition.review_id == Review.id,
            ReviewCondition.met_on.is_(None),
            ReviewCondition.due_on < today,
        ),
        "contract_ended": and_(live, Vendor.contract_end < today),
        "unsigned": and_(facts["shares_personal_information"], not_(_signed()), not_(_agreement())),
        # _agreement() first: a vendor without a checked agreement skips the clause tests.
        "agreement_pending": and_(
            facts["shares_personal_information"],
            not_(_signed()),
            _agreement(),
            _agreement_clause(library, facts, _undecided),
        ),
        "agreement_gap": and_(
            facts["shares_personal_information"],
            not_(_signed()),
            _agreement(),
            _agreement_clause(library, facts, _uncovered),
        ),
        "missing_clause": _missing_clause(library, facts),
        "missing_terms": _missing_terms(library, facts),
        "outdated_clause": _outdated_clause(library),
        "review_due_soon": Vendor.review_due_on.between(today, soon),
        "notice_soon": Vendor.notice_deadline_on.between(today, soon),
        "sharing_undocumented": and_(
            Vendor.status == VendorStatus.ACTIVE, not_(facts["shares_personal_information"])
        ),
        "quebec_no_pia": and_(
            facts["quebec_data_outside_quebec"], Vendor.pia_completed_on.is_(None)
        ),
        "sub_processor_change": exists()
        .where(SubProcessorChange.vendor_id == Vendor.id, SubProcessorChange.decision.is_(None))
        .correlate_except(SubProcessorChange),
        "document_required": _document_lacking(today),
    }


def _document_lacking(today) -> ColumnElement[bool]:
    """A kind of document the vendor's risk tier requires, of which it has none good today (no
    expiry, or expiring today or later)."""
    good = (
        exists()
        .where(
            VendorDocument.vendor_id == Vendor.id,
            VendorDocument.kind == RequiredDocument.kind,
            or_(VendorDocument.expires_on.is_(None), VendorDocument.expires_on >= today),
        )
        .correlate_except(VendorDocument)
    )
    return (
        exists()
        .where(RequiredDocument.risk_tier == Vendor.risk_tier, not_(good))
        .correlate_except(RequiredDocument)
    )


def _signed(*where) -> ColumnElement[bool]:
    return (
        exists()
        .where(Addendum.vendor_id == Vendor.id, Addendum.status == AddendumStatus.SIGNED, *where)
        .correlate_except(Addendum)
    )


def _agreement() -> ColumnElement[bool]:
    """The vendor's own agreement is checked (contracts/): its findings stand in for the
    signed addendum until one is signed."""
    return (
        exists()
        .where(AgreementCheck.vendor_id == Vendor.id, AgreementCheck.current)
        .correlate_except(AgreementCheck)
    )


def _finding(clause_id: str, *where) -> ColumnElement[bool]:
    """A finding of the vendor's current check on that clause, matching `where`."""
    return (
        exists()
        .where(
            AgreementCheck.vendor_id == Vendor.id,
            AgreementCheck.current,
            AgreementFinding.check_id == AgreementCheck.id,
            AgreementFinding.clause == clause_id,
            *where,
        )
        .correlate_except(AgreementCheck, AgreementFinding)
    )


def _covers() -> ColumnElement[bool]:
    # AgreementFinding.covers, in SQL.
    present = AgreementFinding.finding == "present"
    return or_(
        AgreementFinding.decision == Decision.WAIVED,
        and_(AgreementFinding.decision == Decision.ACCEPTED, present),
        and_(AgreementFinding.decision == Decision.REJECTED, not_(present)),
    )


def _undecided(clause_id: str) -> ColumnElement[bool]:
    return _finding(clause_id, AgreementFinding.decision.is_(None))


def _uncovered(clause_id: str) -> ColumnElement[bool]:
    """Decided as leaving the clause uncovered, or with no finding at all (a check made before
    the clause came into the library): never silently covered."""
    return not_(_finding(clause_id, or_(_covers(), AgreementFinding.decision.is_(None))))


def _agreement_clause(library: Library, facts: Expressions, finding) -> ColumnElement[bool]:
    """A required clause the facts call for whose finding in the vendor's current check
    matches `finding`: each clause has its own, the nine the rules read and the library's
    others by their key phrases."""
    return or_(
        false(),
        *(
            and_(_applies(clause, facts), finding(clause.id))
            for clause in library.ordered()
            if clause.required
        ),
    )


def _applies(clause, facts: Expressions) -> ColumnElement[bool]:
    every = [facts[name] for name in clause.all_facts if name in facts]
    if len(every) < len(clause.all_facts):
        return false()  # a fact the database cannot know is taken as false, as in Python
    some = [facts[name] for name in clause.any_facts if name in facts]
    return and_(true(), *every, or_(*some) if clause.any_facts else true())


def _missing_clause(library: Library, facts: Expressions) -> ColumnElement[bool]:
    """A required clause the facts call for now, neither in the signed addendum nor left out
    of it with a recorded reason."""
    missing = [
        and_(
            _applies(clause, facts),
            not_(
                exists().where(
                    AddendumClause.addendum_id == Addendum.id,
                    AddendumClause.clause_id == clause.id,
                )
            ),
            Addendum.omissions[clause.id].as_string().is_(None),
        )
        for clause in library.ordered()
        if clause.required
    ]
    return _signed(or_(false(), *missing))


def _missing_terms(library: Library, facts: Expressions) -> ColumnElement[bool]:
    """A clause of the signed addendum printed without an addition its facts call for now: the
    addendum records the facts it was built on, and a fact then false (or not recorded) did not
    print the addition."""
    missing = [
        and_(
            exists().where(
                AddendumClause.addendum_id == Addendum.id, AddendumClause.clause_id == clause.id
            ),
            *(facts[name] for name in addition.when),
            or_(*(not_(_recorded(name)) for name in addition.when)),
        )
        for clause in library.ordered()
        for addition in clause.additions
        if all(name in facts for name in addition.when)
    ]
    return _signed(or_(false(), *missing))


def _recorded(fact: str) -> ColumnElement[bool]:
    # The fact as the addendum recorded it when it was built: {"facts": {name: true|false}}.
    return func.coalesce(Addendum.facts[("facts", fact)].as_boolean(), false())


def _outdated_clause(library: Library) -> ColumnElement[bool]:
    current = case(
        {c.id: c.version for c in library.clauses.values()},
        value=AddendumClause.clause_id,
        else_=0,
    )
    return _signed(
        exists().where(AddendumClause.addendum_id == Addendum.id, AddendumClause.version < current)
    )


@dataclass(frozen=True)
class Judgement:
    codes: list[str]  # the rules the vendor breaks, in the rules' order
    holds_until: date  # the last day these are still its reasons (rules.holds_until)


def judge(vendor_ids, today: date, library: Library, where: Standing) -> dict[int, Judgement]:
    """{vendor id: its reasons today, and until when they hold} for these vendors, in one query;
    a terminated vendor is absent."""
    query, codes = _assessment_query(library, where)
    rows = db.session.execute(
        query,
        {"ids": list(vendor_ids), "today": today, "soon": today + timedelta(days=SOON_DAYS)},
    )
    return {
        row.id: Judgement(
            [code for code in codes if getattr(row, code)],
            holds_until(
                today,
                row.review_due_on,
                row.notice_deadline_on,
                row.contract_end,
                row.next_condition_due,
                row.next_document_expiry,
            ),
        )
        for row in rows
    }


def assess(vendor_ids, today: date, library: Library, where: Standing) -> dict[int, list[str]]:
    """{vendor id: the codes of its reasons} for these vendors, in one query; a terminated
    vendor is absent."""
    return {
        vendor_id: found.codes
        for vendor_id, found in judge(vendor_ids, today, library, where).items()
    }


_queries: dict[tuple, tuple] = {}


def _assessment_query(library: Library, where: Standing) -> tuple:
    # Built once per library and home country, with the day and the vendors as parameters:
    # building this expression costs more than running it, on every page. Keyed by what the
    # query is made of, so that another library (tests load several) gets its own.
    shape = tuple(
        (
            c.id,
            c.version,
            c.topic,
            c.required,
            c.all_facts,
            c.any_facts,
            tuple(a.when for a in c.additions),
        )
        for c in library.ordered()
    )
    key = (shape, where)
    if key not in _queries:
        if len(_queries) > 16:
            _queries.clear()
        expressions = fact_expressions(where)
        # The facts once per vendor, in a subquery: the clause rules name them over and over.
        known = (
            select(Vendor.id.label("vendor_id"), *(e.label(n) for n, e in expressions.items()))
            .where(
                Vendor.id.in_(bindparam("ids", expanding=True)),
                Vendor.status != VendorStatus.TERMINATED,
            )
            .subquery("facts")
        )
        facts = {name: known.c[name] for name in expressions}
        today, soon = bindparam("today", type_=Date), bindparam("soon", type_=Date)
        reasons = reason_expressions(today, library, where, facts, soon)
        columns = [expression.label(code) for code, expression in reasons.items()]
        query = select(Vendor.id, *columns, *_dates(today)).join(
            known, known.c.vendor_id == Vendor.id
        )
        _queries[key] = (query, tuple(reasons))
    return _queries[key]


def _dates(today) -> list:
    # The dates from which rules.holds_until works out how long the reasons hold.
    next_condition = (
        select(func.min(ReviewCondition.due_on))
        .join(Review, Review.id == ReviewCondition.review_id)
        .where(
            Review.vendor_id == Vendor.id,
            ReviewCondition.met_on.is_(None),
            ReviewCondition.due_on >= today,
        )
        .correlate(Vendor)
        .scalar_subquery()
    )
    # Any document's, required or not: judging a vendor again for nothing costs only the time.
    next_expiry = (
        select(func.min(VendorDocument.expires_on))
        .where(VendorDocument.vendor_id == Vendor.id, VendorDocument.expires_on >= today)
        .correlate(Vendor)
        .scalar_subquery()
    )
    return [
        Vendor.review_due_on,
        Vendor.notice_deadline_on,
        Vendor.contract_end,
        next_condition.label("next_condition_due"),
        next_expiry.label("next_document_expiry"),
    ]


@dataclass(frozen=True)
class Assessment:
    status: str
    rules: list[Rule]


def assessments(vendor_ids, today: date) -> dict[int, Assessment]:
    """{vendor id: its status and the rules it breaks} for these vendors, in one query."""
    found = assess(vendor_ids, today, current_app.extensions["clause_library"], standing())
    return {
        vendor_id: Assessment(status_of(codes), [BY_CODE[code] for code in codes])
        for vendor_id, codes in found.items()
    }
