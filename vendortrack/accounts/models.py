"""People who use VendorTrack and the role each one has."""

import enum
import hashlib
from datetime import datetime
from typing import ClassVar

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column, validates
from werkzeug.security import check_password_hash, generate_password_hash

from vendortrack.database import NamedEnum, UTCDateTime, length_checks, utcnow
from vendortrack.extensions import db
from vendortrack.trail.recorder import track


class Role(enum.StrEnum):
    ADMIN = "admin"
    LEGAL = "legal"
    MANAGER = "manager"
    OWNER = "owner"


# The most characters a person may write in each text field: the account forms read these, and
# CHECK constraints hold the database to them.
USER_TEXT_LIMITS = {"name": 120, "email": 254}


@track("user")
class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: addresses are matched case-insensitively, and this column's unique
    # constraint is the one rule that enforces it.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(NamedEnum(Role))
    language: Mapped[str] = mapped_column(String(2), default="en")
    # None until a password is set: demo owners cannot sign in until an admin gives them one.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of every session's key: adding one ends all of this user's sessions on the server,
    # which a signed cookie alone cannot do (a copy taken before signing out would still work).
    session_counter: Mapped[int] = mapped_column(default=0)
    # The private calendar feed's secret, stored as its SHA-256 so that a copy of the database
    # does not open anyone's feed; None when the user has no feed (or revoked it).
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # As Vendor.version: the user form and the account page carry it. Signing in moves it too,
    # which a save from either form compares field by field rather than refusing (VersionedForm).
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__: ClassVar = {"version_id_col": version}
    __table_args__ = length_checks(USER_TEXT_LIMITS)

    @validates("email")
    def normalise_email(self, key, value: str) -> str:
        return normalise_email(value)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The session names the user, the password it was opened with and the session counter:
        # a new password (changed, or reset by an administrator) or signing out ends every
        # session opened before.
        return f"{self.id}.{self.session_key}"

    @property
    def session_key(self) -> str:
        # session_counter is None until a new row is saved, and then 0: the same key.
        opened_with = f"{self.session_counter or 0}.{self.password_hash or ''}"
        return hashlib.sha256(opened_with.encode()).hexdigest()[:16]

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginFailure(db.Model):
    """One failed sign-in, kept only as long as it counts towards a throttle (see throttling.py).

    Not audited, and shown nowhere: these rows exist to slow down password guessing.
    """

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_account_key_failed_at", "account_key", "failed_at"),
        Index("ix_login_failures_address_failed_at", "address", "failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A keyed hash of the normalised address typed, not the address: a copy of this table does
    # not list who tried to sign in, or with which mistyped or guessed addresses.
    account_key: Mapped[str] = mapped_column(String(64))
    # The client's address as the app sees it (after VENDORTRACK_PROXY_COUNT); None when the
    # server was not told one.
    address: Mapped[str | None] = mapped_column(String(64))
    # Indexed alone too: pruning deletes by age across every key.
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def normalise_email(value: str) -> str:
    return value.strip().lower()


def hash_password(password: str) -> str:
    """Hash a password with the configured method (Werkzeug's scrypt; cheaper only in tests)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
