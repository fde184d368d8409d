"""record versions

A version number on each record two people can edit at once, so that a save made from a form
loaded before someone else's change is refused instead of silently undoing it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


# The records that edit forms change, which two people may change at once. Existing rows start
# at version 1, as new ones do.
TABLES = ('vendors', 'data_sharings', 'organisation_settings', 'users')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('version', sa.Integer(), nullable=False, server_default='1')
            )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
