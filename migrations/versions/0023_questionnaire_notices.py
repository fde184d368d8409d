"""questionnaire notices

The mail owed about each questionnaire once sent (reminders to the vendor's contact before and
after its due date, word to our people when it is submitted or late), one row per notice, whose
key makes each go once.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08 02:19:01.062466

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('questionnaire_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('recipient', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claim_token', sa.String(length=32), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['mail_messages.id'], name=op.f('fk_questionnaire_notices_message_id_mail_messages')),
    sa.ForeignKeyConstraint(['request_id'], ['questionnaire_requests.id'], name=op.f('fk_questionnaire_notices_request_id_questionnaire_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_notices')),
    sa.UniqueConstraint('request_id', 'kind', 'due_on', 'recipient', name=op.f('uq_questionnaire_notices_request_id_kind_due_on_recipient'))
    )
    with op.batch_alter_table('questionnaire_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_notices_request_id'), ['request_id'], unique=False)
        batch_op.create_index('ix_questionnaire_notices_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)



def downgrade():
    with op.batch_alter_table('questionnaire_notices', schema=None) as batch_op:
        batch_op.drop_index('ix_questionnaire_notices_status_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_questionnaire_notices_request_id'))

    op.drop_table('questionnaire_notices')
