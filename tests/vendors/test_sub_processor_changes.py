"""A vendor's notice of a change to its sub-processors: recorded with the deadline to object
(its addendum's notice period), refused when it does not hold, decided by legal with a reason;
an addition accepted joins the list and, in a new country, asks for a review sooner; the
compliance rule while it waits, and legal's reminder before the deadline."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.helpers import app_context, at
from vendortrack.accounts.models import Role
from vendortrack.addenda.models import AddendumStatus
from vendortrack.compliance.register import vendor_compliance
from vendortrack.extensions import db
from vendortrack.i18n import local_today
from vendortrack.register.models import SubProcessor, SubProcessorChange
from vendortrack.reminders.sweep import send_due
from vendortrack.reviews.models import ReviewTrigger, TriggerKind


def notice(client, vendor, **fields):
    form = {
        "kind": "added",
        "received_on": "2026-11-20",
        "name": "Nuage Frankfurt GmbH",
        "processing": "Hosts the backups.",
        "location": "DE",
        "categories": ["health"],
        "notice": "Email of 20 November from the vendor's DPO.",
        **fields,
    }
    return client.post(f"/vendors/{vendor.id}/sub-processors/changes/new", data=form)


def changes(app) -> list[SubProcessorChange]:
    with app_context(app, expire_on_commit=False):
        return list(db.session.scalars(select(SubProcessorChange)))


@pytest.fixture
def vendor(create_vendor):
    return create_vendor(
        name="Nuage inc.", sharings=[{"category": "health", "locations": ["CA-QC"]}]
    )


def test_a_notice_is_recorded_with_the_deadline_of_the_settings_notice_period(
    app, signed_in, vendor, settings
):
    response = notice(signed_in(Role.MANAGER), vendor)
    assert response.status_code == 302
    (change,) = changes(app)
    # The settings' notice period of a new sub-processor: 30 days.
    assert change.objection_deadline == date(2026, 12, 20)
    assert change.categories == ["health"]
    page = signed_in(Role.LEGAL).get(f"/vendors/{vendor.id}")
    assert 'data-change="pending"' in page.text
    assert f"/vendors/{vendor.id}/sub-processors/changes/{change.id}" in page.text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"received_on": "2099-01-01"},
            "received_on",
            "A notice cannot be received in the future.",
        ),
        ({"location": ""}, "location", "Say what the new sub-processor does, and where"),
        ({"location": "XX"}, "location", "Unknown country or region code"),
        ({"name": ""}, "name", "Give the sub-processor’s legal name."),
        ({"kind": "renamed"}, "kind", "Not a valid choice"),
        ({"notice": "x" * 2_001}, "notice", "Write at most 2,000 characters."),
    ],
)
def test_a_notice_that_does_not_hold_is_refused_beside_its_field(
    app, signed_in, vendor, field_errors, fields, field, message
):
    response = notice(signed_in(Role.LEGAL), vendor, **fields)
    assert response.status_code == 422
    (error,) = field_errors(response.text, field)
    assert error.startswith(message)
    assert changes(app) == []


def test_legal_accepts_an_addition_in_a_new_country_and_a_review_comes_sooner(
    app, signed_in, vendor
):
    with app.test_request_context():
        today = local_today()
    notice(signed_in(Role.MANAGER), vendor)
    (change,) = changes(app)
    legal = signed_in(Role.LEGAL)
    url = f"/vendors/{vendor.id}/sub-processors/changes/{change.id}"
    assert "Nuage Frankfurt GmbH" in legal.get(url).text

    decided = legal.post(url, data={"decision": "accepted", "reason": ""})

    assert decided.status_code == 302
    with app_context(app):
        (sub,) = db.session.scalars(select(SubProcessor).filter_by(vendor_id=vendor.id))
        assert (sub.name, sub.location) == ("Nuage Frankfurt GmbH", "DE")
        assert (sub.categories, sub.source, sub.since) == (["health"], "notice", today)
        (trigger,) = db.session.scalars(select(ReviewTrigger))
        assert trigger.kind == TriggerKind.NEW_COUNTRY
    assert legal.post(url, data={"decision": "objected", "reason": "Late"}).status_code == 422


def test_an_objection_needs_its_reason_and_leaves_the_list_as_it_was(app, signed_in, vendor):
    notice(signed_in(Role.MANAGER), vendor)
    (change,) = changes(app)
    legal = signed_in(Role.LEGAL)
    url = f"/vendors/{vendor.id}/sub-processors/changes/{change.id}"
    refused = legal.post(url, data={"decision": "objected", "reason": ""})
    assert refused.status_code == 422
    assert "Give the reason for the objection" in refused.text
    objected = legal.post(
        url, data={"decision": "objected", "reason": "No transfer outside Canada."}
    )
    assert objected.status_code == 302
    (change,) = changes(app)
    assert (change.decision.value, change.reason) == ("objected", "No transfer outside Canada.")
    with app_context(app):
        assert db.session.scalars(select(SubProcessor)).all() == []


def test_only_legal_and_administrators_decide(app, signed_in, vendor):
    notice(signed_in(Role.MANAGER), vendor)
    (change,) = changes(app)
    url = f"/vendors/{vendor.id}/sub-processors/changes/{change.id}"
    for role in (Role.MANAGER, Role.OWNER):
        assert signed_in(role).post(url, data={"decision": "accepted"}).status_code == 403


def test_a_change_awaiting_a_decision_needs_action(app, signed_in, vendor):
    def reasons():
        with app.app_context():
            return [rule.code for rule in vendor_compliance(vendor.id, local_today()).rules]

    assert "sub_processor_change" not in reasons()
    notice(signed_in(Role.MANAGER), vendor)
    assert "sub_processor_change" in reasons()
    (change,) = changes(app)
    signed_in(Role.LEGAL).post(
        f"/vendors/{vendor.id}/sub-processors/changes/{change.id}",
        data={"decision": "objected", "reason": "Outside Canada."},
    )
    assert "sub_processor_change" not in reasons()


def test_legal_is_reminded_once_a_week_before_objections_close(
    app, signed_in, vendor, create_user, smtp
):
    lawyer = create_user(Role.LEGAL, email="lea@example.org", name="Léa Legal")
    notice(signed_in(Role.MANAGER), vendor, received_on="2026-11-20")  # closes 2026-12-20
    for day in ("2026-12-12", "2026-12-13", "2026-12-14", "2026-12-20", "2026-12-21"):
        with app_context(app):
            send_due(at(f"{day} 08:00"))
    (mail,) = smtp.to(lawyer.email)
    text = mail.get_body(("plain",)).get_content()
    assert "Nuage Frankfurt GmbH, a new or dropped sub-processor: objections close" in text
    assert "/sub-processors/changes/" in text


def test_a_listed_sub_processor_says_what_it_touches_since_when_and_from_where(
    app, signed_in, vendor
):
    editor = signed_in(Role.MANAGER)
    form = {
        "name": "Courriel Express inc.",
        "processing": "Sends the emails.",
        "location": "CA-QC",
        "categories": ["identity_contact", "health"],
        "since": "2025-04-01",
        "source": "list",
    }
    assert editor.post(f"/vendors/{vendor.id}/sub-processors/new", data=form).status_code == 302
    with app_context(app):
        sub = db.session.scalars(select(SubProcessor)).one()
        assert (sub.categories, sub.since, sub.source) == (
            ["identity_contact", "health"],
            date(2025, 4, 1),
            "list",
        )
    page = editor.get(f"/vendors/{vendor.id}")
    assert "since Apr 1, 2025 · from the vendor’s list" in page.text


def test_the_deadline_follows_the_signed_addendums_notice_period(
    app, signed_in, vendor, create_addendum
):
    create_addendum(
        vendor,
        status=AddendumStatus.SIGNED,
        facts={"facts": {}, "values": {"en": {"notice_days": "45"}, "fr": {"notice_days": "45"}}},
    )
    notice(signed_in(Role.MANAGER), vendor)
    (change,) = changes(app)
    assert change.objection_deadline == date(2027, 1, 4)  # 2026-11-20 + 45 days


def test_a_change_must_name_what_it_changes(app, signed_in, create_vendor, field_errors):
    vendor = create_vendor(sub_processors=[{"name": "Courriel Express", "location": "IE"}])
    editor = signed_in(Role.MANAGER)
    again = notice(editor, vendor, name="Courriel Express")
    assert field_errors(again.text, "name") == [
        "This sub-processor is already listed for this vendor."
    ]
    unknown = notice(editor, vendor, kind="removed", name="Nobody inc.")
    assert field_errors(unknown.text, "name")[0].startswith("No sub-processor of this name")
    assert changes(app) == []
    removed = notice(editor, vendor, kind="removed", name="Courriel Express", location="")
    assert removed.status_code == 302
    (change,) = changes(app)
    signed_in(Role.LEGAL).post(
        f"/vendors/{vendor.id}/sub-processors/changes/{change.id}", data={"decision": "accepted"}
    )
    with app_context(app):
        assert db.session.scalars(select(SubProcessor)).all() == []


def test_the_new_country_is_recorded_as_the_data_sharing_records_it(app, signed_in, vendor):
    notice(signed_in(Role.MANAGER), vendor, location="US-VA")
    (change,) = changes(app)
    signed_in(Role.LEGAL, language="fr").post(
        f"/vendors/{vendor.id}/sub-processors/changes/{change.id}", data={"decision": "accepted"}
    )
    with app_context(app):
        (trigger,) = db.session.scalars(select(ReviewTrigger))
        assert trigger.detail == "US"
