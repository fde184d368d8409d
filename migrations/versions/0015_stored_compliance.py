"""stored compliance

Each vendor's compliance status, its reasons and the day until which they hold, stored and
kept current by the app (vendortrack/compliance/stored.py), so that pages count and filter on an
index instead of judging every vendor on every request; and the fingerprint of what they were
judged against.

The rules live in the app's code, which a migration must not import: every existing vendor gets
a row that holds on no day, so that the first read (or `flask --app vendortrack compliance
refresh`, or the daily run) judges it. Downgrade drops both tables; nothing is lost, since the
statuses can always be judged again.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 12:00:00.000000

"""
import datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# Before any day the app judges on: the row must be judged before it is read.
NEVER = datetime.date(1900, 1, 1)


def upgrade():
    op.create_table(
        'compliance_statuses',
        sa.Column('vendor_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=True),
        sa.Column('reasons', sa.String(length=300), nullable=False),
        sa.Column('judged_on', sa.Date(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ['vendor_id'], ['vendors.id'],
            name=op.f('fk_compliance_statuses_vendor_id_vendors'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('vendor_id', name=op.f('pk_compliance_statuses')),
    )
    with op.batch_alter_table('compliance_statuses', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_compliance_statuses_judged_on'), ['judged_on'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_compliance_statuses_valid_until'), ['valid_until'], unique=False
        )
        batch_op.create_index(
            'ix_compliance_statuses_status_vendor_id', ['status', 'vendor_id'], unique=False
        )
    op.create_table(
        'compliance_basis',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_compliance_basis')),
    )
    vendors = sa.table('vendors', sa.column('id', sa.Integer))
    statuses = sa.table(
        'compliance_statuses',
        *(sa.column(name) for name in ('vendor_id', 'status', 'reasons')),
        *(sa.column(name, sa.Date) for name in ('judged_on', 'valid_until')),
    )
    never = sa.literal(NEVER, sa.Date)
    op.execute(
        statuses.insert().from_select(
            ['vendor_id', 'status', 'reasons', 'judged_on', 'valid_until'],
            sa.select(vendors.c.id, sa.null(), sa.literal(''), never, never),
        )
    )


def downgrade():
    op.drop_table('compliance_basis')
    with op.batch_alter_table('compliance_statuses', schema=None) as batch_op:
        batch_op.drop_index('ix_compliance_statuses_status_vendor_id')
        batch_op.drop_index(batch_op.f('ix_compliance_statuses_valid_until'))
        batch_op.drop_index(batch_op.f('ix_compliance_statuses_judged_on'))
    op.drop_table('compliance_statuses')
