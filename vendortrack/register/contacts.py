"""Reading vendors' contacts when some of them may not decrypt.

Contacts are encrypted at rest (vendortrack.crypto). A value that none of the configured keys
opens (the key was lost, or this worker was not restarted when a new key was put in front) makes
the column type raise as the row loads, and the three contact columns load together: one bad
value would stop a whole page, import or export. These functions read the stored tokens as text
instead and decrypt each one apart, so that only the bad value is lost: it is loaded as empty and
named, and the caller says so.
"""

from collections.abc import Iterable, Sequence

from flask import current_app
from sqlalchemy import Text, select, type_coerce
from sqlalchemy.orm import attributes
from sqlalchemy.sql.elements import Label

from vendortrack.crypto import KEYS_VARIABLE, decrypt_or
from vendortrack.extensions import db
from vendortrack.register.models import Vendor

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
LOGGED_IDS = 20  # vendor ids named in one log line; the rest are counted
_UNREADABLE = object()


def contact_tokens() -> list[Label]:
    """The contact columns as stored, to add to a query: the column type does not decrypt them."""
    return [
        type_coerce(getattr(Vendor, name), Text).label(f"{name}_token") for name in CONTACT_FIELDS
    ]


def decrypt_contacts(tokens: Sequence[str | None], unreadable: object) -> dict:
    """{contact field: its text, None, or `unreadable` when no configured key opens it}."""
    return {
        name: decrypt_or(token, unreadable)
        for name, token in zip(CONTACT_FIELDS, tokens, strict=True)
    }


def set_contacts(vendor: Vendor, tokens: Sequence[str | None]) -> frozenset[str]:
    """Load the decrypted tokens into the vendor as read from the database (not as changes);
    return the names of the fields no key opens, which are loaded as None.

    As None, an unreadable value is what save_vendor compares with: a value typed or imported
    replaces it, while an empty one leaves the stored token alone (it may open again once the
    right key is back, and nobody typed anything to put in its place).
    """
    values = decrypt_contacts(tokens, _UNREADABLE)
    pending = attributes.instance_state(vendor).committed_state  # changes not yet flushed
    for name, value in values.items():
        if name not in pending:
            attributes.set_committed_value(vendor, name, None if value is _UNREADABLE else value)
    return frozenset(name for name, value in values.items() if value is _UNREADABLE)


def load_contacts(vendor: Vendor) -> frozenset[str]:
    """Load the contact of a vendor read without it, in one query, as set_contacts does.

    Nothing to do for a vendor not yet saved or whose contact is already loaded (the empty set).
    """
    state = attributes.instance_state(vendor)
    if not state.has_identity or not state.unloaded.intersection(CONTACT_FIELDS):
        return frozenset()
    tokens = db.session.execute(select(*contact_tokens()).where(Vendor.id == vendor.id)).one()
    unreadable = set_contacts(vendor, tokens)
    if unreadable:
        warn_unreadable([vendor.id])
    return unreadable


def readable_contact(vendor, name: str) -> str | None:
    """One contact field of the vendor; None when there is none or no configured key opens it."""
    if isinstance(vendor, Vendor):
        load_contacts(vendor)
    return getattr(vendor, name)


def warn_unreadable(vendor_ids: Iterable[int]) -> None:
    """Log, in one line, that these vendors' contacts are not readable, and what to do."""
    ids = list(vendor_ids)
    shown = ", ".join(str(i) for i in ids[:LOGGED_IDS])
    more = f" and {len(ids) - LOGGED_IDS} more" if len(ids) > LOGGED_IDS else ""
    current_app.logger.warning(
        "vendors rows %s%s: contact details cannot be decrypted with the keys in %s; they are "
        "treated as empty until typed again. The key that encrypted them must be in the list.",
        shown,
        more,
        KEYS_VARIABLE,
    )
