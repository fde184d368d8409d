"""vendor documents

The vendor's assurance documents (SOC 2 report, ISO/IEC 27001 certificate, insurance
certificate, penetration-test summary, its DPA and transfer clauses) with the period they cover
and the last day they are good for; and the kinds each risk tier requires (none until an
administrator ticks them).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-08 02:36:19.891369

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('required_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('risk_tier', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_required_documents')),
    sa.UniqueConstraint('risk_tier', 'kind', name=op.f('uq_required_documents_risk_tier_kind'))
    )
    op.create_table('vendor_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=True),
    sa.Column('covers_from', sa.Date(), nullable=True),
    sa.Column('covers_to', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('questionnaire_file_id', sa.Integer(), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_vendor_documents_added_by_id_users')),
    sa.ForeignKeyConstraint(['questionnaire_file_id'], ['questionnaire_files.id'], name=op.f('fk_vendor_documents_questionnaire_file_id_questionnaire_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_vendor_documents_vendor_id_vendors')),
    sa.CheckConstraint('length(issuer) <= 200', name=op.f('ck_vendor_documents_issuer_length')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_documents'))
    )
    with op.batch_alter_table('vendor_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_documents_expires_on'), ['expires_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_documents_vendor_id'), ['vendor_id'], unique=False)



def downgrade():
    with op.batch_alter_table('vendor_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_documents_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_vendor_documents_expires_on'))

    op.drop_table('vendor_documents')
    op.drop_table('required_documents')
