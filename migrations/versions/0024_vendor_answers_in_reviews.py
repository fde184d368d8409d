"""the vendor's answers in a review

What the reviewer made of the vendor's own answers on each point of the checklist (accepted or
queried), and which questionnaire they came from.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-08 02:23:28.210456

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vendor_answers', sa.JSON(), nullable=True))

def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_column('vendor_answers')

