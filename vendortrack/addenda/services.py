"""Generating addenda and tracking them to signature. Functions flush; the caller commits."""

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import selectinload

from vendortrack.accounts.models import User
from vendortrack.addenda.compose import (
    MissingReference,
    MissingValues,
    Scope,
    compose_addendum,
    filled_values,
    unstated,
    untranslated,
)
from vendortrack.addenda.facts import Standing, choice_facts, vendor_facts
from vendortrack.addenda.library import AUTHORISATIONS, SUPPLEMENTS, Clause, Library
from vendortrack.addenda.models import Addendum, AddendumClause, AddendumStatus
from vendortrack.documents.letterhead import LetterheadError, build_on_letterhead
from vendortrack.extensions import db
from vendortrack.register.models import DataSharing, Vendor
from vendortrack.uploads import check_signed_copy, stored_name

DOCUMENT_LANGUAGES = ("en", "fr", "bilingual")
MAX_OMISSION_REASON = 2000  # why a required clause was left out: a paragraph, not a file


class AddendumError(ValueError):
    """An addendum that cannot be made or changed; the message is for the user."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ChecklistItem:
    clause: Clause
    applies: bool
    required: bool  # applies, and the library marks it required
    reasons: tuple[str, ...]  # the facts that make it apply


def facts_for(vendor: Vendor, settings) -> dict[str, bool]:
    return vendor_facts(vendor, Standing.of(settings))


def warnings(vendor: Vendor, facts: Mapping[str, bool]) -> list:
    """What the checklist must say the addendum cannot settle, in the user's words."""
    found = []
    unconfirmed = not vendor.sub_processors and not vendor.no_sub_processors
    if facts.get("shares_personal_information") and unconfirmed:
        found.append(
            _l(
                "No sub-processor is recorded for this vendor. The addendum approves the ones "
                "listed, so a vendor already using one (a host, a mailer) would be in breach on "
                "signing: list them on the vendor's page, or confirm there that it engages none."
            )
        )
    if facts.get("quebec_data_outside_quebec") and not facts.get("pia_recorded"):
        found.append(
            _l(
                "Personal information is kept or processed outside Québec, and no privacy impact "
                "assessment (s. 17 of the Québec private-sector Act) is recorded. "
                "The clause on it is left out until one is: an addendum cannot say an "
                "assessment was done. Record its date on the vendor's page."
            )
        )
    return found


def checklist(library: Library, facts: Mapping[str, bool]) -> list[ChecklistItem]:
    """Every clause, saying whether the vendor's facts call for it and why."""
    items = []
    for clause in library.ordered():
        applies = clause.applies(facts)
        items.append(
            ChecklistItem(clause, applies, applies and clause.required, clause.reasons(facts))
        )
    return items


def choose_clauses(
    library: Library,
    facts: Mapping[str, bool],
    chosen: Sequence[str],
    omissions: Mapping[str, str],
) -> list[Clause]:
    """The clauses legal chose, in library order; a required one left out needs a reason."""
    unknown = [cid for cid in chosen if cid not in library.clauses]
    if unknown:
        raise AddendumError(_l("Unknown clause: %(ids)s.", ids=", ".join(unknown)), "clauses")
    unexplained = [
        item.clause
        for item in checklist(library, facts)
        if item.required
        and item.clause.id not in chosen
        and not omissions.get(item.clause.id, "").strip()
    ]
    if unexplained:
        lang = str(get_locale() or "en")
        titles = ", ".join(f"«{c.title.get(lang, c.title['en'])}»" for c in unexplained)
        raise AddendumError(
            _l("Give the reason for leaving out each required clause: %(titles)s.", titles=titles),
            "omissions",
        )
    # Kept with the addendum (a JSON column, which no database check can bound).
    if any(len(reason) > MAX_OMISSION_REASON for reason in omissions.values()):
        limit = format_decimal(MAX_OMISSION_REASON)  # as the forms write it: 2,000 or 2 000
        raise AddendumError(_l("Write at most %(max)s characters.", max=limit), "omissions")
    return [c for c in library.ordered() if c.id in chosen]


def preview_content(vendor, settings, library, request: "AddendumRequest"):
    """The content the addendum asked for would have, for the preview and for generating."""
    if not vendor.sharings:
        raise AddendumError(
            _l(
                "No personal information is recorded as shared with this vendor, so there is "
                "nothing for an addendum to protect. Record the data sharing first."
            )
        )
    if request.authorisation not in AUTHORISATIONS:
        raise AddendumError(
            _l("Choose how further sub-processors are authorised."), "authorisation"
        )
    facts = facts_for(vendor, settings) | choice_facts(request.authorisation, request.supplements)
    clauses = choose_clauses(library, facts, request.clauses, request.omissions)
    if not clauses:
        raise AddendumError(_l("Choose at least one clause."), "clauses")
    scope = request.scope or Scope(vendor.contract_reference or "")
    _check_fillable(vendor, clauses, scope, request.language)
    printed = ("fr", "en") if request.language == "bilingual" else (request.language,)
    try:
        content = compose_addendum(
            vendor, settings, clauses, facts, request.effective_date, printed, scope
        )
    except MissingValues as missing:
        raise _unfilled(missing.fields) from missing
    except MissingReference as missing:
        raise _left_out_reference(missing, library) from missing
    return content, facts


def _check_fillable(vendor, clauses, scope, language: str) -> None:
    """Refuse, naming every field to fill in, an addendum that would leave unsaid what its
    clauses rely on, or print text that is not in its language."""
    user_lang = str(get_locale() or "en")
    if missing := unstated(vendor, clauses, scope, user_lang):
        raise _unfilled(missing)
    if missing := untranslated(vendor, clauses, language, user_lang):
        raise AddendumError(
            _l(
                "The document would print text that is not in its language. Fill in: %(fields)s.",
                fields="; ".join(str(f) for f in missing),
            )
        )


def _unfilled(fields) -> AddendumError:
    return AddendumError(
        _l(
            "Some values the clauses need are missing. Fill in: %(fields)s.",
            fields="; ".join(str(f) for f in fields),
        )
    )


def _left_out_reference(missing: MissingReference, library: Library) -> AddendumError:
    lang = str(get_locale() or "en")

    def title(clause_id: str) -> str:
        titles = library.clauses[clause_id].title
        return titles.get(lang, titles["en"])

    return AddendumError(
        _l(
            "The clause «%(title)s» refers to %(titles)s, left out: include it, or leave out both.",
            title=title(missing.clause.id),
            titles=", ".join(f"«{title(cid)}»" for cid in missing.absent),
        ),
        "clauses",
    )


def generate_addendum(
    vendor: Vendor,
    settings,
    library: Library,
    request: "AddendumRequest",
    by: User | None,
    now: datetime,
) -> Addendum:
    """Build the document and record it as the vendor's new draft; older drafts are superseded."""
    if request.language not in DOCUMENT_LANGUAGES:
        raise AddendumError(_l("Choose English, French or bilingual."), "language")
    content, facts = preview_content(vendor, settings, library, request)
    data = _document(content, request.language, settings.letterhead)
    addendum = Addendum(
        vendor=vendor,
        language=request.language,
        clauses=[
            AddendumClause(clause_id=c.id, version=c.version, position=c.number)
            for c in content.clauses
        ],
        omissions=_omissions(request),
        effective_date=request.effective_date,
        facts={
            "facts": facts,
            "scope": {
                "contract": content.reference,
                "all_contracts": content.all_contracts,
                "covers_earlier": content.covers_earlier,
            },
            "values": filled_values(
                vendor, settings, [library.clauses[c.id] for c in content.clauses]
            ),
        },
        generated_by=by,
        generated_at=now,
        filename=document_filename(vendor, request.language, request.effective_date),
        sha256=hashlib.sha256(data).hexdigest(),
        document=data,
        negotiated=request.negotiated,
    )
    # Only older drafts: a sent addendum is with the vendor, who may still sign it.
    _supersede(vendor, (AddendumStatus.DRAFT,), now)
    db.session.add(addendum)
    db.session.flush()
    return addendum


def _document(content, language: str, letterhead: bytes | None) -> bytes:
    try:
        return build_on_letterhead(content, language, letterhead)
    except LetterheadError as error:
        # Stored before a check existed; only an administrator can replace it, so say who.
        raise AddendumError(
            _l(
                "The letterhead saved in the settings cannot be used, so nothing was generated: "
                "%(reason)s An administrator can upload a corrected letterhead, or remove it, on "
                "the Settings page.",
                reason=error,
            )
        ) from error


def _omissions(request: "AddendumRequest") -> dict[str, str]:
    """The reasons given for leaving out required clauses that were indeed left out."""
    return {
        cid: reason.strip()
        for cid, reason in request.omissions.items()
        if cid not in request.clauses and reason.strip()
    }


@dataclass(frozen=True)
class AddendumRequest:
    language: str
    clauses: tuple[str, ...]
    omissions: Mapping[str, str]
    effective_date: date
    negotiated: bool | None = None
    scope: Scope | None = None  # None: the vendor's contract reference
    # Sub-processors beyond those listed: "general" (notice, and a right to object) or
    # "specific" (each one asked for)
    authorisation: str = "general"
    # A gap addendum: it supplements the vendor's own agreement and prevails over it there.
    supplements: bool = False


def _supersede(vendor: Vendor, statuses, now: datetime, keep: Addendum | None = None) -> None:
    query = select(Addendum).where(Addendum.vendor_id == vendor.id, Addendum.status.in_(statuses))
    if keep is not None:
        query = query.where(Addendum.id != keep.id)
    older = db.session.scalars(query)
    for addendum in older:
        addendum.status = AddendumStatus.SUPERSEDED
        addendum.superseded_at = now


def document_filename(vendor: Vendor, language: str, day: date) -> str:
    ascii_name = unicodedata.normalize("NFKD", vendor.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower() or f"vendor-{vendor.id}"
    return f"addendum-{slug[:60]}-{language}-{day.isoformat()}.docx"


def mark_sent(addendum: Addendum, now: datetime) -> None:
    if addendum.status != AddendumStatus.DRAFT:
        raise AddendumError(_l("Only a draft can be marked as sent."))
    addendum.status = AddendumStatus.SENT
    addendum.sent_at = now
    db.session.flush()


def record_signature(
    addendum: Addendum, data: bytes, filename: str, signed_on: date, now: datetime, today: date
) -> None:
    """Keep the signed copy; the vendor's earlier signed addendum is superseded."""
    if addendum.status not in (AddendumStatus.DRAFT, AddendumStatus.SENT):
        raise AddendumError(_l("Only a draft or sent addendum can be signed."))
    if signed_on > today:
        raise AddendumError(_l("The signature date cannot be in the future."), "signed_on")
    check_signed_copy(data, filename)
    # The signed addendum is the one in force: any other, signed, sent or draft, is replaced.
    statuses = (AddendumStatus.SIGNED, AddendumStatus.SENT, AddendumStatus.DRAFT)
    _supersede(addendum.vendor, statuses, now, keep=addendum)
    addendum.status = AddendumStatus.SIGNED
    addendum.signed_on = signed_on
    addendum.signed_filename = stored_name(filename)
    addendum.signed_copy = data
    addendum.signed_sha256 = hashlib.sha256(data).hexdigest()
    db.session.flush()


def record_language_choice(
    addendum: Addendum,
    negotiated: bool | None,
    french_delivered_at: datetime | None,
    english_chosen_at: datetime | None,
) -> None:
    """Record how the Charter of the French language was followed for this addendum."""
    if english_chosen_at and not french_delivered_at:
        raise AddendumError(
            _l("Record when the French version was delivered before the choice of English."),
            "french_delivered_at",
        )
    if english_chosen_at and french_delivered_at and english_chosen_at < french_delivered_at:
        raise AddendumError(
            _l("English can only be chosen after the French version was delivered."),
            "english_chosen_at",
        )
    addendum.negotiated = negotiated
    addendum.french_delivered_at = french_delivered_at
    addendum.english_chosen_at = english_chosen_at
    db.session.flush()


def outdated_clauses(addendum: Addendum, library: Library) -> list[str]:
    """Ids of the clauses in the addendum that the library has since raised to a new version."""
    return sorted(
        cid
        for cid, version in addendum.clause_versions.items()
        if cid in library.clauses and library.clauses[cid].version > version
    )


def outdated_addenda(library: Library) -> Select:
    """Each vendor's newest addendum in force, where the library has raised a clause it holds."""
    # The library's version of each clause, as an expression the database compares with.
    current = case(
        {c.id: c.version for c in library.clauses.values()},
        value=AddendumClause.clause_id,
        else_=0,
    )
    newest = (
        select(func.max(Addendum.id))
        .where(Addendum.status != AddendumStatus.SUPERSEDED)
        .group_by(Addendum.vendor_id)
    )
    stale = (
        select(AddendumClause.id)
        .where(AddendumClause.addendum_id == Addendum.id, AddendumClause.version < current)
        .exists()
    )
    return select(Addendum).where(Addendum.id.in_(newest), stale).order_by(Addendum.id)


def regenerate(
    old: Addendum, settings, library: Library, by: User | None, now: datetime
) -> Addendum:
    """A new draft like `old`, with the library's current clause versions.

    Keeps the old choice of clauses, adds any the vendor's facts now require, and keeps the
    recorded reasons for clauses that are still left out.
    """
    facts = facts_for(old.vendor, settings)
    items = checklist(library, facts)
    # A clause the facts no longer call for goes (a CCPA clause once the organisation says it is
    # not a CCPA business); one legal added stays, as long as it applies.
    kept = [
        cid
        for cid in old.clause_versions
        if cid in library.clauses and library.clauses[cid].applies(facts)
    ]
    omitted = {cid: reason for cid, reason in old.omissions.items() if cid in library.clauses}
    added = [i.clause.id for i in items if i.required and i.clause.id not in omitted]
    request = AddendumRequest(
        language=old.language,
        clauses=tuple(dict.fromkeys([*kept, *added])),
        omissions=omitted,
        effective_date=now.date(),
        negotiated=old.negotiated,
        # As the old one was scoped; one made before scopes were recorded, as the vendor's is.
        scope=Scope(**old.facts["scope"]) if "scope" in old.facts else None,
        authorisation=authorisation_of(old),
        supplements=old.facts.get("facts", {}).get(SUPPLEMENTS, False),
    )
    return generate_addendum(old.vendor, settings, library, request, by, now)


def authorisation_of(addendum: Addendum) -> str:
    """How the addendum authorised further sub-processors. One made before the choice was
    offered asked for prior written consent to each, a specific authorisation: regenerating it
    must not loosen that into a general one nobody chose."""
    chosen = addendum.facts.get("facts", {})
    return "general" if chosen.get("general_authorisation") else "specific"


_VENDOR_FACTS = (
    selectinload(Addendum.vendor).selectinload(Vendor.sharings).selectinload(DataSharing.locations),
    selectinload(Addendum.vendor).selectinload(Vendor.sub_processors),
)


@dataclass
class RegenerationSummary:
    regenerated: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # vendor name: reason
    last_id: int = 0  # the next batch starts after this addendum


def regenerate_outdated(
    settings,
    library: Library,
    by: User | None,
    now: datetime,
    after_id: int = 0,
    limit: int | None = None,
) -> RegenerationSummary:
    """Regenerate up to `limit` outdated addenda after `after_id` (all when limit is None).

    A vendor whose addendum cannot be made (say a value is missing) is reported and skipped; its
    addendum stays outdated, and the next batch moves past it rather than trying it again.
    """
    summary = RegenerationSummary(last_id=after_id)
    batch = (
        outdated_addenda(library)
        .where(Addendum.id > after_id)
        .limit(limit)
        .options(*_VENDOR_FACTS)  # a batch's vendors' rows in a few queries, not a few each
    )
    for old in db.session.scalars(batch).all():
        summary.last_id = old.id
        try:
            with db.session.begin_nested():
                regenerate(old, settings, library, by, now)
            summary.regenerated += 1
        except AddendumError as error:
            summary.failed[old.vendor.name] = str(error)
    return summary


def signed_notice_days(vendor_id: int) -> int | None:
    """The notice of a new sub-processor the vendor's latest signed addendum gives us, in
    days, as it printed it; None if none is signed or it printed none. Its values are kept by
    language ({"en": {...}, "fr": {...}}), the same in each."""
    signed = db.session.scalars(
        select(Addendum)
        .where(Addendum.vendor_id == vendor_id, Addendum.status == AddendumStatus.SIGNED)
        .order_by(Addendum.id.desc())
        .limit(1)
    ).first()
    values = ((signed.facts or {}).get("values") or {}) if signed else {}
    for printed in values.values():
        days = str((printed or {}).get("notice_days") or "")
        if days.isascii() and days.isdigit() and int(days) >= 1:
            return int(days)
    return None
