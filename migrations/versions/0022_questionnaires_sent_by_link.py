"""questionnaires sent by link

A questionnaire sent to a vendor's contact (the set as sent, the contact encrypted, only the
SHA-256 of the link's token), the vendor's answers and attached files; the requests to the link
pages, counted for their rate limits; and the audit trail's actor, for what the vendor does by
link rather than a user.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08 02:01:14.995489

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('link_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_hits'))
    )
    with op.batch_alter_table('link_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_hits_at'), ['at'], unique=False)
        batch_op.create_index('ix_link_hits_key_at', ['key', 'at'], unique=False)

    op.create_table('questionnaire_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.String(length=40), nullable=False),
    sa.Column('set_version', sa.Integer(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('contact_name', sa.Text(), nullable=True),
    sa.Column('contact_email', sa.Text(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('times_sent', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(message) <= 2000', name=op.f('ck_questionnaire_requests_message_length')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_questionnaire_requests_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_questionnaire_requests_sent_by_id_users')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_questionnaire_requests_vendor_id_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_requests')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_questionnaire_requests_token_hash'))
    )
    with op.batch_alter_table('questionnaire_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_requests_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_questionnaire_requests_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('questionnaire_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(comment) <= 5000', name=op.f('ck_questionnaire_answers_comment_length')),
    sa.ForeignKeyConstraint(['request_id'], ['questionnaire_requests.id'], name=op.f('fk_questionnaire_answers_request_id_questionnaire_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_answers')),
    sa.UniqueConstraint('request_id', 'question_id', name=op.f('uq_questionnaire_answers_request_id_question_id'))
    )
    op.create_table('questionnaire_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=40), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['questionnaire_requests.id'], name=op.f('fk_questionnaire_files_request_id_questionnaire_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_files'))
    )
    with op.batch_alter_table('questionnaire_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_files_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor', sa.String(length=20), nullable=True))



def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('actor')

    with op.batch_alter_table('questionnaire_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_files_request_id'))

    op.drop_table('questionnaire_files')
    op.drop_table('questionnaire_answers')
    with op.batch_alter_table('questionnaire_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_requests_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_questionnaire_requests_due_on'))

    op.drop_table('questionnaire_requests')
    with op.batch_alter_table('link_hits', schema=None) as batch_op:
        batch_op.drop_index('ix_link_hits_key_at')
        batch_op.drop_index(batch_op.f('ix_link_hits_at'))

    op.drop_table('link_hits')
