"""The secret link that opens one questionnaire: its token is made here, handed to the mail,
and forgotten; the database keeps only the token's SHA-256, and finds the questionnaire by it.

A token is 32 random bytes (256 bits), written in 43 URL-safe characters: guessing one is out
of reach, so the hash needs no key and no slow function, and looking it up by an index leaks
nothing worth timing.
"""

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import select

from vendortrack.extensions import db
from vendortrack.questionnaires.models import QuestionnaireRequest

TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> tuple[str, str]:
    """(token, its hash): the token for the mail, the hash for the database."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_for(token: str, now: datetime, lock: bool = False) -> QuestionnaireRequest | None:
    """The questionnaire this token opens now; None for a token that is malformed, unknown,
    replaced by a newer link, revoked or expired, which the caller cannot tell apart.

    `lock`: for a request that writes, hold the row until the commit, so that a double click
    on Save, or a save racing a submission, runs one after the other (on PostgreSQL; SQLite
    runs every write alone already).
    """
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    query = select(QuestionnaireRequest).where(QuestionnaireRequest.token_hash == token_hash(token))
    if lock:
        query = query.with_for_update()
    request = db.session.scalars(query).one_or_none()
    return request if request is not None and request.open_by_link(now) else None
