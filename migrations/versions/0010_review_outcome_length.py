"""review outcome fits its longest value

"approved_with_conditions" is 24 characters: SQLite kept it in a VARCHAR(20), PostgreSQL refuses it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 05:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.alter_column('outcome', existing_type=sa.String(length=20),
                              type_=sa.String(length=30), existing_nullable=False)


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.alter_column('outcome', existing_type=sa.String(length=30),
                              type_=sa.String(length=20), existing_nullable=False)
