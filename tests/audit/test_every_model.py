"""Every insert, update and delete of a tracked record leaves an audit entry naming it, its parent
and its vendor: made directly, or by a cascade (a row removed from its parent's list, or deleted
with its parent).

The walk covers every model in the metadata, so a model added later is held to the same rule
without a line here; one the trail deliberately leaves out must be listed in NOT_TRACKED with why.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import inspect, select

from tests.helpers import app_context, loaded
from tests.vendors.test_views import SHARING
from vendortrack.accounts.models import LoginFailure, Role, User
from vendortrack.addenda.models import Addendum, AddendumClause
from vendortrack.assurance.models import DocumentKind, RequiredDocument, VendorDocument
from vendortrack.compliance.models import ComplianceBasis
from vendortrack.contracts.models import AgreementCheck, AgreementDocument, AgreementFinding
from vendortrack.dashboard.models import ComplianceSnapshot
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.questionnaires.models import (
    LinkHit,
    QuestionnaireAnswer,
    QuestionnaireFile,
    QuestionnaireNotice,
    QuestionnaireRequest,
)
from vendortrack.register.models import (
    ChangeKind,
    ConsentBasis,
    DataSharing,
    Level,
    ProcessingLocation,
    SubProcessor,
    SubProcessorChange,
    Vendor,
)
from vendortrack.reminders.models import MailMessage, Reminder, SweepRun
from vendortrack.reviews.models import (
    EvidenceFile,
    Outcome,
    Review,
    ReviewCondition,
    ReviewPolicy,
    ReviewTrigger,
    TriggerKind,
)
from vendortrack.trail.models import AuditEntry
from vendortrack.trail.recorder import TRACKED

# Models whose rows the trail leaves out, and why.
NOT_TRACKED = {
    AuditEntry: "the trail itself: entries are only added, and the recorder refuses any change",
    LoginFailure: "kept only to slow password guessing and shown nowhere (accounts/throttling)",
    Reminder: "the outbox the sweep plans and sends; the application keeps it, nobody edits it",
    MailMessage: "the sweep's copy of each message it sent, for the Sent mail page",
    SweepRun: "the sweep's log of its own runs",
    ComplianceSnapshot: "computed each day from the register, whose changes are recorded",
    ComplianceBasis: "a fingerprint of the files the statuses were judged against",
    QuestionnaireNotice: "the questionnaires' outbox, as Reminder is the reviews'",
    LinkHit: "the requests to the questionnaire link pages, counted for their rate limits",
    AddendumClause: "the clause versions an addendum was generated from, written once with it "
    "and never changed; the addendum's entry and its sha256 name the document",
}


def entries(**where) -> list[AuditEntry]:
    query = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def entry(action, row) -> AuditEntry:
    """The one entry recording this action on this row."""
    entity = TRACKED[type(row)].entity
    found = entries(action=action, entity=entity, entity_id=row.id)
    assert len(found) == 1, f"{len(found)} {action} entries for {entity} {row.id}"
    return found[0]


# --- the probe, through the real pages --------------------------------------------------


@pytest.fixture
def owner(signed_in):
    return signed_in(Role.OWNER)


def sharing_of(app, vendor) -> DataSharing:
    """A data sharing row of the vendor's, processed in Ontario and Québec."""
    with app_context(app):
        sharing = DataSharing(
            vendor_id=vendor.id,
            category="identity_contact",
            purpose="Run the payroll",
            consent_basis=ConsentBasis.IMPLIED,
        )
        sharing.location_codes = ["CA-ON", "CA-QC"]
        db.session.add(sharing)
        db.session.commit()
        return loaded(sharing)


def test_removing_a_data_sharing_row_records_it_and_each_of_its_places(app, owner, create_vendor):
    vendor = create_vendor(owner=owner.user)
    sharing = sharing_of(app, vendor)
    places = {p.id: p.code for p in sharing.locations}
    response = owner.post(f"/vendors/{vendor.id}/sharing/{sharing.id}/delete")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(DataSharing, sharing.id) is None  # the row is gone ...
        removed = entry("delete", sharing)  # ... and the trail says so
        assert (removed.user_id, removed.vendor_id) == (owner.user.id, vendor.id)
        assert removed.changes["vendor_id"] == [vendor.id, None]
        assert removed.changes["purpose"] == ["Run the payroll", None]
        gone = entries(action="delete", entity="processing_location")
        assert {e.entity_id: e.changes["code"][0] for e in gone} == places
        assert {e.vendor_id for e in gone} == {vendor.id}
        assert [e.changes["data_sharing_id"] for e in gone] == [[sharing.id, None]] * 2


def test_changing_a_rows_places_records_the_place_removed_and_the_one_added(
    app, owner, create_vendor
):
    vendor = create_vendor(owner=owner.user)
    sharing = sharing_of(app, vendor)
    ontario, quebec = sharing.locations
    response = owner.post(
        f"/vendors/{vendor.id}/sharing/{sharing.id}/edit", data=SHARING | {"locations": "CA-QC, US"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(DataSharing, sharing.id).location_codes == ["CA-QC", "US"]
        removed = entry("delete", ontario)
        assert removed.changes["code"] == ["CA-ON", None]
        assert removed.changes["data_sharing_id"] == [sharing.id, None]
        assert removed.vendor_id == vendor.id
        us = db.session.scalar(select(ProcessingLocation).filter_by(code="US"))
        added = entry("create", us)
        assert added.changes["code"] == [None, "US"]
        assert added.changes["data_sharing_id"] == [None, sharing.id]
        assert added.vendor_id == vendor.id
        kept = entries(entity="processing_location", entity_id=quebec.id)
        assert [e.action for e in kept] == ["create"]  # made with the row, and left as it was


# --- the walk over every model ------------------------------------------------------------------


@dataclass
class Case:
    """How the walk makes a row of a tracked model and changes it, and what the row hangs from."""

    make: Callable  # () -> a new row, its parent's column left for the walk to fill in
    change: Callable  # (row) -> the name of a field it changed, as someone could
    parent: tuple[type, str] | None = None  # the parent's model, and the column naming it


def changed(field, value):
    def change(row):
        setattr(row, field, value)
        return field

    return change


REVIEWED = date(2026, 1, 10)
CASES = {
    Vendor: Case(
        lambda: Vendor(name=f"Walked {next_number()}", country="CA"), changed("notes", "N")
    ),
    DataSharing: Case(
        lambda: DataSharing(category="health", purpose="Care", consent_basis=ConsentBasis.EXPRESS),
        changed("purpose", "Better care"),
        (Vendor, "vendor_id"),
    ),
    SubProcessor: Case(
        lambda: SubProcessor(name="Nuage", processing="Hosting", location="CA-QC"),
        changed("location", "US-VA"),
        (Vendor, "vendor_id"),
    ),
    ProcessingLocation: Case(
        lambda: ProcessingLocation(code="US"),
        changed("code", "GB"),
        (DataSharing, "data_sharing_id"),
    ),
    Addendum: Case(
        lambda: Addendum(
            language="en",
            facts={},
            effective_date=REVIEWED,
            filename="a.docx",
            sha256="0" * 64,
            document=b"PK",
        ),
        changed("notes", "Sent by post"),
        (Vendor, "vendor_id"),
    ),
    Review: Case(
        lambda: Review(completed_on=REVIEWED, outcome=Outcome.APPROVED, checklist={}),
        changed("notes", "Looked again"),
        (Vendor, "vendor_id"),
    ),
    ReviewCondition: Case(
        lambda: ReviewCondition(text="Send the report", due_on=REVIEWED),
        changed("met_on", REVIEWED),
        (Review, "review_id"),
    ),
    EvidenceFile: Case(
        lambda: EvidenceFile(
            filename="e.pdf", content_type="application/pdf", size=2, sha256="0" * 64, data=b"%P"
        ),
        changed("filename", "report.pdf"),
        (Review, "review_id"),
    ),
    ReviewTrigger: Case(
        lambda: ReviewTrigger(kind=TriggerKind.INCIDENT, raised_on=REVIEWED, detail="Breach"),
        changed("detail", "A smaller breach"),
        (Vendor, "vendor_id"),
    ),
    User: Case(
        lambda: User(email=f"walked{next_number()}@example.org", name="W", role=Role.OWNER),
        changed("name", "Walter"),
    ),
    AgreementDocument: Case(
        lambda: AgreementDocument(filename="dpa.pdf", sha256="0" * 64, size=2, content=b"%P"),
        changed("filename", "dpa-v2.pdf"),
        (Vendor, "vendor_id"),
    ),
    AgreementCheck: Case(
        lambda: AgreementCheck(
            documents_sha256="0" * 64, documents=["dpa.pdf"], checker_version=1, language="en"
        ),
        changed("language", "fr"),
        (Vendor, "vendor_id"),
    ),
    AgreementFinding: Case(
        lambda: AgreementFinding(position=0, clause="audit", finding="denied"),
        changed("reason", "The vendor accepts audits in its master agreement"),
        (AgreementCheck, "check_id"),
    ),
    QuestionnaireRequest: Case(
        lambda: QuestionnaireRequest(
            set_id="low_risk",
            set_version=1,
            questions={},
            language="fr",
            contact_email="contact@vendor.example",
            due_on=REVIEWED,
            token_hash=f"{next_number():064x}",
            expires_at=datetime(2026, 2, 1, tzinfo=UTC),
        ),
        changed("due_on", date(2026, 1, 31)),
        (Vendor, "vendor_id"),
    ),
    QuestionnaireAnswer: Case(
        lambda: QuestionnaireAnswer(question_id="passwords", value="yes"),
        changed("comment", "With MFA"),
        (QuestionnaireRequest, "request_id"),
    ),
    QuestionnaireFile: Case(
        lambda: QuestionnaireFile(
            question_id="security_policy",
            filename="p.pdf",
            content_type="application/pdf",
            size=2,
            sha256="0" * 64,
            data=b"%P",
        ),
        changed("filename", "policy.pdf"),
        (QuestionnaireRequest, "request_id"),
    ),
    VendorDocument: Case(
        lambda: VendorDocument(
            kind=DocumentKind.SOC2,
            filename="soc2.pdf",
            content_type="application/pdf",
            size=2,
            sha256="0" * 64,
            data=b"%P",
        ),
        changed("expires_on", date(2027, 6, 30)),
        (Vendor, "vendor_id"),
    ),
    RequiredDocument: Case(
        lambda: RequiredDocument(risk_tier=Level.HIGH, kind=DocumentKind.SOC2),
        changed("kind", DocumentKind.PENTEST),
    ),
    SubProcessorChange: Case(
        lambda: SubProcessorChange(
            kind=ChangeKind.ADDED,
            received_on=REVIEWED,
            objection_deadline=REVIEWED,
            name="Nuage GmbH",
        ),
        changed("reason", "Outside Canada"),
        (Vendor, "vendor_id"),
    ),
    ReviewPolicy: Case(ReviewPolicy, changed("months_low", 30)),
    OrganisationSettings: Case(OrganisationSettings, changed("legal_name", "Walked inc.")),
}
_numbers = itertools.count(1)


def next_number() -> int:
    return next(_numbers)


class Family:
    """Saved rows of each tracked model, one per model, each hanging from the others: the vendor,
    its data sharing row, that row's place, ... Made when first asked for."""

    def __init__(self):
        self.saved = {}

    def new(self, model):
        """A new row of the model (not yet added), hanging from the family's row of its parent."""
        case = CASES[model]
        row = case.make()
        if case.parent:
            parent_model, column = case.parent
            setattr(row, column, self.get(parent_model).id)
        return row

    def get(self, model):
        if model not in self.saved:
            row = self.new(model)
            db.session.add(row)
            db.session.commit()
            self.saved[model] = row
        return self.saved[model]

    def descendants(self, model) -> list:
        """The models whose rows are deleted with a row of this one, at any depth."""
        children = [rel.mapper.class_ for rel in inspect(model).relationships if rel.cascade.delete]
        return [m for child in children for m in [child, *self.descendants(child)]]

    def facts(self, row) -> tuple[int, int | None, int | None]:
        """(row id, parent id, vendor id) as every entry about the row must name them."""
        case = CASES[type(row)]
        parent = self.get(case.parent[0]) if case.parent else None
        return row.id, parent and parent.id, self.vendor_id(row)

    def vendor_id(self, row) -> int | None:
        if type(row) is Vendor:
            return row.id
        case = CASES[type(row)]
        return self.vendor_id(self.get(case.parent[0])) if case.parent else None


@pytest.fixture
def family(app):
    return Family()


def assert_named(action, row_model, facts):
    """The entry for this action on the row names the model, the row, its parent and vendor."""
    row_id, parent_id, vendor_id = facts
    found = entries(action=action, entity=TRACKED[row_model].entity, entity_id=row_id)
    assert len(found) == 1, f"{len(found)} {action} entries for {row_model.__name__} {row_id}"
    assert found[0].vendor_id == vendor_id
    column = CASES[row_model].parent[1] if parent_id is not None else None
    # A change names the row's parent unchanged, unless the parent is the vendor: the entry's
    # own vendor column names that one.
    if column and not (action == "update" and column == "vendor_id"):
        sides = {
            "create": [None, parent_id],
            "update": [parent_id] * 2,
            "delete": [parent_id, None],
        }
        assert found[0].changes[column] == sides[action]
    return found[0]


# (parent model, relationship, child model) for each list whose rows go with their parent.
CASCADES = [
    (model, rel.key, rel.mapper.class_)
    for model in CASES
    for rel in inspect(model).relationships
    if rel.cascade.delete and rel.mapper.class_ in TRACKED
]
ORPHANS = [c for c in CASCADES if inspect(c[0]).relationships[c[1]].cascade.delete_orphan]


def test_every_model_is_tracked_or_left_out_with_a_reason(app):
    models = {mapper.class_ for mapper in db.Model.registry.mappers}
    assert not set(TRACKED) & set(NOT_TRACKED), "a model both tracked and left out"
    unknown = models - set(TRACKED) - set(NOT_TRACKED)
    assert not unknown, f"mark them with @track (trail.recorder), or in NOT_TRACKED: {unknown}"
    assert set(NOT_TRACKED) <= models, "NOT_TRACKED names a model that is gone"
    assert set(CASES) == set(TRACKED), "give each tracked model a Case for the walk"
    for parent, _key, child in CASCADES:
        assert CASES[child].parent[0] is parent, f"make the walk's {child} under a {parent}"
    assert len(ORPHANS) >= 4, "the walk no longer finds the lists whose rows go with them"


@pytest.mark.parametrize("model", list(CASES), ids=lambda m: m.__name__)
def test_creating_changing_and_deleting_a_record_is_recorded(app, family, model):
    with app.app_context():
        row = family.new(model)
        db.session.add(row)
        db.session.commit()
        facts = family.facts(row)
        assert_named("create", model, facts)
        field = CASES[model].change(row)
        db.session.commit()
        assert field in assert_named("update", model, facts).changes
        db.session.delete(row)  # as the change's commit left it: to be read again
        db.session.commit()
        assert assert_named("delete", model, facts).changes[field][0] is not None


@pytest.mark.parametrize(
    "parent", sorted({c[0] for c in CASCADES}, key=lambda m: m.__name__), ids=lambda m: m.__name__
)
def test_records_deleted_with_their_parent_are_recorded(app, family, parent):
    with app.app_context():
        rows = [family.get(m) for m in [parent, *family.descendants(parent)] if m in TRACKED]
        facts = [(type(r), family.facts(r)) for r in rows]
        db.session.delete(rows[0])
        db.session.commit()
        for model, row_facts in facts:
            assert_named("delete", model, row_facts)


@pytest.mark.parametrize(
    ("parent", "key", "child"), ORPHANS, ids=lambda v: getattr(v, "__name__", v)
)
def test_records_taken_out_of_their_parents_list_are_recorded(app, family, parent, key, child):
    with app.app_context():
        rows = [family.get(m) for m in [child, *family.descendants(child)] if m in TRACKED]
        facts = [(type(r), family.facts(r)) for r in rows]
        getattr(family.get(parent), key).remove(rows[0])
        db.session.commit()
        for model, row_facts in facts:
            assert_named("delete", model, row_facts)
