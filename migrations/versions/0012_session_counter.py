"""session counter

Each user's session key includes a counter that signing out increases, so that signing out ends
the session on the server (and every other session of that user): a copy of the cookie taken
before no longer opens anything. Existing users start at 0; the key's formula changes with it,
so everybody signs in again once after the upgrade.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-09 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_counter', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_counter')
