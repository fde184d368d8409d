"""vendor register and users

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 00:52:36.968107

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('vendors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('subdivision', sa.String(length=6), nullable=True),
    sa.Column('services', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('criticality', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('contract_reference', sa.String(length=100), nullable=True),
    sa.Column('contract_start', sa.Date(), nullable=True),
    sa.Column('contract_end', sa.Date(), nullable=True),
    sa.Column('notice_period_days', sa.Integer(), nullable=True),
    sa.Column('auto_renewal', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('risk_tier', sa.Integer(), nullable=False),
    sa.Column('risk_override', sa.Integer(), nullable=True),
    sa.Column('risk_override_reason', sa.Text(), nullable=True),
    sa.Column('risk_override_by_id', sa.Integer(), nullable=True),
    sa.Column('risk_override_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start', name=op.f('ck_vendors_contract_dates')),
    sa.CheckConstraint('notice_period_days IS NULL OR notice_period_days >= 0', name=op.f('ck_vendors_notice')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_vendors_owner_id_users')),
    sa.ForeignKeyConstraint(['risk_override_by_id'], ['users.id'], name=op.f('fk_vendors_risk_override_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendors')),
    sa.UniqueConstraint('name_key', name=op.f('uq_vendors_name_key'))
    )
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendors_contract_end'), ['contract_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendors_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendors_criticality'), ['criticality'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendors_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendors_risk_tier'), ['risk_tier'], unique=False)
        batch_op.create_index('ix_vendors_status_contract_end', ['status', 'contract_end'], unique=False)
        batch_op.create_index('ix_vendors_status_name_key', ['status', 'name_key'], unique=False)
        batch_op.create_index('ix_vendors_status_risk_tier', ['status', 'risk_tier'], unique=False)

    op.create_table('data_sharings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('data_subjects', sa.JSON(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('subjects_in_quebec', sa.Boolean(), nullable=False),
    sa.Column('subjects_in_eu', sa.Boolean(), nullable=False),
    sa.Column('subjects_in_california', sa.Boolean(), nullable=False),
    sa.Column('consent_basis', sa.String(length=20), nullable=False),
    sa.Column('retention_months', sa.Integer(), nullable=True),
    sa.Column('retention_until_contract_end', sa.Boolean(), nullable=False),
    sa.Column('record_count', sa.Integer(), nullable=True),
    sa.Column('shared_since', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('record_count IS NULL OR record_count > 0', name=op.f('ck_data_sharings_record_count')),
    sa.CheckConstraint('retention_months IS NULL OR retention_months > 0', name=op.f('ck_data_sharings_retention_months')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_data_sharings_vendor_id_vendors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_sharings')),
    sa.UniqueConstraint('vendor_id', 'category', name=op.f('uq_data_sharings_vendor_id_category'))
    )
    with op.batch_alter_table('data_sharings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_sharings_category'), ['category'], unique=False)

    op.create_table('processing_locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('data_sharing_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['data_sharing_id'], ['data_sharings.id'], name=op.f('fk_processing_locations_data_sharing_id_data_sharings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processing_locations')),
    sa.UniqueConstraint('data_sharing_id', 'code', name=op.f('uq_processing_locations_data_sharing_id_code'))
    )
    with op.batch_alter_table('processing_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_processing_locations_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_processing_locations_data_sharing_id'), ['data_sharing_id'], unique=False)



def downgrade():
    with op.batch_alter_table('processing_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_processing_locations_data_sharing_id'))
        batch_op.drop_index(batch_op.f('ix_processing_locations_code'))

    op.drop_table('processing_locations')
    with op.batch_alter_table('data_sharings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_sharings_category'))

    op.drop_table('data_sharings')
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.drop_index('ix_vendors_status_risk_tier')
        batch_op.drop_index('ix_vendors_status_name_key')
        batch_op.drop_index('ix_vendors_status_contract_end')
        batch_op.drop_index(batch_op.f('ix_vendors_risk_tier'))
        batch_op.drop_index(batch_op.f('ix_vendors_owner_id'))
        batch_op.drop_index(batch_op.f('ix_vendors_criticality'))
        batch_op.drop_index(batch_op.f('ix_vendors_country'))
        batch_op.drop_index(batch_op.f('ix_vendors_contract_end'))

    op.drop_table('vendors')
    op.drop_table('users')
