"""Column types that must hold what the code puts in them, on every database."""

from sqlalchemy import String, text

from vendortrack.database import NamedEnum
from vendortrack.extensions import db


def test_every_named_enum_value_fits_its_column(app):
    # SQLite keeps a value longer than its VARCHAR; PostgreSQL refuses the whole row.
    too_long = [
        (table.name, column.name, value.value)
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, NamedEnum)
        for value in column.type.enum_class
        if len(value.value) > column.type.impl.length
    ]
    assert too_long == []


def test_named_enum_columns_are_strings_of_a_stated_length(app):
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, NamedEnum):
                assert isinstance(column.type.impl, String), column
                assert column.type.impl.length, column


def test_each_connection_is_tuned_for_its_database(app):
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            # Compiling the compliance SQL cost 100 ms a statement (bench/load.py).
            assert db.session.scalar(text("SHOW jit")) == "off"
            db.session.rollback()  # the setting outlives a transaction
            assert db.session.scalar(text("SHOW jit")) == "off"
        else:
            assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
