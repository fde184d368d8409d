"""`flask --app vendortrack backup` and `restore`: every row of every table comes back, documents
included, and bad input is refused with a message, changing nothing.

The tests run on the database the `app` fixture gives: SQLite, or PostgreSQL when
VENDORTRACK_TEST_DATABASE_URL points at a server (then each restore gets a database of its own).
"""

import os
import re
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask_migrate import stamp
from sqlalchemy import Column, MetaData, String, Table, create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from tests.fixtures.factories import create_change
from tests.helpers import app_context, loaded
from vendortrack import create_app
from vendortrack.accounts.models import LoginFailure, Role
from vendortrack.assurance.models import DocumentKind, RequiredDocument
from vendortrack.backup import Standing, back_up, head_revision, restore, schema_standing
from vendortrack.dashboard.models import ComplianceSnapshot
from vendortrack.extensions import db
from vendortrack.organisation.models import OrganisationSettings
from vendortrack.pg_programs import ProgramError, libpq, pg_program
from vendortrack.questionnaires.models import LinkHit, QuestionnaireNotice
from vendortrack.register.models import Level, Vendor
from vendortrack.reminders.models import (
    MailMessage,
    MailStatus,
    Reminder,
    ReminderStatus,
    SweepRun,
    Topic,
)
from vendortrack.reviews.models import EvidenceFile, ReviewPolicy, ReviewTrigger, TriggerKind

NOW = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
EVERY_BYTE = bytes(range(256)) * 4
# More than the 1,024 pages (4 MB) SQLite copies per step, so that copies take several steps.
LARGE_FILE = os.urandom(5 * 1024 * 1024)
SCHEMA = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))


def migrations(app) -> Path:
    return Path(app.extensions["migrate"].directory)


def on_postgresql(app) -> bool:
    with app_context(app):
        return db.engine.dialect.name == "postgresql"


def make_app(url: str, tmp_path, smtp_server):
    return create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_server[1],
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "SCHEDULER_LOCK": str(tmp_path / "target-scheduler.lock"),
        }
    )


@pytest.fixture
def empty_database(app, tmp_path):
    """empty_database() -> the URL of a new, empty database of the kind the app uses."""
    created = []
    server = None
    if on_postgresql(app):
        base = make_url(os.environ["VENDORTRACK_TEST_DATABASE_URL"])
        server = create_engine(base, isolation_level="AUTOCOMMIT")

    def make() -> str:
        name = f"vt_restore_{uuid.uuid4().hex[:12]}"
        created.append(name)
        if server is None:
            return f"sqlite:///{tmp_path}/{name}.sqlite"
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return server.url.set(database=name).render_as_string(hide_password=False)

    yield make
    if server is not None:
        with server.connect() as connection:
            for name in created:  # FORCE: a restore's pg_restore may not have let go yet
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture
def target(app, tmp_path, smtp_server, empty_database):
    """target(url=None) -> an app on that database (a new empty one by default)."""
    apps = []

    def make(url: str | None = None):
        made = make_app(url or empty_database(), tmp_path, smtp_server)
        apps.append(made)
        return made

    yield make
    for made in apps:
        with made.app_context():
            db.engine.dispose()


@pytest.fixture
def filled(
    app,
    create_user,
    create_vendor,
    create_addendum,
    create_review,
    create_agreement,
    create_questionnaire,
    create_document,
):
    """A register with a row in every table, documents included, at the newest schema."""
    with app_context(app):
        admin = create_user(Role.ADMIN, name="Ève Côté")
        owner = create_user(Role.OWNER, language="fr", last_login_at=NOW)
        vendor = create_vendor(
            sharings=[{"locations": ["CA", "US-CA"], "subjects_in_california": True}],
            sub_processors=[{}],
            owner_id=owner.id,
            notes="Données sensibles — « à revoir »",
            contract_end=date(2027, 6, 30),
        )
        create_addendum(vendor, document=EVERY_BYTE, signed_copy=b"%PDF-1.7 signed %%EOF")
        ids = create_review(vendor)
        create_agreement(vendor)
        questionnaire = create_questionnaire(
            vendor, contact_name="Léa Côté", message="Merci « d’avance »"
        )
        create_document(vendor, data=b"%PDF-1.7 " + EVERY_BYTE)
        create_change(app, vendor)
        db.session.add(RequiredDocument(risk_tier=Level.CRITICAL, kind=DocumentKind.INSURANCE))
        db.session.add(
            EvidenceFile(
                review_id=ids["review_id"],
                filename="soc2.pdf",
                content_type="application/pdf",
                size=len(LARGE_FILE),
                sha256="1" * 64,
                data=LARGE_FILE,
            )
        )
        db.session.add_all(
            [
                ReviewTrigger(
                    vendor_id=vendor.id,
                    kind=TriggerKind.INCIDENT,
                    detail="Breach notice",
                    raised_on=date(2026, 10, 1),
                    raised_by_id=admin.id,
                ),
                ReviewPolicy(months_high=6),
                OrganisationSettings(
                    legal_name="Organisme de démonstration inc.",
                    letterhead=b"PK\x03\x04 letterhead" + EVERY_BYTE,
                    letterhead_filename="letterhead.docx",
                    updated_by_id=admin.id,
                ),
                LoginFailure(account_key="k" * 64, address="192.0.2.1", failed_at=NOW),
                LinkHit(key="address:192.0.2.1", at=NOW),
                QuestionnaireNotice(
                    request_id=questionnaire["request_id"],
                    kind="due_soon",
                    due_on=date(2026, 12, 1),
                    recipient="contact",
                    next_attempt_at=NOW,
                ),
                ComplianceSnapshot(
                    day=date(2026, 11, 1), total=1, compliant=0, action=1, overdue=0
                ),
            ]
        )
        db.session.flush()
        add_mail(owner, vendor)
        db.session.commit()
        stamp()  # alembic_version, at the newest revision, as `flask db upgrade` leaves it
        return loaded(vendor)


def add_mail(owner, vendor) -> None:
    message = MailMessage(
        recipient_id=owner.id,
        to_address=owner.email,
        subject="Révision due",
        text_body="Bonjour",
        html_body="<p>Bonjour</p>",
        message_id="<r1@vendortrack.test>",
        status=MailStatus.SENT,
        transport="smtp",
    )
    db.session.add(message)
    db.session.flush()
    db.session.add_all(
        [
            Reminder(
                topic=Topic.REVIEW,
                subject_id=vendor.id,
                kind="due",
                due_on=date(2026, 11, 2),
                recipient_id=owner.id,
                reason="owner",
                vendor_id=vendor.id,
                status=ReminderStatus.SENT,
                next_attempt_at=NOW,
                message_id=message.id,
                done_at=NOW,
            ),
            SweepRun(started_at=NOW, planned_for=date(2026, 11, 2), finished_at=NOW, sent=1),
        ]
    )


def every_row(engine) -> dict[str, list[tuple]]:
    """Every row of every table the models declare, and the schema version, in key order."""
    tables = [*db.metadata.sorted_tables, SCHEMA]
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in tables
        }


def table_names(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def row_count(url: str, model) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return len(connection.execute(select(model.__table__)).all())
    finally:
        engine.dispose()


def back_up_app(runner, tmp_path) -> Path:
    out = tmp_path / "register.backup"
    result = runner.invoke(args=["backup", str(out)])
    assert result.exit_code == 0, result.output
    return out


def invoke(app, *args: str):
    """Run a command on that app (the `runner` fixture runs them on the `app` fixture's)."""
    return app.test_cli_runner().invoke(args=list(args))


def invoke_restore(app, source: Path):
    return invoke(app, "restore", str(source))


# The round trip ----------------------------------------------------------------------------


def test_round_trip_restores_every_row_of_every_table(app, runner, filled, target, tmp_path):
    with app.app_context():
        before = every_row(db.engine)
    # A table left without rows here would prove nothing about the backup: fill it above.
    assert [name for name, rows in before.items() if not rows] == []

    out = tmp_path / "register.backup"
    backed_up = runner.invoke(args=["backup", str(out)])
    assert backed_up.exit_code == 0, backed_up.output
    assert f"Wrote {out} (5." in backed_up.output  # MB: the large evidence file is inside
    assert re.search(r"evidence_files +2\n", backed_up.output)

    restored_app = target()
    result = invoke_restore(restored_app, out)
    assert result.exit_code == 0, result.output
    assert f"schema {head_revision(migrations(app))}, {len(db.metadata.tables)} tables" in (
        result.output
    )
    assert "db upgrade" not in result.output

    restored = create_engine(restored_app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        # In the app's context: the questionnaire's contact is decrypted with its keys.
        with app.app_context():
            assert every_row(restored) == before  # all columns, BLOB bytes included
            assert table_names(restored) == table_names(db.engine)
    finally:
        restored.dispose()

    with restored_app.app_context():  # the register goes on (PostgreSQL's sequences came back)
        vendor = Vendor(name="After the restore", country="CA", criticality=Level.LOW)
        db.session.add(vendor)
        db.session.commit()
        assert vendor.id == filled.id + 1


def test_progress_is_reported_to_the_end(app, filled, target, tmp_path):
    reports = {"backup": [], "restore": []}
    out = tmp_path / "register.backup"
    with app.app_context():
        back_up(db.engine, out, overwrite=False, progress=lambda *r: reports["backup"].append(r))
    restored_app = target()
    with restored_app.app_context():
        restore(db.engine, out, migrations(app), lambda *r: reports["restore"].append(r))
        db.engine.dispose()
    for done_total in reports.values():
        assert len(done_total) > 1  # several pages of 4 MB, or several tables
        done, total = done_total[-1]
        assert done == total > 0


def test_documents_come_back_byte_for_byte(app, runner, filled, target, tmp_path):
    out = back_up_app(runner, tmp_path)
    restored_app = target()
    assert invoke_restore(restored_app, out).exit_code == 0
    with restored_app.app_context():
        files = db.session.scalars(select(EvidenceFile.data).order_by(EvidenceFile.id)).all()
        letterhead = db.session.scalar(select(OrganisationSettings.letterhead))
    assert files[-1] == LARGE_FILE
    assert letterhead.endswith(EVERY_BYTE)


def test_backup_is_a_consistent_snapshot_while_the_app_writes(app, filled, target, tmp_path):
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
        failures = row_count(url, LoginFailure)
        writer = create_engine(url)

        def write_meanwhile(done, total):
            if done < total or on_postgresql(app):  # mid-copy: SQLite reports every 4 MB copied
                with writer.begin() as connection:
                    connection.execute(
                        LoginFailure.__table__.insert().values(account_key="w" * 64, failed_at=NOW)
                    )

        out = tmp_path / "register.backup"
        try:
            written = back_up(db.engine, out, overwrite=False, progress=write_meanwhile)
        finally:
            writer.dispose()

    assert row_count(url, LoginFailure) > failures  # the writes did happen, during the copy
    restored_app = target()
    assert invoke_restore(restored_app, out).exit_code == 0
    restored_url = restored_app.config["SQLALCHEMY_DATABASE_URI"]
    assert row_count(restored_url, LoginFailure) == failures
    assert written.contents.rows["login_failures"] == failures


@pytest.mark.slow  # the flask command in processes of its own
def test_backup_and_restore_as_commands_in_their_own_processes(
    app, filled, empty_database, tmp_path
):
    out = tmp_path / "register.backup"
    with app.app_context():
        source_url = db.engine.url.render_as_string(hide_password=False)
    target_url = empty_database()

    backed_up = run_flask(source_url, "backup", str(out))
    assert backed_up.returncode == 0, backed_up.stderr
    assert f"Wrote {out}" in backed_up.stdout
    restored = run_flask(target_url, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    assert row_count(target_url, EvidenceFile) == 2

    refused = run_flask(target_url, "restore", str(out))  # the target now holds the register
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr
    assert "Traceback" not in refused.stderr


def run_flask(database_url: str, *args: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "VENDORTRACK_ENV": "development",
        "VENDORTRACK_DATABASE_URL": database_url,
        "VENDORTRACK_SECRET_KEY": "backup-test",
    }
    command = [sys.executable, "-m", "flask", "--app", "vendortrack", *args]
    return subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


# Restoring: what is refused -----------------------------------------------------------------


def test_restore_refuses_a_database_that_has_rows(app, runner, filled, tmp_path):
    out = back_up_app(runner, tmp_path)
    with app.app_context():
        before = every_row(db.engine)
    result = runner.invoke(args=["restore", str(out)])
    assert result.exit_code == 1
    assert "is not empty (" in result.output
    assert "nothing was changed" in result.output
    with app.app_context():
        assert every_row(db.engine) == before


def test_restore_accepts_a_database_set_up_but_empty(app, runner, filled, target, tmp_path):
    out = back_up_app(runner, tmp_path)
    restored_app = target()
    with restored_app.app_context():  # as `flask db upgrade` leaves a new installation
        db.create_all()
        stamp()
        db.engine.dispose()
    result = invoke_restore(restored_app, out)
    assert result.exit_code == 0, result.output
    assert row_count(restored_app.config["SQLALCHEMY_DATABASE_URI"], EvidenceFile) == 2


def test_restore_refuses_a_target_with_tables_the_backup_lacks(
    app, runner, filled, target, tmp_path
):
    out = back_up_app(runner, tmp_path)
    restored_app = target()
    with restored_app.app_context(), db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE something_else (id INTEGER PRIMARY KEY)"))
    result = invoke_restore(restored_app, out)
    assert result.exit_code == 1
    assert "has tables the backup does not (something_else)" in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.backup", None, "does not exist"),
        ("notes.txt", b"just some notes\n", "is not a VendorTrack backup"),
        ("empty.backup", b"", "is not a VendorTrack backup"),
        ("folder", "dir", "is a folder, not a backup file"),
    ],
)
def test_restore_refuses_what_is_not_a_backup(app, target, tmp_path, name, content, message):
    source = tmp_path / name
    if content == "dir":
        source.mkdir()
    elif content is not None:
        source.write_bytes(content)
    restored_app = target()
    result = invoke_restore(restored_app, source)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    with restored_app.app_context():
        assert table_names(db.engine) == set()


def test_a_database_out_of_reach_is_named(app, runner, filled, target, tmp_path):
    out = back_up_app(runner, tmp_path)
    if on_postgresql(app):
        with app.app_context():
            unreachable = db.engine.url.set(database="vt_never_created")
    else:
        unreachable = make_url(f"sqlite:///{tmp_path}/no-such-folder/register.sqlite")
    result = invoke_restore(target(unreachable.render_as_string(hide_password=False)), out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "cannot be used:" in result.output
    assert "vt_never_created" in result.output or "no-such-folder" in result.output


def test_restore_refuses_a_backup_of_the_other_kind_of_database(app, target, tmp_path):
    source = tmp_path / "other.backup"
    # The first bytes say what a file is; the other kind of database than the one configured.
    source.write_bytes(b"SQLite format 3\x00" if on_postgresql(app) else b"PGDMP\x01\x0e\x00")
    result = invoke_restore(target(), source)
    assert result.exit_code == 1
    assert "restore it into a" in result.output


def test_restore_refuses_a_sqlite_file_that_is_not_vendortrack(app, target, tmp_path):
    if on_postgresql(app):
        pytest.skip("a SQLite file is refused on PostgreSQL before it is opened")
    source = tmp_path / "other.sqlite"
    with sqlite3.connect(source) as other:
        other.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
    result = invoke_restore(target(), source)
    assert result.exit_code == 1
    assert "is not a VendorTrack database" in result.output


def test_restore_refuses_a_backup_made_by_a_newer_vendortrack(
    app, runner, filled, target, tmp_path
):
    with app.app_context():
        db.session.execute(SCHEMA.update().values(version_num="9999_future"))
        db.session.commit()
    out = back_up_app(runner, tmp_path)
    restored_app = target()
    result = invoke_restore(restored_app, out)
    assert result.exit_code == 1
    assert "was made by a newer VendorTrack (schema 9999_future" in result.output
    with restored_app.app_context():
        assert table_names(db.engine) == set()


def test_restore_of_an_older_backup_says_to_upgrade(app, runner, filled, target, tmp_path):
    with app.app_context():
        db.session.execute(SCHEMA.update().values(version_num="0006"))
        db.session.commit()
    out = back_up_app(runner, tmp_path)
    result = invoke_restore(target(), out)
    assert result.exit_code == 0, result.output
    assert "The backup's schema (0006) is older" in result.output
    assert "Run `flask --app vendortrack db upgrade` now" in result.output


def test_a_damaged_backup_changes_nothing(app, runner, filled, target, tmp_path):
    out = back_up_app(runner, tmp_path)
    data = out.read_bytes()
    out.write_bytes(data[: len(data) * 2 // 3])  # the end of the large evidence file is lost
    restored_app = target()
    result = invoke_restore(restored_app, out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    with restored_app.app_context():
        assert table_names(db.engine) == set()


def test_a_restore_stopped_half_way_leaves_the_target_as_it_was(
    app, runner, filled, target, tmp_path
):
    out = back_up_app(runner, tmp_path)
    restored_app = target()
    with restored_app.app_context():
        db.create_all()
        stamp()
        before = table_names(db.engine)

        def interrupt(done, total):
            raise KeyboardInterrupt  # Ctrl-C after the first pages (or the first table)

        with pytest.raises(KeyboardInterrupt):
            restore(db.engine, out, migrations(app), interrupt)
        db.engine.dispose()
        assert table_names(db.engine) == before
        with db.engine.connect() as connection:
            assert connection.scalar(select(SCHEMA.c.version_num)) == head_revision(migrations(app))


# Backing up: what is refused ---------------------------------------------------------------


def test_backup_refuses_to_replace_a_file_unless_told(app, runner, filled, tmp_path):
    out = tmp_path / "register.backup"
    out.write_bytes(b"yesterday's backup")
    result = runner.invoke(args=["backup", str(out)])
    assert result.exit_code == 1
    assert "already exists. Choose another name, or add --overwrite" in result.output
    assert out.read_bytes() == b"yesterday's backup"

    result = runner.invoke(args=["backup", str(out), "--overwrite"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() != b"yesterday's backup"


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("missing/register.backup", "The folder"),
        (".", "is a folder"),
        ("x" * 300, "cannot be written: File name too long"),
    ],
)
def test_backup_refuses_a_place_it_cannot_write(app, runner, filled, tmp_path, out, message):
    result = runner.invoke(args=["backup", str(tmp_path / out)])
    assert result.exit_code == 1
    assert message in result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".part") == []


def test_backup_refuses_a_folder_it_may_not_write_in(app, runner, filled):
    result = runner.invoke(args=["backup", "/sys/register.backup"])  # read-only, even for root
    assert result.exit_code == 1
    assert "/sys/register.backup cannot be written" in result.output


def test_backup_refuses_to_write_over_the_database(app, runner, filled):
    if on_postgresql(app):
        pytest.skip("only a SQLite database is a file")
    with app.app_context():
        database = db.engine.url.database
    result = runner.invoke(args=["backup", database, "--overwrite"])
    assert result.exit_code == 1
    assert "is the database itself" in result.output


def test_backup_refuses_a_database_without_a_schema_version(app, runner, create_vendor, tmp_path):
    create_vendor()  # tables made by create_all, never stamped by `flask db upgrade`
    result = runner.invoke(args=["backup", str(tmp_path / "register.backup")])
    assert result.exit_code == 1
    assert "has no schema version (alembic_version)" in result.output
    assert [p.name for p in tmp_path.iterdir() if "backup" in p.name] == []  # nor a partial one


def test_backup_refuses_a_database_that_is_not_vendortrack(app, target, tmp_path):
    empty = target()
    with empty.app_context():  # the database exists, with nothing in it
        db.engine.connect().close()
    result = invoke(empty, "backup", str(tmp_path / "register.backup"))
    assert result.exit_code == 1
    assert "is not a VendorTrack database" in result.output


# The parts ----------------------------------------------------------------------------------


def test_schema_standing_against_the_migrations(app):
    head = head_revision(migrations(app))
    assert schema_standing(head, migrations(app)) is Standing.CURRENT
    assert schema_standing("0001", migrations(app)) is Standing.OLDER
    assert schema_standing("9999_future", migrations(app)) is Standing.NEWER


def test_the_password_goes_in_the_environment_never_on_the_command_line():
    url = make_url("postgresql+psycopg://vt:s3cr%27et@db.example.org:5433/register?sslmode=require")
    conninfo, environment = libpq(url)
    assert "s3cr" not in conninfo
    assert environment["PGPASSWORD"] == "s3cr'et"
    assert (
        conninfo
        == "host='db.example.org' port='5433' user='vt' dbname='register' sslmode='require'"
    )


def test_a_missing_pg_dump_is_named(monkeypatch):
    monkeypatch.setattr("vendortrack.pg_programs.shutil.which", lambda name: None)
    monkeypatch.setattr("vendortrack.pg_programs.glob.glob", lambda pattern: [])
    with pytest.raises(ProgramError, match="pg_dump is not installed"):
        pg_program("pg_dump")
