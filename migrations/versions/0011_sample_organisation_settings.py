"""sample organisation settings

The sample register fills the organisation's settings when nobody has; is_sample marks them so
that the Settings page can say they are invented, until an administrator saves their own.
Existing settings were entered by an administrator: they start unmarked.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 00:07:14.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_sample', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_column('is_sample')
