"""sub-processors and transfers

Each vendor's sub-processors, the list an addendum approves on signing, or the confirmation that
it engages none; how many days' notice a vendor gives before adding or replacing one, or a place
of processing; and what the EU's standard contractual clauses need from the organisation: whether it is itself a processor (Module Three), the Member State whose
law and courts govern the clauses, its representative in the Union, and whether they also carry
Swiss and UK transfers.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 19:30:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

# register.models.SUB_PROCESSOR_TEXT_LIMITS
LIMITS = {'name': 200, 'address': 1000, 'processing': 2000, 'processing_fr': 2000}


def upgrade():
    op.create_table(
        'sub_processors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vendor_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_key', sa.String(length=200), nullable=False),
        sa.Column('address', sa.Text(), nullable=True),
        sa.Column('processing', sa.Text(), nullable=False),
        sa.Column('processing_fr', sa.Text(), nullable=True),
        sa.Column('location', sa.String(length=6), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        *(
            sa.CheckConstraint(
                f'length({column}) <= {limit}', name=op.f(f'ck_sub_processors_{column}_length')
            )
            for column, limit in LIMITS.items()
        ),
        sa.ForeignKeyConstraint(
            ['vendor_id'], ['vendors.id'],
            name=op.f('fk_sub_processors_vendor_id_vendors'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sub_processors')),
        sa.UniqueConstraint(
            'vendor_id', 'name_key', name=op.f('uq_sub_processors_vendor_id_name_key')
        ),
    )
    op.create_index(
        op.f('ix_sub_processors_vendor_id'), 'sub_processors', ['vendor_id'], unique=False
    )
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('no_sub_processors', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'sub_processor_notice_days', sa.Integer(), server_default='30', nullable=False
            )
        )
        batch_op.add_column(
            sa.Column('acts_as_processor', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('eu_member_state', sa.String(length=2), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('eu_representative', sa.Text(), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('swiss_transfers', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('uk_transfers', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_check_constraint(
            op.f('ck_organisation_settings_sub_processor_notice'),
            'sub_processor_notice_days BETWEEN 1 AND 180',
        )
        batch_op.create_check_constraint(
            op.f('ck_organisation_settings_eu_representative_length'),
            'length(eu_representative) <= 1000',
        )


def downgrade():
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f('ck_organisation_settings_eu_representative_length'), type_='check'
        )
        batch_op.drop_constraint(
            op.f('ck_organisation_settings_sub_processor_notice'), type_='check'
        )
        for column in (
            'uk_transfers', 'swiss_transfers', 'eu_representative', 'eu_member_state',
            'acts_as_processor',
            'sub_processor_notice_days',
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.drop_column('no_sub_processors')
    op.drop_index(op.f('ix_sub_processors_vendor_id'), table_name='sub_processors')
    op.drop_table('sub_processors')
