"""what each sub-processor touches, since when and from where

The categories of information each listed sub-processor touches, since when, and where we
learnt of it (the vendor's list, a notice of change, the agreement); unknown for the rows kept
before.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 03:02:59.870516

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sub_processors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('categories', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=20), nullable=True))



def downgrade():
    with op.batch_alter_table('sub_processors', schema=None) as batch_op:
        batch_op.drop_column('source')
        batch_op.drop_column('since')
        batch_op.drop_column('categories')

