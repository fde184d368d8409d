"""dashboard indexes

The dashboard's figures at 100,000 vendors read indexes alone: reviews and notices due by date
for the vendors not terminated (the date and the status in one index, where the date alone sent
the database to every row for its status), and the riskiest vendors a tier at a time in name
order (risk tier and name in one index). Each replaces the index on its first column.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 13:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# (old index, its column), (new index, its columns)
CHANGES = [
    (('ix_vendors_review_due_on', ['review_due_on']),
     ('ix_vendors_review_due_on_status', ['review_due_on', 'status'])),
    (('ix_vendors_notice_deadline_on', ['notice_deadline_on']),
     ('ix_vendors_notice_deadline_on_status', ['notice_deadline_on', 'status'])),
    (('ix_vendors_risk_tier', ['risk_tier']),
     ('ix_vendors_risk_tier_name_key', ['risk_tier', 'name_key'])),
]


def upgrade():
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        for (old, _), (new, columns) in CHANGES:
            batch_op.drop_index(old)
            batch_op.create_index(new, columns, unique=False)


def downgrade():
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        for (old, column), (new, _) in CHANGES:
            batch_op.drop_index(new)
            batch_op.create_index(old, column, unique=False)
