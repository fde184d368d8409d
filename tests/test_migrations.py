"""The migrations build the schema the models describe, from an empty database and back."""

import ast
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import CheckConstraint, inspect, select, text

from vendortrack import create_app
from vendortrack.compliance.stored import bring_up_to_date
from vendortrack.extensions import db
from vendortrack.i18n import local_today
from vendortrack.register.models import Vendor


@pytest.fixture
def empty_app(new_database):
    """An app on an empty database (SQLite or PostgreSQL, as the suite runs): only what the
    migrations build."""
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": new_database(schema=False)})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def differences(app):
    """What `flask db check` would report: model changes the migrations do not make."""
    options = app.extensions["migrate"].configure_args  # the options env.py gives Alembic
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_builds_exactly_the_models(empty_app):
    upgrade()
    assert table_names() == set(db.metadata.tables)
    assert differences(empty_app) == []


def test_upgrade_creates_the_check_constraints_the_models_declare(empty_app):
    # Autogenerate does not compare check constraints, so a model's new rule could be missing from
    # the database unnoticed.
    upgrade()
    inspector = inspect(db.engine)
    for table in db.metadata.sorted_tables:
        declared = {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
        in_database = {c["name"] for c in inspector.get_check_constraints(table.name)}
        assert in_database == declared, table.name


def test_downgrade_to_base_removes_everything_and_upgrade_works_again(empty_app):
    upgrade()
    downgrade(revision="base")
    assert table_names() == set()
    upgrade()
    assert differences(empty_app) == []


def test_no_migration_imports_the_apps_code(empty_app):
    # A migration runs against whatever the code has become since: a function renamed later
    # would break every upgrade from before it.
    versions = Path(empty_app.extensions["migrate"].directory) / "versions"
    for path in sorted(versions.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "vendortrack" for name in names), path.name


def test_vendors_from_before_stored_compliance_are_judged_on_the_first_read(empty_app):
    upgrade(revision="0014")
    db.session.execute(
        text(
            "INSERT INTO vendors (name, name_key, country, status, criticality, risk_tier, "
            "auto_renewal, created_at, updated_at, version) VALUES ('Old', 'old', 'CA', "
            "'active', 1, 1, false, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"
        )
    )
    db.session.commit()
    upgrade()
    stored = select(Vendor.compliance_status, Vendor.compliance_reasons)
    assert db.session.execute(stored).one() == (None, "")  # holds on no day
    assert bring_up_to_date(local_today()) == 1
    assert db.session.execute(stored).one() == ("action", "sharing_undocumented")


def test_a_vendor_left_two_current_agreement_checks_keeps_its_newest(empty_app):
    upgrade(revision="0020")
    db.session.execute(
        text(
            "INSERT INTO vendors (name, name_key, country, status, criticality, risk_tier, "
            "auto_renewal, created_at, updated_at, version) VALUES ('Old', 'old', 'CA', "
            "'active', 1, 1, false, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"
        )
    )
    for _ in range(2):  # a double click, before one current check per vendor was enforced
        db.session.execute(
            text(
                "INSERT INTO agreement_checks (vendor_id, documents_sha256, documents, "
                "checker_version, language, current, checked_at) VALUES (1, 'x', '[]', 1, 'en', "
                "true, '2026-01-01 00:00:00')"
            )
        )
    db.session.commit()
    upgrade()
    current = text("SELECT id FROM agreement_checks WHERE current ORDER BY id")
    assert db.session.execute(current).scalars().all() == [2]
