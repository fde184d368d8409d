"""The vendors' contacts are encrypted at rest, found by a keyed hash of the email, kept out of
the audit trail in clear, and re-encrypted by `keys rotate` when a key is replaced."""

import json
import stat
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from tests.helpers import count
from vendortrack import create_app
from vendortrack.accounts.models import Role
from vendortrack.config import ConfigError, TestConfig
from vendortrack.crypto import (
    HMAC_VARIABLE,
    KEYS_VARIABLE,
    UnreadableData,
    keyring,
    lookup_hash,
    parse_hmac_key,
    parse_keys,
    register_encryption,
)
from vendortrack.extensions import db
from vendortrack.register.bulk import import_vendors
from vendortrack.register.listing import search_condition
from vendortrack.register.models import Vendor, contact_email_hmac
from vendortrack.register.services import save_vendor
from vendortrack.trail.models import AuditEntry
from vendortrack.vendors.views import vendor_or_404

NADIA = {
    "contact_name": "Nadia Tremblay",
    "contact_email": "Nadia.Tremblay@nouvelle.example.com",
    "contact_phone": "+1 514 555 0100",
}
# What must never be found in clear in the database.
CLEAR = ("Nadia", "Tremblay", "nouvelle.example", "555 0100")
OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()
HMAC_KEY = "a-lookup-key-for-these-tests-only-0123456789"


def raw_contacts(vendor_id: int):
    """The contact columns as the database holds them."""
    return db.session.execute(
        text(
            "SELECT contact_name, contact_email, contact_phone, contact_email_hmac "
            "FROM vendors WHERE id = :id"
        ),
        {"id": vendor_id},
    ).one()


def assert_nothing_in_clear(stored: str):
    for fragment in CLEAR:
        assert fragment.lower() not in stored.lower(), fragment


def contacts_of(vendor_id: int) -> dict:
    db.session.expunge_all()  # read from the database, not from the session's memory
    vendor = db.session.get(Vendor, vendor_id)
    return {name: getattr(vendor, name) for name in NADIA}


# --- at rest ----------------------------------------------------------------------------------


def test_contacts_are_stored_as_tokens_and_read_back_as_typed(app, create_vendor):
    vendor = create_vendor(**NADIA)
    with app.app_context():
        stored = raw_contacts(vendor.id)
        assert_nothing_in_clear(str(stored))
        assert keyring().decrypt(stored.contact_name.encode()).decode() == "Nadia Tremblay"
        assert contacts_of(vendor.id) == NADIA


def test_the_vendor_page_and_form_show_the_contact(signed_in, create_vendor):
    vendor = create_vendor(**NADIA)
    manager = signed_in(Role.MANAGER)
    page = manager.get(f"/vendors/{vendor.id}").text
    assert "Nadia Tremblay" in page
    assert "Nadia.Tremblay@nouvelle.example.com" in page
    assert 'value="+1 514 555 0100"' in manager.get(f"/vendors/{vendor.id}/edit").text


def test_the_longest_contacts_the_forms_allow_are_stored(app, create_vendor):
    # Tokens are longer than their text: the columns must hold them on PostgreSQL too.
    longest = {
        "contact_name": "N" * 120,
        "contact_email": f"{'n' * 64}@{'e' * 186}.ca",  # 254 characters
        "contact_phone": "5" * 40,
    }
    vendor = create_vendor(**longest)
    with app.app_context():
        assert contacts_of(vendor.id) == longest


def test_comparing_an_encrypted_column_in_sql_is_refused_instead_of_matching_nothing():
    with pytest.raises(TypeError, match="look it up by its keyed hash"):
        select(Vendor).where(Vendor.contact_email == "nadia@nouvelle.example.com")
    select(Vendor).where(Vendor.contact_email.is_(None))  # whether there is one still works


def test_an_unchanged_contact_is_not_written_again(app, create_vendor):
    vendor = create_vendor(**NADIA)
    with app.app_context():
        stored = raw_contacts(vendor.id)
        again = db.session.get(Vendor, vendor.id)
        save_vendor(again, {"name": again.name, **NADIA}, app.config["HOME_COUNTRY"])
        db.session.commit()
    with app.app_context():
        # A new encryption gives a new token: the same token means nothing was written.
        assert raw_contacts(vendor.id) == stored


# --- finding a vendor by its contact's email --------------------------------------------------


def test_the_email_hash_is_kept_with_the_email_whatever_its_case(app, create_vendor):
    vendor = create_vendor(**NADIA)
    with app.app_context():
        expected = lookup_hash("nadia.tremblay@nouvelle.example.com", "contact_email")
        assert raw_contacts(vendor.id).contact_email_hmac == expected
        assert contact_email_hmac("  NADIA.TREMBLAY@Nouvelle.Example.com ") == expected

        vendor = db.session.get(Vendor, vendor.id)
        vendor.contact_email = "other@example.org"
        db.session.commit()
        assert raw_contacts(vendor.id).contact_email_hmac == contact_email_hmac("other@example.org")
        vendor.contact_email = None
        db.session.commit()
        assert raw_contacts(vendor.id).contact_email_hmac is None


def test_the_list_finds_a_vendor_by_its_contacts_whole_email(signed_in, create_vendor):
    create_vendor(name="Nouvelle Entreprise", **NADIA)
    create_vendor(name="Autre", contact_email="someone@autre.example.com")
    reader = signed_in(Role.OWNER)

    def found(q):
        page = reader.get("/vendors/", query_string={"q": q}).text
        return [name for name in ("Nouvelle Entreprise", "Autre") if f">{name}<" in page]

    assert found(" nadia.tremblay@NOUVELLE.example.com ") == ["Nouvelle Entreprise"]
    # Contacts are encrypted: part of an address, a name or a phone number finds nothing.
    assert found("nouvelle.example.com") == []
    assert found("Tremblay") == []
    assert found("nouvelle") == ["Nouvelle Entreprise"]  # names are still searched


def test_the_search_condition_uses_the_hash_not_the_text(app, create_vendor):
    vendor = create_vendor(**NADIA)
    with app.app_context():
        query = select(Vendor.id).where(search_condition("nadia.tremblay@nouvelle.example.com"))
        assert db.session.scalars(query).all() == [vendor.id]


# --- the audit trail ---------------------------------------------------------------------------


def test_the_audit_trail_never_holds_a_contact_in_clear(app, signed_in):
    manager = signed_in(Role.MANAGER)
    form = {"name": "Nouvelle Entreprise", "country": "CA", "status": "active"}
    form |= {"criticality": "low", "owner_id": "0"}
    manager.post("/vendors/new", data=form | NADIA)
    with app.app_context():
        vendor_id = db.session.scalar(select(Vendor.id))
    changed = NADIA | {"contact_name": "Nadia Tremblay-Roy", "contact_phone": "+1 514 555 0199"}
    manager.post(f"/vendors/{vendor_id}/edit", data=form | changed)
    manager.post(f"/vendors/{vendor_id}/edit", data=form | dict.fromkeys(NADIA, ""))  # removed

    with app.app_context():
        stored = db.session.execute(text("SELECT changes FROM audit_entries")).scalars().all()
        assert_nothing_in_clear(" ".join(map(str, stored)))
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "vendor").order_by(AuditEntry.id)
        ).all()
    created, edited, removed = (e.changes for e in entries if e.action in ("create", "update"))
    assert created["contact_email"] == [None, "(encrypted)"]
    assert edited["contact_name"] == ["(encrypted)", "(encrypted)"]
    assert "contact_email" not in edited  # unchanged, so not recorded
    assert removed["contact_phone"] == ["(encrypted)", None]
    assert "contact_email_hmac" not in created  # derived, like name_key


# --- the CSV file ------------------------------------------------------------------------------


def test_the_csv_export_has_the_contacts_in_clear_and_imports_back_encrypted(
    app, signed_in, create_vendor
):
    vendor = create_vendor(name="Nouvelle Entreprise", **NADIA)
    exported = signed_in(Role.MANAGER).get("/vendors/export.csv").get_data()
    assert b"Nadia Tremblay" in exported
    assert b"+1 514 555 0100" in exported
    with app.app_context():
        db.session.delete(db.session.get(Vendor, vendor.id))
        db.session.commit()

        import_vendors(exported, app.config["HOME_COUNTRY"])
        db.session.commit()

    with app.app_context():
        again = db.session.scalar(select(Vendor))
        assert_nothing_in_clear(str(raw_contacts(again.id)))
        assert contacts_of(again.id) == NADIA
        query = select(Vendor.id).where(search_condition(NADIA["contact_email"]))
        assert db.session.scalars(query).all() == [again.id]


# --- rotation and lost keys ------------------------------------------------------------------


@pytest.fixture
def installation(new_database, tmp_path):
    """installation(keys) -> a context in which an app opens this test's one installation's
    database (on the database the suite runs on) with these keys, as after a restart."""
    url = new_database()

    @contextmanager
    def open_with(keys: str, hmac_key: str = HMAC_KEY):
        app = create_app(
            {
                "ENV_NAME": "test",
                "SQLALCHEMY_DATABASE_URI": url,
                "ENCRYPTION_KEYS": keys,
                "HMAC_KEY": hmac_key,
                "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
                "SCHEDULER_LOCK": str(tmp_path / "scheduler.lock"),
            }
        )
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()

    return open_with


def add_vendors(count: int, **contact) -> list[int]:
    vendors = [Vendor(name=f"Vendor {n}", country="CA", **contact) for n in range(count)]
    vendors.append(Vendor(name="Without a contact", country="CA"))
    db.session.add_all(vendors)
    db.session.commit()
    return [v.id for v in vendors]


def rotate(app, *options):
    return app.test_cli_runner().invoke(args=["keys", "rotate", *options])


def test_rotation_re_encrypts_every_contact_with_the_newest_key(installation):
    with installation(OLD_KEY):
        ids = add_vendors(7, **NADIA)

    with installation(f"{NEW_KEY},{OLD_KEY}") as app:
        assert contacts_of(ids[0]) == NADIA  # old rows stay readable before the rotation
        done = rotate(app, "--batch", "3")  # three batches and a short one
        assert done.exit_code == 0, done.output
        assert "vendors: 7 of 8 rows re-encrypted." in done.output
        again = rotate(app)
        assert "vendors: 0 of 8 rows re-encrypted." in again.output  # safe to run again

    with installation(NEW_KEY):  # the old key dropped
        assert [contacts_of(i) for i in ids[:-1]] == [NADIA] * 7
        assert raw_contacts(ids[-1])[:3] == (None, None, None)
        # The lookup key was not rotated: the vendors are still found by email.
        assert count(Vendor, search_condition("nadia.tremblay@nouvelle.example.com")) == 7


UPDATED_AT = text("SELECT updated_at FROM vendors ORDER BY id")


def test_rotation_leaves_the_audit_trail_and_updated_at_alone(installation):
    with installation(OLD_KEY):
        add_vendors(1, **NADIA)
        # In id order: PostgreSQL returns an updated row at its new place in the table.
        before = db.session.execute(UPDATED_AT).all()
        entries = count(AuditEntry)
    with installation(f"{NEW_KEY},{OLD_KEY}") as app:
        assert rotate(app).exit_code == 0
        assert db.session.execute(UPDATED_AT).all() == before
        assert count(AuditEntry) == entries


def test_a_contact_no_key_opens_is_a_clear_error_when_read(installation):
    with installation(OLD_KEY):
        [vendor_id, _] = add_vendors(1, **NADIA)

    with installation(NEW_KEY) as app:  # the old key lost
        with pytest.raises(UnreadableData, match=KEYS_VARIABLE):
            contacts_of(vendor_id)
        # Only what shows the contact fails: the list does not decrypt contacts.
        with app.test_request_context():
            assert db.session.scalar(select(Vendor.name).where(Vendor.id == vendor_id))
            with pytest.raises(UnreadableData, match="Put that key back"):
                vendor_or_404(vendor_id).contact_name  # noqa: B018 (the read is the test)


def test_rotation_stops_on_a_contact_no_key_opens_and_says_which(installation):
    with installation(OLD_KEY):
        add_vendors(2, **NADIA)
    with installation(NEW_KEY) as app:
        done = rotate(app)
        assert done.exit_code == 1
        assert "Row 1, column contact_name" in done.output
        assert KEYS_VARIABLE in done.output
        assert "Traceback" not in done.output


def test_a_contact_stored_in_clear_by_mistake_is_the_same_clear_error(app, create_vendor):
    vendor = create_vendor(**NADIA)
    with app.app_context():
        db.session.execute(text("UPDATE vendors SET contact_phone = '+1 514 555 0100 poste 2'"))
        db.session.commit()
    with app.app_context(), pytest.raises(UnreadableData, match=KEYS_VARIABLE):
        contacts_of(vendor.id)


# --- keys and settings -------------------------------------------------------------------------


def test_keys_generate_prints_keys_that_are_accepted(runner):
    key = runner.invoke(args=["keys", "generate"]).stdout.strip()
    assert parse_keys(f"{key}, {OLD_KEY}").newest.decrypt(Fernet(key).encrypt(b"x")) == b"x"
    lookup = runner.invoke(args=["keys", "generate", "--hmac"]).stdout.strip()
    assert parse_hmac_key(lookup)


@pytest.mark.parametrize(  # ids: the same in every xdist worker, which collects on its own
    "value", ["not-a-key", f"{OLD_KEY},{OLD_KEY[:-2]}", " , "], ids=["junk", "cut-short", "blank"]
)
def test_a_malformed_key_is_refused_naming_the_variable_but_not_the_key(value):
    with pytest.raises(ConfigError) as refused:
        parse_keys(value)
    message = str(refused.value)
    assert message.startswith(KEYS_VARIABLE)
    assert "Fernet.generate_key()" in message  # how to make one, without starting the app
    assert OLD_KEY[:20] not in message


def test_a_short_lookup_key_is_refused():
    with pytest.raises(ConfigError, match=f"{HMAC_VARIABLE} has only 9 characters"):
        parse_hmac_key("too-short")


def bare_app(tmp_path, **config) -> Flask:
    app = Flask(__name__, instance_path=str(tmp_path / "instance"))
    app.config.update(config)
    return app


@pytest.mark.parametrize("missing", [KEYS_VARIABLE, HMAC_VARIABLE])
def test_production_refuses_to_start_without_its_keys(tmp_path, missing):
    config = {"ENV_NAME": "production", "ENCRYPTION_KEYS": OLD_KEY, "HMAC_KEY": HMAC_KEY}
    config.pop("ENCRYPTION_KEYS" if missing == KEYS_VARIABLE else "HMAC_KEY")
    with pytest.raises(ConfigError, match=f"{missing} is not set. Production refuses to start"):
        register_encryption(bare_app(tmp_path, **config))
    assert not (tmp_path / "instance").exists()  # no key was made up


def test_production_start_up_stops_with_the_message(production_env):
    production_env.delenv(KEYS_VARIABLE)
    with pytest.raises(SystemExit, match=f"VendorTrack cannot start: {KEYS_VARIABLE} is not set"):
        create_app()


def test_development_generates_its_keys_once_for_its_owner_only(tmp_path):
    app = bare_app(tmp_path, ENV_NAME="development")
    register_encryption(app)
    token = app.extensions["encryption"].encrypt(b"Nadia")
    for name in ("encryption_keys", "hmac_key"):
        mode = (tmp_path / "instance" / name).stat().st_mode
        assert stat.S_IMODE(mode) == 0o600, name

    restarted = bare_app(tmp_path, ENV_NAME="development")
    register_encryption(restarted)
    assert restarted.extensions["encryption"].decrypt(token) == b"Nadia"
    assert restarted.extensions["lookup_key"] == app.extensions["lookup_key"]
    assert sorted(p.name for p in (tmp_path / "instance").iterdir()) == [
        "encryption_keys",
        "hmac_key",
    ]  # nothing left aside


def test_tests_without_keys_never_write_into_the_instance_folder(tmp_path):
    first, second = bare_app(tmp_path, TESTING=True), bare_app(tmp_path, TESTING=True)
    register_encryption(first)
    register_encryption(second)
    assert not (tmp_path / "instance").exists()
    # One throwaway key per process: what one test app writes, the next reads.
    token = first.extensions["encryption"].encrypt(b"x")
    assert second.extensions["encryption"].decrypt(token) == b"x"


def test_configured_keys_win_over_the_fallbacks(tmp_path):
    app = bare_app(tmp_path, TESTING=True, ENCRYPTION_KEYS=f"{NEW_KEY},{OLD_KEY}")
    app.config["HMAC_KEY"] = HMAC_KEY
    register_encryption(app)
    assert app.extensions["encryption"].decrypt(Fernet(OLD_KEY).encrypt(b"x")) == b"x"
    assert Fernet(NEW_KEY).decrypt(app.extensions["encryption"].encrypt(b"y")) == b"y"
    assert app.extensions["lookup_key"] == HMAC_KEY.encode()


# --- the migration -----------------------------------------------------------------------------


VENDOR_AT_0008 = text(
    "INSERT INTO vendors (id, name, name_key, country, status, criticality, risk_tier, "
    "auto_renewal, created_at, updated_at, contact_name, contact_email, contact_phone) "
    "VALUES (:id, :name, :name, 'CA', 'active', 1, 1, false, :now, :now, :contact_name, "
    ":contact_email, :contact_phone)"
)
ENTRY_AT_0008 = text(
    "INSERT INTO audit_entries (at, action, entity, entity_id, vendor_id, changes) "
    "VALUES (:now, 'create', :entity, 1, 1, :changes)"
)


@pytest.fixture
def at_0008(new_database):
    """The app of an installation migrated to 0008 from an empty database, holding a vendor with
    its contact in clear (and one without), and the audit entry that recorded the first."""
    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": new_database(schema=False),
            "ENCRYPTION_KEYS": OLD_KEY,
            "HMAC_KEY": HMAC_KEY,
        }
    )
    with app.app_context():
        upgrade(revision="0008")
        now = datetime(2026, 1, 5, 12, tzinfo=UTC)
        db.session.execute(VENDOR_AT_0008, {"id": 1, "name": "nouvelle", "now": now, **NADIA})
        no_contact = dict.fromkeys(NADIA)
        db.session.execute(VENDOR_AT_0008, {"id": 2, "name": "autre", "now": now, **no_contact})
        changes = {name: [None, value] for name, value in NADIA.items()}
        changes["name"] = [None, "nouvelle"]
        for entity in ("vendor", "review"):  # another kind's entry is left as it is
            values = {"now": now, "entity": entity, "changes": json.dumps(changes)}
            db.session.execute(ENTRY_AT_0008, values)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_the_migration_encrypts_the_contacts_already_there(at_0008):
    with at_0008.app_context():
        upgrade()

    with at_0008.app_context():
        assert_nothing_in_clear(str(raw_contacts(1)))
        assert contacts_of(1) == NADIA
        assert raw_contacts(1).contact_email_hmac == contact_email_hmac(NADIA["contact_email"])
        assert raw_contacts(2) == (None, None, None, None)
        query = select(Vendor.id).where(search_condition("nadia.tremblay@nouvelle.example.com"))
        assert db.session.scalars(query).all() == [1]
        # As stored: PostgreSQL's driver would hand back the JSON already parsed.
        query = text("SELECT entity, CAST(changes AS TEXT) FROM audit_entries ORDER BY id")
        [(_, vendor), (_, review)] = db.session.execute(query).all()
    assert_nothing_in_clear(vendor)
    assert json.loads(vendor)["contact_name"] == [None, "(encrypted)"]
    assert json.loads(vendor)["name"] == [None, "nouvelle"]  # the rest of the entry is kept
    assert json.loads(review)["contact_name"] == [None, "Nadia Tremblay"]


def test_the_migration_down_decrypts_the_contacts(at_0008):
    with at_0008.app_context():
        upgrade()
        downgrade(revision="0008")

    with at_0008.app_context():
        stored = db.session.execute(
            text("SELECT contact_name, contact_email, contact_phone FROM vendors WHERE id = 1")
        ).one()
    assert tuple(stored) == tuple(NADIA.values())


def migration(app, revision: str):
    """The module of one of the app's migrations, as Alembic loads it."""
    return ScriptDirectory(app.extensions["migrate"].directory).get_revision(revision).module


@pytest.mark.parametrize(
    "email",
    [
        NADIA["contact_email"],
        "  NADIA.TREMBLAY@Nouvelle.Example.com\t",
        "Élodie.Côté@Exemple.QC.ca",
        "",
        " ",
        None,
    ],
)
def test_the_migration_hashes_emails_as_the_app_does(app, email):
    # The migration keeps its own copy of the hash (it must not import the app's code, which
    # may change after it): the app must find what the migration hashed.
    with app.app_context():  # both read the lookup key of the app
        assert migration(app, "0009")._contact_email_hmac(email) == contact_email_hmac(email)


@pytest.mark.parametrize("setting", ["ENCRYPTION_KEYS", "HMAC_KEY"])
def test_production_refuses_the_tests_published_keys(tmp_path, monkeypatch, setting):
    monkeypatch.setattr(TestConfig, "ENCRYPTION_KEYS", OLD_KEY, raising=False)
    monkeypatch.setattr(TestConfig, "HMAC_KEY", HMAC_KEY, raising=False)
    config = {"ENV_NAME": "production", "ENCRYPTION_KEYS": NEW_KEY, "HMAC_KEY": "h" * 64}
    config[setting] = f"{NEW_KEY},{OLD_KEY}" if setting == "ENCRYPTION_KEYS" else HMAC_KEY
    with pytest.raises(ConfigError, match="the tests' key, which is published"):
        register_encryption(bare_app(tmp_path, **config))
