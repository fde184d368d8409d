"""Encryption at rest for the personal information VendorTrack keeps about vendors' contacts.

The privacy plan asks for encrypted data files. Each value is a Fernet token (AES-128-CBC and
HMAC-SHA256) under the keys of VENDORTRACK_ENCRYPTION_KEYS, newest first: MultiFernet encrypts
with the first and decrypts with any, so a new key can be put in front, the rows re-encrypted
(`flask --app vendortrack keys rotate`) and only then the old key dropped.

Tokens are random, so the database cannot compare them. A value that must be found by equality
(a contact's email) also gets a keyed hash, HMAC-SHA256 under VENDORTRACK_HMAC_KEY. That key is
separate from the encryption keys so that rotating them leaves every lookup working.
"""

import hashlib
import hmac
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Integer, Table, Text, TypeDecorator, bindparam, column, func, select
from sqlalchemy import table as lightweight_table
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators

from vendortrack.config import ConfigError, TestConfig

KEYS_VARIABLE = "VENDORTRACK_ENCRYPTION_KEYS"
HMAC_VARIABLE = "VENDORTRACK_HMAC_KEY"
# Development keeps its generated keys here, beside the generated secret key (never committed).
KEYS_FILE = "encryption_keys"
HMAC_FILE = "hmac_key"
MIN_HMAC_KEY_LENGTH = 32
# Commands that work where the app cannot start yet (production without keys refuses to).
GENERATE_KEY = (
    'generate one with  python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)
GENERATE_HMAC_KEY = 'generate one with  python -c "import secrets; print(secrets.token_hex(32))"'
# Comparisons that mean something on a random token: whether there is a value at all.
NULL_TESTS = frozenset({operators.is_, operators.is_not})
T = TypeVar("T")


class UnreadableData(RuntimeError):
    """A stored value that none of the configured keys decrypts."""


class Keyring:
    """The app's keys, newest first: encrypts with the newest, decrypts with any.

    It holds a MultiFernet rather than subclassing it: cryptography's MultiFernet became a
    compiled type that cannot be subclassed (51.0), and its public methods are all we need.
    """

    def __init__(self, fernets: list[Fernet]):
        self._keys = MultiFernet(fernets)
        self.newest = fernets[0]

    def encrypt(self, data: bytes) -> bytes:
        return self._keys.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        return self._keys.decrypt(token)

    def rotate(self, token: bytes) -> bytes:
        """The token re-encrypted with the newest key."""
        return self._keys.rotate(token)

    def is_current(self, token: bytes) -> bool:
        """Whether the token is already encrypted with the newest key."""
        try:
            self.newest.decrypt(token)
        except InvalidToken:
            return False
        return True


def register_encryption(app: Flask) -> None:
    """Load the encryption and lookup keys, or raise ConfigError saying what to set.

    app.config's ENCRYPTION_KEYS and HMAC_KEY come from the VENDORTRACK_ variables (or a
    test's overrides). Without them production refuses to start, tests use keys made once per
    process, and development generates keys once into instance/.
    """
    keys = app.config.get("ENCRYPTION_KEYS") or _fallback(app, KEYS_VARIABLE, KEYS_FILE)
    lookup = app.config.get("HMAC_KEY") or _fallback(app, HMAC_VARIABLE, HMAC_FILE)
    if app.config.get("ENV_NAME") == "production":
        _refuse_test_keys(keys, lookup)
    app.extensions["encryption"] = parse_keys(keys)
    app.extensions["lookup_key"] = parse_hmac_key(lookup)


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def new_hmac_key() -> str:
    return os.urandom(32).hex()


def parse_keys(text: str) -> Keyring:
    """The keyring of a comma-separated list of Fernet keys, newest first."""
    keys = [key.strip() for key in str(text).split(",") if key.strip()]  # in order
    if not keys:
        raise ConfigError(f"{KEYS_VARIABLE} holds no key; {GENERATE_KEY}.")
    fernets = []
    for number, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except ValueError:
            # The key itself is never repeated: start-up messages end up in logs.
            raise ConfigError(
                f"{KEYS_VARIABLE}: key number {number} of {len(keys)} is not a Fernet key "
                f"(44 characters of URL-safe base64); {GENERATE_KEY}. Separate keys with commas, "
                "newest first."
            ) from None
    return Keyring(fernets)


def parse_hmac_key(text: str) -> bytes:
    key = str(text).strip()
    if len(key) < MIN_HMAC_KEY_LENGTH:
        raise ConfigError(
            f"{HMAC_VARIABLE} has only {len(key)} characters; it needs at least "
            f"{MIN_HMAC_KEY_LENGTH} random ones: {GENERATE_HMAC_KEY}."
        )
    return key.encode("utf-8")


# What each missing setting is for, and how to make a value for it.
FALLBACKS = {
    KEYS_FILE: (new_key, f"the vendors' contacts are encrypted with them; {GENERATE_KEY}"),
    HMAC_FILE: (new_hmac_key, f"contacts are looked up with it; {GENERATE_HMAC_KEY}"),
}


def _fallback(app: Flask, variable: str, file_name: str) -> str:
    generate, purpose = FALLBACKS[file_name]
    if app.config.get("ENV_NAME") == "production":
        raise ConfigError(
            f"{variable} is not set. Production refuses to start without it: {purpose}."
        )
    if app.config.get("TESTING"):
        # Never written into the project's instance/; the same for every app of the process,
        # so that what one test app writes another can read.
        return _throwaway(file_name)
    return instance_key(Path(app.instance_path) / file_name, generate)


def _refuse_test_keys(keys: str, lookup: str) -> None:
    # The tests' fixed keys are in the repository: anybody could read data encrypted with them.
    published = " is the tests' key, which is published with VendorTrack's source"
    test_keys = _split(getattr(TestConfig, "ENCRYPTION_KEYS", ""))
    if test_keys & _split(keys):
        raise ConfigError(f"{KEYS_VARIABLE} holds a key that{published}; {GENERATE_KEY}.")
    test_lookup = getattr(TestConfig, "HMAC_KEY", None)
    if test_lookup and str(lookup).strip() == test_lookup:
        raise ConfigError(f"{HMAC_VARIABLE}{published}; {GENERATE_HMAC_KEY}.")


def _split(keys: str | None) -> set[str]:
    return {key.strip() for key in str(keys or "").split(",") if key.strip()}


@cache
def _throwaway(file_name: str) -> str:
    return FALLBACKS[file_name][0]()


def instance_key(path: Path, generate: Callable[[], str]) -> str:
    """Read a development key from instance/, generating it the first time (readable by its
    owner only).

    The file appears complete or not at all (written aside, then linked into place), and when
    two processes start at once (`serve --reload`) the second keeps the first one's key: a key
    replaced after data was encrypted with it would leave that data unreadable.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, aside = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        try:
            with os.fdopen(handle, "w") as file:
                file.write(generate())
            os.link(aside, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(aside)
    return path.read_text().strip()


def keyring() -> Keyring:
    return _loaded("encryption")


def _loaded(name: str):
    try:
        return current_app.extensions[name]
    except KeyError:
        raise RuntimeError("create_app must call register_encryption(app)") from None


def encrypt(value: str) -> str:
    return keyring().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return keyring().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):  # ValueError: not even a token (text stored in clear)
        raise UnreadableData(_UNREADABLE) from None


_UNREADABLE = (
    f"Encrypted data cannot be read with any key in {KEYS_VARIABLE}: the key it was written "
    "with is missing (dropped before `flask --app vendortrack keys rotate` had finished, or the "
    "keys of another installation). Put that key back at the end of the list."
)


def decrypt_or(token: str | None, unreadable: T) -> str | T | None:
    """The token's text (None for no token), or `unreadable` when no configured key opens it.

    For readers that must go on past one bad value (an export, a form): the column type raises
    instead, for the whole row. The same single decryption, so it costs nothing more per value.
    """
    if token is None:
        return None
    try:
        return decrypt(token)
    except UnreadableData:
        return unreadable


def lookup_hash(value: str | None, purpose: str) -> str | None:
    """The keyed hash that finds a value by equality; None for no value.

    Normalised as people type addresses (spaces around, any case). The purpose keeps the hashes
    of different fields apart.
    """
    if value is None or not value.strip():
        return None
    message = f"{purpose}\0{value.strip().lower()}".encode()
    return hmac.new(_loaded("lookup_key"), message, hashlib.sha256).hexdigest()


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token under the app's keys, read back as the text.

    Stored as TEXT whatever the text's own limit: a token is about 4/3 of the text plus 80
    characters. The forms keep their limits on the text. The database cannot compare tokens
    (each encryption of the same text differs), so only IS NULL and IS NOT NULL are allowed in
    queries; anything else would silently match nothing. Find values by their lookup_hash.
    """

    impl = Text
    cache_ok = True

    class comparator_factory(TypeDecorator.Comparator):
        def operate(self, op, *other, **kwargs):
            if op not in NULL_TESTS:
                raise TypeError(
                    f"{self.expr} is encrypted: the database cannot compare it; "
                    "look it up by its keyed hash (vendortrack.crypto.lookup_hash)."
                )
            return super().operate(op, *other, **kwargs)

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)


def encrypted_columns(tables) -> dict[str, list[str]]:
    """{table name: names of its EncryptedText columns} for the tables that have some."""
    found = {}
    for table in tables:
        names = [c.name for c in table.columns if isinstance(c.type, EncryptedText)]
        if names:
            found[table.name] = names
    return found


@dataclass
class RotationResult:
    rows: int = 0  # rows read
    rotated: int = 0  # rows re-encrypted with the newest key


def rotate_table(
    session: Session,
    table: Table,
    keys: Keyring,
    batch: int = 500,
    progress: Callable[[int], object] = lambda n: None,
) -> RotationResult:
    """Re-encrypt the table's encrypted columns with the newest key, a batch of rows per commit.

    Reads and writes the tokens as they are stored (no decryption into Python objects, no
    updated_at, no audit entry: nobody changed the contact). A row already under the newest key
    is left alone, so a second run writes nothing. Each row is written only if its tokens are
    still the ones read, so that an edit made meanwhile (already under the newest key) wins.
    """
    names = encrypted_columns([table])[table.name]
    raw = lightweight_table(table.name, column("id", Integer), *(column(n, Text) for n in names))
    result = RotationResult()
    for rows in _batches(session, raw, batch):
        changes = [change for row in rows if (change := _rotated_row(row, names, keys))]
        if changes:
            statement = raw.update().where(
                raw.c.id == bindparam("row_id"),
                *(raw.c[n].is_not_distinct_from(bindparam(f"old_{n}", type_=Text)) for n in names),
            )
            session.execute(
                statement.values({n: bindparam(f"new_{n}", type_=Text) for n in names}), changes
            )
        session.commit()
        result.rows += len(rows)
        result.rotated += len(changes)
        progress(len(rows))
    return result


def count_rows(session: Session, table: Table) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def _batches(session: Session, raw, batch: int) -> Iterator[list]:
    last_id = 0
    while True:
        query = select(raw).where(raw.c.id > last_id).order_by(raw.c.id).limit(batch)
        rows = session.execute(query).all()
        if not rows:
            return
        yield rows
        last_id = rows[-1].id


def _rotated_row(row, names: list[str], keys: Keyring) -> dict | None:
    """The row's old and new tokens for the UPDATE; None when all are under the newest key."""
    tokens = {n: getattr(row, n) for n in names}
    change, stale = {"row_id": row.id}, False
    for name, token in tokens.items():
        try:
            raw = None if token is None else token.encode("ascii")
            current = raw is None or keys.is_current(raw)
            new = token if current else keys.rotate(raw).decode("ascii")
        except (InvalidToken, ValueError):  # ValueError: not even a token
            raise UnreadableData(f"Row {row.id}, column {name}: {_UNREADABLE}") from None
        stale = stale or not current
        change[f"old_{name}"], change[f"new_{name}"] = token, new
    return change if stale else None
