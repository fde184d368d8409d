"""encrypted contacts

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 06:00:00.000000

The vendors' contacts (name, email, phone) become Fernet tokens under the app's keys
(VENDORTRACK_ENCRYPTION_KEYS): the columns widen to TEXT, since a token is longer than its text,
and the existing values are encrypted in place, a batch of rows at a time. contact_email_hmac
(a keyed hash under VENDORTRACK_HMAC_KEY) finds a vendor by its contact's email. The audit trail
kept these values in clear: they become "(encrypted)", as the recorder now writes them.
Downgrade decrypts the contacts (the audit trail's stay redacted: the clear values are gone).
"""
import hashlib
import hmac

from alembic import op
import sqlalchemy as sa
from cryptography.fernet import InvalidToken
from flask import current_app


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

CONTACTS = {'contact_name': 120, 'contact_email': 254, 'contact_phone': 40}
BATCH = 500
ENCRYPTED = '(encrypted)'
# The purpose that vendortrack.register.models.contact_email_hmac (then vendors.models) gives vendortrack.crypto's
# lookup_hash. Both are repeated here rather than imported: this migration must keep working
# whatever later becomes of the app's code (tests/vendors/test_encryption.py checks they agree).
EMAIL_LOOKUP = 'contact_email'

vendors = sa.table(
    'vendors',
    sa.column('id', sa.Integer),
    *(sa.column(name, sa.Text) for name in CONTACTS),
    sa.column('contact_email_hmac', sa.String),
)
audit_entries = sa.table(
    'audit_entries',
    sa.column('id', sa.Integer),
    sa.column('entity', sa.String),
    sa.column('changes', sa.JSON),
)


def upgrade():
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        for name, length in CONTACTS.items():
            batch_op.alter_column(
                name, existing_type=sa.String(length=length), type_=sa.Text(),
                existing_nullable=True,
            )
        batch_op.add_column(sa.Column('contact_email_hmac', sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_vendors_contact_email_hmac'), ['contact_email_hmac'], unique=False
        )
    keys = current_app.extensions['encryption']
    for rows in _batches():
        changes = [
            {
                'row_id': row.id,
                'hmac': _contact_email_hmac(row.contact_email),
                **{f'new_{n}': _apply(keys.encrypt, row.id, getattr(row, n)) for n in CONTACTS},
            }
            for row in rows
        ]
        _update(changes, with_hmac=True)
    _redact_audit_trail()


def downgrade():
    keys = current_app.extensions['encryption']
    for rows in _batches():
        changes = [
            {
                'row_id': row.id,
                **{f'new_{n}': _apply(keys.decrypt, row.id, getattr(row, n)) for n in CONTACTS},
            }
            for row in rows
        ]
        _update(changes, with_hmac=False)
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendors_contact_email_hmac'))
        batch_op.drop_column('contact_email_hmac')
        for name, length in CONTACTS.items():
            batch_op.alter_column(
                name, existing_type=sa.Text(), type_=sa.String(length=length),
                existing_nullable=True,
            )


def _contact_email_hmac(email):
    """HMAC-SHA256 of the email as people type it (spaces around, any case), under the app's
    lookup key (configuration, VENDORTRACK_HMAC_KEY, as bytes); None for no email."""
    if email is None or not email.strip():
        return None
    message = f'{EMAIL_LOOKUP}\0{email.strip().lower()}'.encode()
    return hmac.new(current_app.extensions['lookup_key'], message, hashlib.sha256).hexdigest()


def _apply(function, row_id, text):
    if text is None:
        return None
    try:
        return function(text.encode('utf-8')).decode('utf-8')
    except InvalidToken:
        raise RuntimeError(
            f'Vendor {row_id}: its contact cannot be decrypted with any key in '
            'VENDORTRACK_ENCRYPTION_KEYS; set the keys it was encrypted with.'
        ) from None


def _batches():
    """The vendors with a contact, a batch at a time (memory stays flat)."""
    bind, last_id = op.get_bind(), 0
    while True:
        rows = bind.execute(
            sa.select(vendors.c.id, *(vendors.c[n] for n in CONTACTS))
            .where(vendors.c.id > last_id, sa.or_(*(vendors.c[n].is_not(None) for n in CONTACTS)))
            .order_by(vendors.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        yield rows
        last_id = rows[-1].id


def _update(changes, with_hmac):
    values = {n: sa.bindparam(f'new_{n}') for n in CONTACTS}
    if with_hmac:
        values['contact_email_hmac'] = sa.bindparam('hmac')
    statement = vendors.update().where(vendors.c.id == sa.bindparam('row_id')).values(values)
    op.get_bind().execute(statement, changes)


def _redact_audit_trail():
    """Replace the contacts' values in the vendors' entries by "(encrypted)"."""
    bind, last_id = op.get_bind(), 0
    statement = (
        audit_entries.update()
        .where(audit_entries.c.id == sa.bindparam('row_id'))
        .values(changes=sa.bindparam('redacted', type_=sa.JSON))
    )
    while True:
        rows = bind.execute(
            sa.select(audit_entries.c.id, audit_entries.c.changes)
            .where(audit_entries.c.entity == 'vendor', audit_entries.c.id > last_id)
            .order_by(audit_entries.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        redacted = [
            {'row_id': row.id, 'redacted': _redacted(row.changes)}
            for row in rows
            if any(name in row.changes for name in CONTACTS)
        ]
        if redacted:
            bind.execute(statement, redacted)
        last_id = rows[-1].id


def _redacted(changes):
    """{field: [before, after]} with the contacts' values replaced, their absence kept."""
    return {
        key: [None if v is None else ENCRYPTED for v in pair] if key in CONTACTS else pair
        for key, pair in changes.items()
    }
