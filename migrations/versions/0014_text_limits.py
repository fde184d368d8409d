"""text limits

Every text a person writes gets a maximum length, in characters, that the database keeps
(CHECK length(column) <= limit): TEXT columns had none, and SQLite keeps a VARCHAR(n) value of
any length. The forms and the CSV import refuse the same lengths with a message.

Existing values over a limit would make adding the constraint fail, so they are cut to the
limit first; this records nothing in the audit trail, and the upgrade's log names each row cut.
Only text the forms never limited can be cut (vendors' services and notes, data sharing
purposes: the other limits are the forms' long-standing ones, or the VARCHAR sizes PostgreSQL
already kept); the text as last saved through a form stays in that save's audit entry.
Downgrading drops the constraints; it cannot restore what was cut.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-10 00:00:00.000000

"""
import logging

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')

# As the models said at this revision; a later change of limit is a migration of its own.
LIMITS = {
    'vendors': {
        'name': 200,
        'legal_name': 200,
        'website': 300,
        'services': 5000,
        'contract_reference': 100,
        'notes': 20000,
        'risk_override_reason': 2000,
    },
    'data_sharings': {'purpose': 2000},
    'reviews': {'notes': 10000},
    'review_conditions': {'text': 2000},
    'review_triggers': {'detail': 5000},
    'organisation_settings': {
        'legal_name': 200,
        'address': 1000,
        'privacy_officer_name': 120,
        'privacy_officer_title': 120,
        'privacy_officer_email': 254,
        'signatory_name': 120,
        'signatory_title': 120,
    },
    'users': {'name': 120, 'email': 254},
}


def cut_to_limit(table, column, limit):
    """Cut the values of `column` longer than `limit` characters, naming the rows cut."""
    too_long = sa.text(f'length({column}) > :limit')
    rows = sa.table(table, sa.column('id'), sa.column(column))
    connection = op.get_bind()
    ids = connection.scalars(sa.select(rows.c.id).where(too_long), {'limit': limit}).all()
    if ids:
        log.warning('%s.%s: cut to %s characters in rows %s', table, column, limit, ids)
        connection.execute(
            rows.update()
            .where(too_long)
            .values({column: sa.func.substr(rows.c[column], 1, limit)}),
            {'limit': limit},
        )


def upgrade():
    for table, limits in LIMITS.items():
        for column, limit in limits.items():
            cut_to_limit(table, column, limit)
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, limit in limits.items():
                batch_op.create_check_constraint(
                    op.f(f'ck_{table}_{column}_length'), f'length({column}) <= {limit}'
                )


def downgrade():
    for table, limits in LIMITS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in limits:
                batch_op.drop_constraint(op.f(f'ck_{table}_{column}_length'), type_='check')
