"""Contacts that no configured key decrypts: a key lost, or a worker left with the old keys during a
rotation. The pages, exports, import and addenda go on without them and say so; typing them again
repairs them; anything else that reads one gets a page naming the keys' setting, never a trace."""

import csv
import io
import logging
import re
import zipfile

import pytest
from cryptography.fernet import Fernet
from openpyxl import load_workbook
from sqlalchemy import select, text

from vendortrack.accounts.access import EVERYONE, allow
from vendortrack.accounts.models import Role
from vendortrack.addenda.models import Addendum
from vendortrack.crypto import KEYS_VARIABLE, parse_keys
from vendortrack.extensions import db
from vendortrack.register.models import Vendor
from vendortrack.register.services import save_vendor

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()
NADIA = {
    "contact_name": "Nadia Tremblay",
    "contact_email": "nadia.tremblay@nouvelle.example.com",
    "contact_phone": "+1 514 555 0100",
}
RETYPED = {
    "contact_name": "Nadia Gagnon",
    "contact_email": "nadia.gagnon@nouvelle.example.com",
    "contact_phone": "+1 514 555 0199",
}
READABLE = {
    "contact_name": "Omar Haddad",
    "contact_email": "omar@lisible.example.com",
    "contact_phone": "+1 418 555 0123",
}
WARNING = (
    "These contact details cannot be read with the current keys; type them again or ask an "
    "administrator."
)
PLACEHOLDER = "(unreadable)"
SHARING = {"category": "health", "subjects_in_quebec": True, "locations": ["CA-QC"]}


@pytest.fixture
def app_settings():
    """The shared fixtures' app, with key A only: what it writes, key B alone cannot read."""
    return {"ENCRYPTION_KEYS": KEY_A}


def lose_key_a(app):
    """From now on the app has only key B, as after key A was dropped from the setting."""
    app.extensions["encryption"] = parse_keys(KEY_B)


@pytest.fixture
def vendors(app, create_vendor):
    """{"lost": a vendor with two data sharing rows whose contact was written with key A,
    "lost_too": another one, "readable": a vendor written with key B}; key A is then lost."""
    lost = create_vendor(
        name="Nouvelle Entreprise",
        subdivision="CA-QC",
        sharings=[SHARING, {"category": "identity_contact"}],
        **NADIA,
    ).id
    lost_too = create_vendor(name="Autre Perdu", contact_name="Zoé Roy").id
    lose_key_a(app)
    readable = create_vendor(name="Lisible", **READABLE).id
    return {"lost": lost, "lost_too": lost_too, "readable": readable}


@pytest.fixture
def manager(signed_in):
    return signed_in(Role.MANAGER)


def stored(app, vendor_id: int):
    """The contact columns as the database holds them (tokens)."""
    with app.app_context():
        return db.session.execute(
            text("SELECT contact_name, contact_email, contact_phone FROM vendors WHERE id = :id"),
            {"id": vendor_id},
        ).one()


def contacts_of(app, vendor_id: int) -> dict:
    """The contact as the app reads it now (with key B only), in a session of its own: nothing
    decrypted before is remembered."""
    with app.app_context():
        vendor = db.session.get(Vendor, vendor_id)
        return {name: getattr(vendor, name) for name in NADIA}


def csv_rows(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def import_file(client, data: bytes):
    return client.post(
        "/vendors/import", data={"file": (io.BytesIO(data), "vendors.csv")}, follow_redirects=True
    )


def input_value(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


def warnings_about(caplog, fragment: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and fragment in r.getMessage()
    ]


# --- the vendor page and its form -------------------------------------------------------------


def test_the_vendor_page_says_the_contact_cannot_be_read_and_shows_the_rest(
    vendors, manager, caplog
):
    with caplog.at_level(logging.WARNING):
        response = manager.get(f"/vendors/{vendors['lost']}")
    assert response.status_code == 200
    page = response.text
    assert WARNING in page
    assert page.count(PLACEHOLDER) == 3  # name, email and phone
    assert "Nouvelle Entreprise" in page
    assert "Nadia" not in page
    assert "Traceback" not in page
    assert warnings_about(caplog, f"vendors rows {vendors['lost']}:")

    readable = manager.get(f"/vendors/{vendors['readable']}").text
    assert "Omar Haddad" in readable
    assert WARNING not in readable


def test_the_edit_form_opens_with_the_contact_empty_and_a_warning(vendors, manager):
    response = manager.get(f"/vendors/{vendors['lost']}/edit")
    assert response.status_code == 200
    page = response.text
    assert WARNING in page
    for name in NADIA:
        assert input_value(page, name) == "", name
    assert input_value(page, "name") == "Nouvelle Entreprise"
    assert "Traceback" not in page


def vendor_form(**changes) -> dict:
    values = {
        "name": "Nouvelle Entreprise",
        "country": "CA",
        "subdivision": "CA-QC",
        "status": "active",
        "criticality": "medium",
        "owner_id": "0",
    }
    return values | changes


def test_typing_the_contact_again_in_the_form_repairs_it(app, vendors, manager):
    response = manager.post(f"/vendors/{vendors['lost']}/edit", data=vendor_form(**RETYPED))
    assert response.status_code == 302
    assert contacts_of(app, vendors["lost"]) == RETYPED
    page = manager.get(f"/vendors/{vendors['lost']}").text
    assert WARNING not in page
    assert "Nadia Gagnon" in page


def test_saving_the_form_without_typing_the_contact_keeps_what_is_stored(app, vendors, manager):
    # It may open again once the right key is back: an empty field is not a new value.
    before = stored(app, vendors["lost"])
    response = manager.post(f"/vendors/{vendors['lost']}/edit", data=vendor_form(notes="Seen"))
    assert response.status_code == 302
    assert stored(app, vendors["lost"]) == before
    with app.app_context():
        notes = db.session.scalar(select(Vendor.notes).where(Vendor.id == vendors["lost"]))
        assert notes == "Seen"
    app.extensions["encryption"] = parse_keys(f"{KEY_B},{KEY_A}")  # the key put back
    assert contacts_of(app, vendors["lost"]) == NADIA


def test_saving_a_vendor_read_without_its_contact_replaces_the_unreadable_one(app, vendors):
    with app.app_context():
        vendor = db.session.get(Vendor, vendors["lost"])  # the contact not loaded, as most pages
        save_vendor(vendor, {"name": vendor.name, **RETYPED}, app.config["HOME_COUNTRY"])
        db.session.commit()
    assert contacts_of(app, vendors["lost"]) == RETYPED


# --- anything else that reads a contact -------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Some stored contact details cannot be decrypted with the configured keys."),
        ("fr", "Retour à VendorTrack"),  # the page in the user's language
    ],
)
@pytest.mark.own_app  # it adds a route
def test_a_page_reading_a_contact_the_plain_way_names_the_keys_setting(
    app, vendors, signed_in, caplog, language, expected
):
    def show_contact(vendor_id):
        return db.session.get(Vendor, vendor_id).contact_name or ""

    app.add_url_rule("/contact/<int:vendor_id>", view_func=allow(*EVERYONE)(show_contact))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    reader = signed_in(Role.OWNER, language=language)
    with caplog.at_level(logging.ERROR):
        response = reader.get(f"/contact/{vendors['lost']}")
    assert response.status_code == 500
    assert KEYS_VARIABLE in response.text
    assert expected in response.text
    assert "Traceback" not in response.text
    assert any(
        f"vendor_id={vendors['lost']}" in r.getMessage() and r.exc_info for r in caplog.records
    )


# --- exports --------------------------------------------------------------------------------


def test_the_csv_export_completes_with_a_placeholder_for_the_unreadable_contacts(
    vendors, manager, caplog
):
    with caplog.at_level(logging.WARNING):
        response = manager.get("/vendors/export.csv")
        body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Traceback" not in body
    rows = csv_rows(body)
    names = [row["vendor_name"] for row in rows]
    assert sorted(names) == ["Autre Perdu", "Lisible", "Nouvelle Entreprise", "Nouvelle Entreprise"]
    for row in rows:
        contact = [row[name] for name in NADIA]
        if row["vendor_name"] == "Lisible":
            assert contact == list(READABLE.values())
        elif row["vendor_name"] == "Autre Perdu":
            assert contact == [PLACEHOLDER, "", ""]
        else:
            assert contact == [PLACEHOLDER] * 3
    # Once per export, however many vendors are affected.
    assert len(warnings_about(caplog, "vendor export")) == 1


def test_the_xlsx_export_completes_with_a_placeholder_for_the_unreadable_contacts(vendors, manager):
    response = manager.get("/vendors/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    columns = [header.index(name) for name in ("vendor_name", *NADIA)]
    found = sorted(tuple(row[i] for i in columns) for row in rows)
    assert found == [
        ("Autre Perdu", PLACEHOLDER, None, None),
        ("Lisible", *READABLE.values()),
        ("Nouvelle Entreprise", *[PLACEHOLDER] * 3),
        ("Nouvelle Entreprise", *[PLACEHOLDER] * 3),
    ]


# --- the import -----------------------------------------------------------------------------


def test_an_import_with_the_contact_typed_again_repairs_it(app, vendors, manager):
    untouched = stored(app, vendors["lost_too"])
    rows = csv_rows(manager.get("/vendors/export.csv").get_data(as_text=True))
    for row in rows:
        if row["vendor_name"] == "Nouvelle Entreprise":
            row.update(RETYPED)
    page = import_file(manager, as_csv(rows)).text
    assert "Vendors added: 0, updated: 3." in page
    assert "Traceback" not in page
    assert contacts_of(app, vendors["lost"]) == RETYPED
    assert contacts_of(app, vendors["readable"]) == READABLE
    assert stored(app, vendors["lost_too"]) == untouched  # its cells still said "(unreadable)"


def test_an_export_imported_back_as_it_is_leaves_the_unreadable_contacts_stored(
    app, vendors, manager
):
    # Neither refused ("(unreadable)" is no email) nor stored as someone's name.
    before = {key: stored(app, vendor_id) for key, vendor_id in vendors.items()}
    exported = manager.get("/vendors/export.csv").get_data()
    page = import_file(manager, exported).text
    assert "Vendors added: 0, updated: 3." in page
    assert {key: stored(app, vendor_id) for key, vendor_id in vendors.items()} == before


# --- addenda --------------------------------------------------------------------------------


def test_an_addendum_is_generated_without_the_unreadable_contact_name(
    app, vendors, settings, signed_in
):
    legal = signed_in(Role.LEGAL)
    url = f"/vendors/{vendors['lost']}/addenda/new"
    ticked = re.findall(r'value="(\w+)" id="clause-\w+" checked', legal.get(url).text)
    data = {
        "language": "en",
        "effective_date": "2027-01-15",
        "negotiated": "no",
        "clauses": ticked,
        "action": "generate",
        "contract": "Services agreement",
    }
    response = legal.post(url, data=data)
    assert response.status_code == 302, response.text
    with app.app_context():
        addendum = db.session.scalar(select(Addendum).where(Addendum.vendor_id == vendors["lost"]))
        docx = zipfile.ZipFile(io.BytesIO(addendum.document))
    document = docx.read("word/document.xml").decode()
    assert "Nouvelle Entreprise" in document
    assert "Nadia" not in document
    assert PLACEHOLDER not in document
    assert "Traceback" not in legal.get(response.location).text
