"""Keeping a vendor's own agreement and legal's review of it: documents added and removed, the
check run again over all of them each time, and a decision on each finding. Functions flush;
the caller commits."""

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from vendortrack.accounts.models import User
from vendortrack.addenda.compose import Scope
from vendortrack.addenda.facts import choice_facts
from vendortrack.addenda.models import Addendum
from vendortrack.addenda.services import AddendumRequest, checklist, facts_for, generate_addendum
from vendortrack.contracts.check import CHECKER_VERSION, Report, Standard, check
from vendortrack.contracts.models import (
    CONTEXT_LIMIT,
    QUOTE_LIMIT,
    AgreementCheck,
    AgreementDocument,
    AgreementFinding,
    Decision,
)
from vendortrack.contracts.reading import Paragraph, read_agreement
from vendortrack.extensions import db
from vendortrack.register.models import Vendor
from vendortrack.uploads import UploadError, stored_name
from vendortrack.uploads.common import check_upload_size

NOT_AN_AGREEMENT = _l(
    "No processing obligations found: this does not read as a processing agreement (an NDA, a "
    "licence or a privacy notice, say). Nothing was recorded."
)
NEITHER_LANGUAGE = _l(
    "The agreement is in neither English nor French: VendorTrack reads only those. Nothing was "
    "recorded."
)
# What a gap addendum holds besides the gaps: its scope and precedence, and the closing
# provisions (law, notices, counterparts) any contract needs.
FRAME = ("general", "final_provisions")
ALREADY_THERE = _l("This file is already one of the vendor’s agreement documents.")
NO_LONGER_AN_AGREEMENT = _l(
    "Read by the current rules, the documents hold no processing obligations: the earlier check "
    "stays as it was. Add the document that holds them, or remove those that do not."
)


class AgreementError(UploadError):
    """A document or a decision refused; the message says why, for the user."""


def documents_of(vendor: Vendor) -> list[AgreementDocument]:
    return list(
        db.session.scalars(
            select(AgreementDocument)
            .where(AgreementDocument.vendor_id == vendor.id)
            .order_by(AgreementDocument.uploaded_at, AgreementDocument.id)
        )
    )


def current_check(vendor: Vendor) -> AgreementCheck | None:
    """The check of the documents the vendor's agreement holds now, if any: once a document is
    added or removed, the checks of the paper as it was are history, their decisions with them."""
    return db.session.scalar(
        select(AgreementCheck).where(AgreementCheck.vendor_id == vendor.id, AgreementCheck.current)
    )


def agreement_gaps(vendor: Vendor, settings, library) -> list[AgreementFinding]:
    """The decided findings of the vendor's current check that leave a required clause
    uncovered, as the compliance rule counts them, for its page to say what the agreement
    lacks, quote by quote."""
    run = current_check(vendor)
    if run is None:
        return []
    required = {clause.id for clause in required_clauses(vendor, settings, library)}
    return [f for f in run.findings if f.clause in required and f.decision and not f.covers]


def required_clauses(vendor: Vendor, settings, library) -> list:
    """The clauses the vendor's facts require, as a gap addendum would see them."""
    facts = facts_for(vendor, settings) | choice_facts("general", supplements=True)
    return [item.clause for item in checklist(library, facts) if item.required]


def gap_clauses(run: AgreementCheck, required: list) -> list[str]:
    """The required clauses the vendor's agreement leaves uncovered: decided so, awaiting a
    decision on a finding that is not "present", or with no finding at all (a check made
    before the clause was added to the library)."""
    findings = {f.clause: f for f in run.findings}
    short = [
        c.id
        for c in required
        if c.id not in findings
        or (findings[c.id].decision and not findings[c.id].covers)
        or (findings[c.id].decision is None and findings[c.id].finding != "present")
    ]
    return [cid for cid in short if cid not in FRAME]


@dataclass(frozen=True)
class GapRequest:
    language: str  # en, fr or bilingual
    authorisation: str  # of further sub-processors, as on the generate page


def gap_addendum(
    vendor: Vendor, settings, library, asked: GapRequest, user: User, now: datetime, today: date
) -> Addendum:
    """A short addendum holding only the required clauses on the topics the vendor's agreement
    leaves uncovered (with the scope and closing provisions a contract needs), saying it
    prevails over that agreement there; every other required clause is left to the agreement,
    with that reason recorded. A draft, tracked like any addendum."""
    run = current_check(vendor)
    if run is None:
        raise AgreementError(
            _l("Check the vendor’s own agreement first: a gap addendum adds what it lacks.")
        )
    required = required_clauses(vendor, settings, library)
    gaps = gap_clauses(run, required)
    if not gaps:
        raise AgreementError(
            _l("The vendor’s agreement leaves no gap on the clauses checked: nothing to add.")
        )
    chosen = [c.id for c in required if c.id in gaps or c.id in FRAME]
    documents = ", ".join(run.documents)
    reason = (
        f"Covered by the vendor's own agreement ({documents}), per the check of "
        f"{run.checked_at.date().isoformat()} and legal's review"
    )
    request = AddendumRequest(
        language=asked.language,
        authorisation=asked.authorisation,
        clauses=tuple(chosen),
        omissions={c.id: reason for c in required if c.id not in chosen},
        effective_date=today,
        # The contract the vendor's reference names; without one, every contract between the
        # parties, as the vendor's agreement itself applies to the services it provides.
        scope=Scope(vendor.contract_reference or "", all_contracts=not vendor.contract_reference),
        supplements=True,
    )
    addendum = generate_addendum(vendor, settings, library, request, user, now)
    addendum.facts = {**addendum.facts, "supplements": {"check": run.id, "gaps": gaps}}
    db.session.flush()
    return addendum


def documents_hash(documents: list[AgreementDocument]) -> str:
    """Which paper a check read: the hash of its documents' hashes, in the order added."""
    return hashlib.sha256("".join(d.sha256 for d in documents).encode()).hexdigest()


def add_document(
    vendor: Vendor,
    data: bytes,
    filename: str,
    standard: Standard,
    library,
    user: User,
    now: datetime,
) -> AgreementCheck:
    """Keep one more document of the vendor's agreement and check them all together. A file
    that cannot be read, or that with the others reads as no agreement, is refused whole."""
    check_upload_size(data)
    name = stored_name(filename)
    documents = documents_of(vendor)
    digest = hashlib.sha256(data).hexdigest()
    if any(document.sha256 == digest for document in documents):
        raise AgreementError(ALREADY_THERE)
    texts = [(d.filename, read_agreement(d.content, d.filename)) for d in documents]
    texts.append((name, read_agreement(data, name)))
    report = _checked(vendor, texts, standard, library)
    document = AgreementDocument(
        vendor_id=vendor.id,
        filename=name,
        sha256=digest,
        size=len(data),
        content=data,
        uploaded_by_id=user.id,
        uploaded_at=now,
    )
    db.session.add(document)
    return _record(vendor, [*documents, document], report, standard, user, now)


def remove_document(
    vendor: Vendor,
    document: AgreementDocument,
    standard: Standard,
    library,
    user: User,
    now: datetime,
) -> AgreementCheck | None:
    """Take a document out; the ones left are checked again (nothing to check if none is)."""
    documents = [d for d in documents_of(vendor) if d.id != document.id]
    db.session.delete(document)
    texts = [(d.filename, read_agreement(d.content, d.filename)) for d in documents]
    report = check(_together(texts), standard, (vendor.name,), library) if texts else None
    if report is None or not report.is_agreement or report.language == "other":
        # Nothing left, or what is left is no agreement (a security annex alone): nothing
        # stands in for the addendum any more.
        _retire_checks(vendor)
        db.session.flush()
        return None
    return _record(vendor, documents, report, standard, user, now)


def check_again(
    vendor: Vendor, standard: Standard, library, user: User, now: datetime
) -> AgreementCheck:
    """The vendor's documents read again, by today's rules (a newer checker) and settings
    (other notice hours or days): a new current check. Legal's decisions carry over to the
    findings that read the same (clause, finding, quote and figures): they were made on that
    evidence. Documents that no longer read as an agreement leave the current check as it is."""
    documents = documents_of(vendor)
    if not documents:
        raise AgreementError(_l("Nothing to check again: add the vendor’s agreement first."))
    texts = [(d.filename, read_agreement(d.content, d.filename)) for d in documents]
    report = check(_together(texts), standard, (vendor.name,), library)
    if report.language == "other":
        raise AgreementError(NEITHER_LANGUAGE)
    if not report.is_agreement:
        raise AgreementError(NO_LONGER_AN_AGREEMENT)
    previous = current_check(vendor)
    decided = [f for f in previous.findings if f.decision] if previous else []
    return _record(vendor, documents, report, standard, user, now, decided)


def decide(
    finding: AgreementFinding, decision: Decision, reason: str | None, user: User, now: datetime
) -> None:
    """Legal's decision on a finding, with who and when (the check says on which paper)."""
    reason = (reason or "").strip() or None
    if decision is not Decision.ACCEPTED and not reason:
        raise AgreementError(_l("Say why: a waiver or a rejection needs its reason."))
    finding.decision = decision
    finding.reason = reason if decision is not Decision.ACCEPTED else None
    finding.decided_by_id = user.id
    finding.decided_at = now
    db.session.flush()


def _checked(vendor: Vendor, texts: list[tuple[str, list[Paragraph]]], standard, library):
    report = check(_together(texts), standard, (vendor.name,), library)
    if report.language == "other":
        raise AgreementError(NEITHER_LANGUAGE)
    if not report.is_agreement:
        raise AgreementError(NOT_AN_AGREEMENT)
    return report


def _together(texts: list[tuple[str, list[Paragraph]]]) -> list[Paragraph]:
    """All documents' paragraphs, each naming its document when there are several."""
    if len(texts) == 1:
        return texts[0][1]
    return [replace(p, document=name) for name, paragraphs in texts for p in paragraphs]


def _retire_checks(vendor: Vendor) -> None:
    # Through the session, not a bulk UPDATE: the change then has the vendor judged again.
    for old in db.session.scalars(
        select(AgreementCheck).where(AgreementCheck.vendor_id == vendor.id, AgreementCheck.current)
    ):
        old.current = False


def _record(vendor, documents, report: Report, standard: Standard, user, now, decided=()):
    """The new current check, its findings taking the decisions in `decided` that were made on
    the same evidence (clause, finding, quote and figures), as they were made (who, when)."""
    _retire_checks(vendor)
    db.session.flush()  # the earlier check is no longer current before this one is
    run = AgreementCheck(
        vendor_id=vendor.id,
        documents_sha256=documents_hash(documents),
        documents=[document.filename for document in documents],
        checker_version=CHECKER_VERSION,
        breach_hours=standard.breach_hours,
        notice_days=standard.notice_days,
        language=report.language,
        checked_by_id=user.id,
        checked_at=now,
    )
    earlier = {(f.clause, f.finding, f.quote, _figures(f.figures)): f for f in decided}
    for position, found in enumerate(report.findings):
        finding = AgreementFinding(
            position=position,
            clause=found.clause,
            finding=found.finding,
            quote=_cut(found.quote, QUOTE_LIMIT),
            context=_cut(found.context, CONTEXT_LIMIT),
            where=found.where[:500],
            figures=found.figures,
        )
        same = earlier.get(
            (finding.clause, finding.finding, finding.quote, _figures(found.figures))
        )
        if same:
            finding.decision, finding.reason = same.decision, same.reason
            finding.decided_by_id, finding.decided_at = same.decided_by_id, same.decided_at
        run.findings.append(finding)
    db.session.add(run)
    db.session.flush()
    return run


def _figures(figures: dict | None) -> tuple:
    return tuple(sorted((figures or {}).items()))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
