"""dashboard counts on postgresql

At 1,000,000 vendors on PostgreSQL two of the dashboard's counts read far more than they count.
The statuses were counted by reading the whole table: the (compliance_status, name_key) index
the list needs is as large as a fifth of it, so the planner preferred the rows; the status alone
is a small index read on its own. The categories of terminated vendors were counted by looking
up each terminated vendor's data sharing in the order the vendors' rows happen to lie; (status,
id) gives them in id order, the order of the (vendor_id, category) key they are looked up in.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 16:20:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_vendors_compliance_status', ['compliance_status']),
    ('ix_vendors_status_id', ['status', 'id']),
]


def upgrade():
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        for name, columns in INDEXES:
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        for name, _ in INDEXES:
            batch_op.drop_index(name)
