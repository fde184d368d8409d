"""contract facts

What the addenda need to say only true things: whether the organisation is a "business" under
the CCPA (only then are its California vendors service providers), whether addenda lift the main
contract's limit of liability for privacy breaches, the law that governs addenda and the city
whose courts hear disputes over them, the measures the vendor's Québec privacy
impact assessment agreed, in English and in French, which the addendum's schedule carries, and
the vendor as a party: its address and who signs for it; and each purpose in French, which a
French addendum prints.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 17:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# register.models.VENDOR_TEXT_LIMITS
LIMITS = {
    'pia_measures': 5000,
    'pia_measures_fr': 5000,
    'address': 1000,
    'signatory_name': 120,
    'signatory_title': 120,
}


def upgrade():
    with op.batch_alter_table('data_sharings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose_fr', sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_data_sharings_purpose_fr_length'), 'length(purpose_fr) <= 2000'
        )
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('ccpa_business', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('uncapped_liability', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('governing_law', sa.String(length=6), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('forum', sa.String(length=120), server_default='', nullable=False)
        )
        batch_op.create_check_constraint(
            op.f('ck_organisation_settings_forum_length'), 'length(forum) <= 120'
        )
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pia_measures', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('pia_measures_fr', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('signatory_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('signatory_title', sa.String(length=120), nullable=True))
        for column, limit in LIMITS.items():
            batch_op.create_check_constraint(
                op.f(f'ck_vendors_{column}_length'), f'length({column}) <= {limit}'
            )


def downgrade():
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        for column in LIMITS:
            batch_op.drop_constraint(op.f(f'ck_vendors_{column}_length'), type_='check')
        for column in reversed(LIMITS):
            batch_op.drop_column(column)
    with op.batch_alter_table('data_sharings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_data_sharings_purpose_fr_length'), type_='check')
        batch_op.drop_column('purpose_fr')
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organisation_settings_forum_length'), type_='check')
        batch_op.drop_column('forum')
        batch_op.drop_column('governing_law')
        batch_op.drop_column('uncapped_liability')
        batch_op.drop_column('ccpa_business')
