"""the figures an agreement check held the vendor to, and one current check per vendor

Each check records the breach-notice hours and sub-processor notice days it held the vendor's
agreement to (Settings at the time; unknown for earlier checks), so that a change in Settings
shows the check as out of date. A partial unique index keeps one current check per vendor; a
vendor left with two by a double click before it keeps its newest.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08 00:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

CURRENT = sa.column('current').is_(sa.true())


def upgrade():
    with op.batch_alter_table('agreement_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('breach_hours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('notice_days', sa.Integer(), nullable=True))
    # Two requests at once could leave a vendor two current checks: its newest stays current.
    checks = sa.table(
        'agreement_checks', sa.column('id', sa.Integer), sa.column('vendor_id', sa.Integer),
        sa.column('current', sa.Boolean),
    )
    newest = sa.select(sa.func.max(checks.c.id)).where(CURRENT).group_by(checks.c.vendor_id)
    op.execute(
        checks.update().where(CURRENT, checks.c.id.not_in(newest)).values(current=False)
    )
    op.create_index(
        'uq_agreement_checks_current', 'agreement_checks', ['vendor_id'], unique=True,
        sqlite_where=CURRENT, postgresql_where=CURRENT,
    )


def downgrade():
    op.drop_index('uq_agreement_checks_current', table_name='agreement_checks')
    with op.batch_alter_table('agreement_checks', schema=None) as batch_op:
        batch_op.drop_column('notice_days')
        batch_op.drop_column('breach_hours')
