"""reviews

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 02:15:32.343566

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('months_low', sa.Integer(), nullable=False),
    sa.Column('months_medium', sa.Integer(), nullable=False),
    sa.Column('months_high', sa.Integer(), nullable=False),
    sa.Column('months_critical', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_policy'))
    )
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('checklist', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['completed_by_id'], ['users.id'], name=op.f('fk_reviews_completed_by_id_users')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['reviews.id'], name=op.f('fk_reviews_superseded_by_id_reviews')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_reviews_vendor_id_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('evidence_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_evidence_files_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files'))
    )
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_files_review_id'), ['review_id'], unique=False)

    op.create_table('review_conditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('met_on', sa.Date(), nullable=True),
    sa.Column('met_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['met_by_id'], ['users.id'], name=op.f('fk_review_conditions_met_by_id_users')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_conditions_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_conditions'))
    )
    with op.batch_alter_table('review_conditions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_conditions_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_conditions_review_id'), ['review_id'], unique=False)

    op.create_table('review_triggers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_by_review_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_review_id'], ['reviews.id'], name=op.f('fk_review_triggers_answered_by_review_id_reviews')),
    sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_review_triggers_raised_by_id_users')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_review_triggers_vendor_id_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_triggers'))
    )
    with op.batch_alter_table('review_triggers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_triggers_vendor_id'), ['vendor_id'], unique=False)

    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_due_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_vendors_review_due_on'), ['review_due_on'], unique=False)



def downgrade():
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendors_review_due_on'))
        batch_op.drop_column('review_due_on')

    with op.batch_alter_table('review_triggers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_triggers_vendor_id'))

    op.drop_table('review_triggers')
    with op.batch_alter_table('review_conditions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_conditions_review_id'))
        batch_op.drop_index(batch_op.f('ix_review_conditions_due_on'))

    op.drop_table('review_conditions')
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_files_review_id'))

    op.drop_table('evidence_files')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_vendor_id'))

    op.drop_table('reviews')
    op.drop_table('review_policy')
