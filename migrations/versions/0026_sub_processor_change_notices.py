"""sub-processor change notices

A vendor's notice that it adds or drops a sub-processor: the day it came, the objection deadline
(the notice period of its addendum), what the sub-processor would do, where and with which
information, and legal's decision with its reason.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-08 02:51:57.343204

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sub_processor_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('objection_deadline', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('processing', sa.Text(), nullable=True),
    sa.Column('location', sa.String(length=6), nullable=True),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('notice', sa.Text(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('length(name) <= 200', name=op.f('ck_sub_processor_changes_name_length')),
    sa.CheckConstraint('length(notice) <= 2000', name=op.f('ck_sub_processor_changes_notice_length')),
    sa.CheckConstraint('length(processing) <= 2000', name=op.f('ck_sub_processor_changes_processing_length')),
    sa.CheckConstraint('length(reason) <= 2000', name=op.f('ck_sub_processor_changes_reason_length')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_sub_processor_changes_decided_by_id_users')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_sub_processor_changes_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_sub_processor_changes_vendor_id_vendors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sub_processor_changes'))
    )
    with op.batch_alter_table('sub_processor_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sub_processor_changes_objection_deadline'), ['objection_deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_sub_processor_changes_vendor_id'), ['vendor_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sub_processor_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sub_processor_changes_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_sub_processor_changes_objection_deadline'))

    op.drop_table('sub_processor_changes')
