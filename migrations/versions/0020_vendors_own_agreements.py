"""vendors' own agreements

The documents of each vendor's own agreement (its DPA, its SCCs, a security annex), kept byte
for byte; each check of them together, at the checker's version (the current one marked: the
one compliance counts); its finding on each topic with
the quote that decides it; and legal's decision on each finding (accepted, rejected or waived,
with the reason, who and when).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 22:01:18.034097

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agreement_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('documents_sha256', sa.String(length=64), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('checker_version', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('current', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_agreement_checks_checked_by_id_users')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_agreement_checks_vendor_id_vendors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_checks'))
    )
    with op.batch_alter_table('agreement_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_checks_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('agreement_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_agreement_documents_uploaded_by_id_users')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_agreement_documents_vendor_id_vendors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_documents')),
    sa.UniqueConstraint('vendor_id', 'sha256', name=op.f('uq_agreement_documents_vendor_id_sha256'))
    )
    with op.batch_alter_table('agreement_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_documents_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('agreement_findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('clause', sa.String(length=40), nullable=False),
    sa.Column('finding', sa.String(length=10), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.Column('where', sa.String(length=500), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('length(reason) <= 2000', name=op.f('ck_agreement_findings_reason_length')),
    sa.ForeignKeyConstraint(['check_id'], ['agreement_checks.id'], name=op.f('fk_agreement_findings_check_id_agreement_checks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_agreement_findings_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_findings')),
    sa.UniqueConstraint('check_id', 'clause', name=op.f('uq_agreement_findings_check_id_clause'))
    )
    with op.batch_alter_table('agreement_findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_findings_check_id'), ['check_id'], unique=False)



def downgrade():
    with op.batch_alter_table('agreement_findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_findings_check_id'))

    op.drop_table('agreement_findings')
    with op.batch_alter_table('agreement_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_documents_vendor_id'))

    op.drop_table('agreement_documents')
    with op.batch_alter_table('agreement_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_checks_vendor_id'))

    op.drop_table('agreement_checks')
