"""The vendor's own agreement in its compliance status: checked, it stands in for the signed
addendum; each finding a required clause depends on waits for legal's decision; once every one
is covered the vendor is covered as by a signed addendum, and a gap is a reason with its quote.
The stored status follows each step (the dashboard, the list's filter and the exports read it)."""

import pytest
from sqlalchemy import select

from tests.helpers import app_context
from vendortrack.accounts.models import Role
from vendortrack.addenda.models import AddendumStatus
from vendortrack.contracts.models import AgreementCheck, AgreementDocument
from vendortrack.extensions import db
from vendortrack.register.models import Vendor

SHARES = [{"category": "identity_contact", "locations": ["CA-ON"]}]
AGREEMENT_REASONS = {"unsigned", "agreement_pending", "agreement_gap"}


@pytest.fixture
def legal(signed_in):
    return signed_in(Role.LEGAL)


def stored_reasons(app, vendor) -> set[str]:
    with app_context(app):
        return set(db.session.get(Vendor, vendor.id).compliance_reasons.split()) & (
            AGREEMENT_REASONS
        )


def decide_all(legal, vendor, run, *, short: str = "waived"):
    """Accept what is present; decide the rest `short` (waived, or accepted as a gap)."""
    for finding in run.findings:
        decision = "accepted" if finding.finding == "present" else short
        legal.post(
            f"/vendors/{vendor.id}/agreement/findings/{finding.id}",
            data={"decision": decision, "reason": "Agreed with counsel"},
        )


def test_a_checked_agreement_waits_for_decisions_then_covers_the_vendor(
    app, legal, create_vendor, create_agreement
):
    vendor = create_vendor(sharings=SHARES)
    assert stored_reasons(app, vendor) == {"unsigned"}
    run = create_agreement(vendor)
    assert stored_reasons(app, vendor) == {"agreement_pending"}
    decide_all(legal, vendor, run)
    assert stored_reasons(app, vendor) == set()
    page = legal.get(f"/vendors/{vendor.id}").text
    assert "agreement-gaps" not in page
    assert "falls short" not in page


def test_a_gap_accepted_is_a_reason_with_its_quote_on_the_vendor_page(
    app, legal, create_vendor, create_agreement
):
    vendor = create_vendor(sharings=SHARES)
    run = create_agreement(vendor)
    decide_all(legal, vendor, run, short="accepted")
    assert stored_reasons(app, vendor) == {"agreement_gap"}
    page = legal.get(f"/vendors/{vendor.id}").text
    assert "falls short of a required clause" in page
    assert "Right to audit</strong>: denied, “The Customer shall not be entitled" in page
    assert "Breach notice</strong>: weak" in page
    # An optional clause confirmed missing is no gap: the rule counts required clauses only.
    gaps = page.split('id="agreement-gaps"')[1].split("</ul>")[0]
    assert "Cyber" not in gaps
    assert "cyber_insurance" not in gaps
    assert "Scope and precedence of this addendum" in gaps  # a clause the rules do not read
    # The vendor list's filter and the export read the same stored reasons.
    listed = legal.get("/vendors/?compliance=action").text
    assert vendor.name in listed


def test_a_rejected_finding_counts_as_legal_read_it(app, legal, create_vendor, create_agreement):
    vendor = create_vendor(sharings=SHARES)
    run = create_agreement(vendor)
    decide_all(legal, vendor, run)
    audit = next(f for f in run.findings if f.clause == "audit")
    legal.post(  # "denied" is wrong: the master agreement allows audits
        f"/vendors/{vendor.id}/agreement/findings/{audit.id}",
        data={"decision": "rejected", "reason": "Audits allowed by the MSA, s. 12"},
    )
    assert stored_reasons(app, vendor) == set()
    protection = next(f for f in run.findings if f.clause == "protection")
    legal.post(  # "present" is wrong: then the clause is not covered
        f"/vendors/{vendor.id}/agreement/findings/{protection.id}",
        data={"decision": "rejected", "reason": "Only the annex's measures, which are not binding"},
    )
    assert stored_reasons(app, vendor) == {"agreement_gap"}


def test_a_new_document_or_none_left_moves_the_status_again(
    app, legal, create_vendor, create_agreement
):
    vendor = create_vendor(sharings=SHARES)
    run = create_agreement(vendor)
    decide_all(legal, vendor, run)
    create_agreement(vendor, text=run_text("annex"), filename="annex.txt")
    assert stored_reasons(app, vendor) == {"agreement_pending"}  # new paper, new decisions
    with app_context(app):
        ids = list(db.session.scalars(select(AgreementDocument.id)))
    for document_id in ids:
        legal.post(f"/vendors/{vendor.id}/agreement/documents/{document_id}/delete")
    assert stored_reasons(app, vendor) == {"unsigned"}
    with app_context(app):
        assert not db.session.scalars(select(AgreementCheck).where(AgreementCheck.current)).all()


def test_a_signed_addendum_is_what_counts(
    app, legal, create_vendor, create_agreement, create_addendum
):
    vendor = create_vendor(sharings=SHARES)
    run = create_agreement(vendor)
    decide_all(legal, vendor, run, short="accepted")
    create_addendum(vendor, status=AddendumStatus.SIGNED)
    assert stored_reasons(app, vendor) == set()


def run_text(name: str) -> str:
    return (
        f"{name.upper()}\n\nThe Provider processes personal data on behalf of the Customer.\n\n"
        "1. Staff\n\n1.1 The Provider shall ensure that its employees who access personal data "
        "are bound by confidentiality.\n"
    )
