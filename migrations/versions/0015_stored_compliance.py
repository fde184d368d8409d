"""stored compliance

Each vendor's compliance status, its reasons, the day it was judged and the last day it holds,
stored on the vendor row and kept current by the app (vendortrack/compliance/stored.py), so that
pages count and filter on an index instead of judging every vendor on every request; and the
fingerprint of what they were judged against.

The rules live in the app's code, which a migration must not import: every existing vendor's
status holds on no day (judged 1900-01-01), so that the first read, `flask --app vendortrack
compliance refresh` or the daily run judges it. Downgrade drops the columns and the table;
nothing is lost, since the statuses can always be judged again.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# Before any day the app judges on: the row must be judged before it is read.
NOT_JUDGED = '1900-01-01'
INDEXES = {
    'ix_vendors_compliance_status_name_key': ['compliance_status', 'name_key'],
    'ix_vendors_compliance_valid_until': ['compliance_valid_until'],
    'ix_vendors_compliance_judged_on': ['compliance_judged_on'],
}


def upgrade():
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('compliance_status', sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column('compliance_reasons', sa.String(length=300), server_default='',
                      nullable=False)
        )
        for name in ('compliance_judged_on', 'compliance_valid_until'):
            batch_op.add_column(
                sa.Column(name, sa.Date(), server_default=NOT_JUDGED, nullable=False)
            )
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    op.create_table(
        'compliance_basis',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_compliance_basis')),
    )


def downgrade():
    op.drop_table('compliance_basis')
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
        for name in ('compliance_valid_until', 'compliance_judged_on', 'compliance_reasons',
                     'compliance_status'):
            batch_op.drop_column(name)
