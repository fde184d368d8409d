"""addenda and organisation settings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 02:00:41.746582

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('privacy_officer_name', sa.String(length=120), nullable=False),
    sa.Column('privacy_officer_title', sa.String(length=120), nullable=False),
    sa.Column('privacy_officer_email', sa.String(length=254), nullable=False),
    sa.Column('home_jurisdiction', sa.String(length=6), nullable=False),
    sa.Column('breach_notice_hours', sa.Integer(), nullable=False),
    sa.Column('access_forwarding_days', sa.Integer(), nullable=False),
    sa.Column('signatory_name', sa.String(length=120), nullable=False),
    sa.Column('signatory_title', sa.String(length=120), nullable=False),
    sa.Column('letterhead', sa.LargeBinary(), nullable=True),
    sa.Column('letterhead_filename', sa.String(length=255), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('access_forwarding_days BETWEEN 1 AND 29', name=op.f('ck_organisation_settings_access_days')),
    sa.CheckConstraint('breach_notice_hours BETWEEN 1 AND 720', name=op.f('ck_organisation_settings_breach_hours')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_organisation_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_settings'))
    )
    op.create_table('addenda',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=9), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('omissions', sa.JSON(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('generated_by_id', sa.Integer(), nullable=True),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('document', sa.LargeBinary(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('signed_filename', sa.String(length=255), nullable=True),
    sa.Column('signed_sha256', sa.String(length=64), nullable=True),
    sa.Column('signed_copy', sa.LargeBinary(), nullable=True),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('negotiated', sa.Boolean(), nullable=True),
    sa.Column('french_delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('english_chosen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['generated_by_id'], ['users.id'], name=op.f('fk_addenda_generated_by_id_users')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_addenda_vendor_id_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addenda'))
    )
    with op.batch_alter_table('addenda', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_addenda_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('addendum_clauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('addendum_id', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['addendum_id'], ['addenda.id'], name=op.f('fk_addendum_clauses_addendum_id_addenda'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addendum_clauses')),
    sa.UniqueConstraint('addendum_id', 'clause_id', name=op.f('uq_addendum_clauses_addendum_id_clause_id'))
    )
    with op.batch_alter_table('addendum_clauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_addendum_clauses_clause_id'), ['clause_id'], unique=False)



def downgrade():
    with op.batch_alter_table('addendum_clauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_addendum_clauses_clause_id'))

    op.drop_table('addendum_clauses')
    with op.batch_alter_table('addenda', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_addenda_vendor_id'))

    op.drop_table('addenda')
    op.drop_table('organisation_settings')
