"""Creating and changing user accounts. Functions flush; the caller commits."""

from datetime import datetime
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash

from vendortrack.accounts.models import Role, User, hash_password, normalise_email
from vendortrack.extensions import db

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A change to accounts that cannot be made; the message is for the user, next to `field`."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


def password_problem(password: str, email: str | None = None):
    """The reason a password is refused, or None if it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    if email and password.strip().lower() == normalise_email(email):
        return _l("Do not use your email address as your password.")
    if len(set(password)) < 4:
        return _l("This password is too easy to guess.")
    return None


def check_email(email: str) -> None:
    try:
        validate_email(email, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise AccountError(_l("Enter a valid email address."), field="email") from error


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def has_admin() -> bool:
    """Whether an active administrator who can sign in exists."""
    query = select(User.id).where(
        User.role == Role.ADMIN, User.active, User.password_hash.is_not(None)
    )
    return db.session.scalar(query.limit(1)) is not None


def create_user(
    email: str, name: str, role: Role, language: str = "en", password: str | None = None
) -> User:
    """Add a user; a duplicate email is refused whatever its case."""
    check_email(email)
    if find_user_by_email(email):
        raise AccountError(_l("A user with this email address already exists."), field="email")
    user = User(email=email, name=name.strip(), role=Role(role), language=language)
    if password is not None:
        problem = password_problem(password, email)
        if problem:
            raise AccountError(problem, field="password")
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, **changes) -> User:
    """Change a user's details; the last active administrator cannot be demoted or deactivated."""
    email = changes.get("email")
    if email and normalise_email(email) != user.email:
        check_email(email)
        other = find_user_by_email(email)
        if other is not None and other.id != user.id:
            raise AccountError(_l("A user with this email address already exists."), field="email")
    losing_role = changes.get("role", user.role) != Role.ADMIN
    losing_admin = (
        user.role == Role.ADMIN and user.active and (losing_role or changes.get("active") is False)
    )
    if losing_admin and active_admin_count() <= 1:
        raise AccountError(
            _l("At least one active administrator must remain."),
            field="role" if losing_role else "active",
        )
    deactivated = user.active and changes.get("active") is False
    for field, value in changes.items():
        setattr(user, field, value)
    db.session.flush()
    if deactivated:  # not only refused while inactive: gone, should the account come back
        end_sessions(user)
    return user


def active_admin_count() -> int:
    query = select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)
    return db.session.scalar(query)


@cache
def _unused_hash(method: str) -> str:
    return hash_password("no account has this password")


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None.

    A password hash is checked even when no account has this email, so that the time taken does
    not tell which addresses have an account.
    """
    user = find_user_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_unused_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


# Bookkeeping on the user's row goes through plain UPDATEs, which neither check nor move its
# version (vendortrack.versioned): a sign-in or sign-out must not fail because an administrator
# saved the same user at that moment, nor refuse the administrator's save. Neither value is in
# the audit trail (last_login_at is the application's own; the counter says nothing).


def record_login(user: User, now: datetime) -> None:
    db.session.execute(update(User).where(User.id == user.id).values(last_login_at=now))


def end_sessions(user: User) -> None:
    """End every session of the user, in every browser: their keys no longer match."""
    counter = User.session_counter + 1
    db.session.execute(update(User).where(User.id == user.id).values(session_counter=counter))
