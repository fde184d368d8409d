"""Plain error pages in the user's language: never a stack trace.

A database that is busy, unreachable or full has a page of its own (503, 507). That page is
rendered without asking the database anything more: it has just failed, and asking again would
fail the page too (or wait out another connection timeout).
"""

from contextlib import nullcontext

from flask import current_app, g, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from vendortrack.crypto import KEYS_VARIABLE, UnreadableData
from vendortrack.extensions import db

MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("You do not have permission to open this page."),
    404: _l("This page does not exist, or what it showed has been removed."),
    405: _l("This address does not accept that kind of request."),
    413: _l("The file is too large to upload."),
    500: _l("Something went wrong on our side. Nothing was saved; please try again."),
}
TITLES = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("File too large"),
    500: _l("Server error"),
}

BUSY, FULL = "busy or unreachable", "full"
# Kept apart from MESSAGES: another 503 (a proxy's, a maintenance page) is not the database's.
DATABASE_PAGES = {
    BUSY: (
        503,
        _l("Database unavailable"),
        _l("The database is busy or unreachable; nothing was saved; try again in a moment."),
    ),
    FULL: (
        507,
        _l("Storage full"),
        _l(
            "The server ran out of storage space; nothing was saved. "
            "Please tell your administrator."
        ),
    ),
}
# Stored data that no configured key decrypts: a setting to put right, not a bug. The pages and
# exports that show contacts cope with it (vendortrack.register.contacts); this is for the rest.
UNREADABLE_PAGE = (
    _l("Contact details cannot be read"),
    _l(
        "Some stored contact details cannot be decrypted with the configured keys. An "
        "administrator must check %(variable)s: the key that encrypted them must be in the list.",
        variable=KEYS_VARIABLE,
    ),
)
# The name every route gives a secret token in its address (vendortrack.questionnaires, feeds).
TOKEN_ARGUMENT = "token"  # noqa: S105 - the name of an argument, not a secret
# A lock or a restarting server usually clears within seconds.
RETRY_AFTER_SECONDS = 10

# SQLite's primary result codes (the low byte of an extended one such as SQLITE_BUSY_SNAPSHOT).
SQLITE_FULL = 13
SQLITE_UNAVAILABLE = frozenset({5, 6, 10, 14, 15})  # BUSY LOCKED IOERR CANTOPEN PROTOCOL
# PostgreSQL's SQLSTATEs: disk_full; then too_many_connections, lock_not_available,
# query_canceled (a statement timeout), serialization_failure, deadlock_detected; then the
# classes of a lost connection (08) and of a server shutting down or starting (57P).
POSTGRES_FULL = frozenset({"53100"})
POSTGRES_UNAVAILABLE = frozenset({"53300", "55P03", "57014", "40001", "40P01"})
POSTGRES_UNAVAILABLE_CLASSES = ("08", "57P")


def database_trouble(error: Exception) -> str | None:  # noqa: PLR0911 - one return a case
    """BUSY when the database is locked, busy or out of reach, FULL when it has no room left,
    None for any other failure (a mistake of ours, a broken constraint: a server error)."""
    if isinstance(error, PoolTimeoutError):  # every pooled connection stayed in use
        return BUSY
    if not isinstance(error, DBAPIError):
        return None
    if error.connection_invalidated:  # the connection broke under the request
        return BUSY
    if not isinstance(error, OperationalError):
        return None
    code = getattr(error.orig, "sqlite_errorcode", None)
    if code is not None:
        code &= 0xFF
        return FULL if code == SQLITE_FULL else BUSY if code in SQLITE_UNAVAILABLE else None
    state = getattr(error.orig, "sqlstate", None)
    if state is None:  # the driver could not connect or talk: no server answered with a state
        return BUSY
    if state in POSTGRES_FULL:
        return FULL
    if state in POSTGRES_UNAVAILABLE or state.startswith(POSTGRES_UNAVAILABLE_CLASSES):
        return BUSY
    return None


def render_error(code: int, message=None, title=None):
    # A status without its own words (409, 429 ...) keeps its code and borrows its family's text.
    words = code if code in MESSAGES else (400 if 400 <= code < 500 else 500)
    title, message = title or TITLES[words], message or MESSAGES[words]
    language = _known_language()
    try:
        # Whatever the failed request left unsaved is dropped, and the page can still read
        # the database (for the signed-in user's name) even after a failed write.
        db.session.rollback()
        body = render_template("errors/error.html", code=code, title=title, message=message)
    except SQLAlchemyError as error:
        # The database failed while the page asked it for the signed-in user.
        current_app.logger.error("error page %s without the database: %s", code, _first(error))
        body = render_without_database(code, title, message, language)
    return body, code


def render_without_database(code: int, title, message, language: str | None) -> str:
    """The error page as a visitor who is not signed in sees it (the menu needs the user's
    record), in the language already known of the signed-in user, else the browser's."""
    # Flask-Login has no public way to make one request anonymous without signing the user out
    # (logout_user would end the session over a database hiccup); this private method does it,
    # and pyproject.toml bounds Flask-Login below 0.7.
    current_app.login_manager._update_request_context_with_user()  # anonymous, this request only
    with force_locale(language) if language else nullcontext():
        return render_template("errors/error.html", code=code, title=title, message=message)


def _known_language() -> str | None:
    """The signed-in user's language if this request has already read it, without a query."""
    user = g.get("_login_user")  # where Flask-Login (<0.7) keeps the user once loaded
    state = inspect(user, raiseerr=False) if user is not None else None
    return state.dict.get("language") if state is not None else None


def _first(error: Exception) -> str:
    # SQLAlchemy adds the statement and its parameters on the next lines: names, emails, files.
    # The driver's own message first: through an autoflush SQLAlchemy's first line is only
    # "raised as a result of Query-invoked autoflush".
    cause = getattr(error, "orig", None) or error
    return str(cause).splitlines()[0] if str(cause) else type(cause).__name__


def handle_database_error(error: SQLAlchemyError):
    trouble = database_trouble(error)
    if trouble is None:
        return handle_unexpected(error)
    code, title, message = DATABASE_PAGES[trouble]
    # One line, no trace: the cause lies outside the code, and a busy database under load
    # would fill the log with identical traces.
    current_app.logger.error(
        "%s %s: the database is %s: %s", request.method, logged_path(), trouble, _first(error)
    )
    language = _known_language()  # before the rollback forgets what the request read
    _discard_unsaved()
    body = render_without_database(code, title, message, language)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if code == 503 else {}
    return body, code, headers


def _discard_unsaved() -> None:
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.close()  # the connection is gone: the pool drops it, the session starts over


def handle_http_error(error: HTTPException):
    # A database failure after the view (saving what the page recorded as viewed) reaches us
    # as a 500 wrapping it: it deserves the database's page all the same.
    original = getattr(error, "original_exception", None)
    if original is not None and database_trouble(original):
        return handle_database_error(original)
    body, code = render_error(error.code or 500)
    # Keep the headers the error carries, such as Allow on a 405.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return body, code, headers


CSRF_MESSAGE = _l(
    "The form expired or was sent from elsewhere. Please reload the page and try again."
)


def handle_csrf_error(error: CSRFError):
    return render_error(400, CSRF_MESSAGE)


def handle_unreadable_data(error: UnreadableData):
    # With the trace: the pages that show contacts read them safely, so the trace names the code
    # that did not. The address's ids (a vendor's) say which row, as far as anyone knows here.
    where = ", ".join(f"{k}={v}" for k, v in _ids().items())
    current_app.logger.error(
        "%s %s%s: stored data cannot be decrypted: %s",
        request.method,
        logged_path(),
        f" ({where})" if where else "",
        error,
        exc_info=error,
    )
    title, message = UNREADABLE_PAGE
    return render_error(500, message, title)


# A write that met a record someone else saved at the very same moment (its version moved). The
# edit forms show what changed (vendortrack.versioned); any other write gets this page.
CHANGED_MEANWHILE = (
    _l("Changed at the same moment"),
    _l(
        "Someone else saved the same record at the same moment, so nothing was saved. Open the "
        "page again to see their change, then try again."
    ),
)


def handle_changed_meanwhile(error: StaleDataError):
    current_app.logger.info("%s %s: %s", request.method, logged_path(), error)
    title, message = CHANGED_MEANWHILE
    return render_error(409, message, title)  # render_error rolls the session back


def logged_path() -> str:
    """The request's path as the log says it: a link's token (a questionnaire's, a calendar
    feed's) is a secret, which the log must not keep."""
    token = (request.view_args or {}).get(TOKEN_ARGUMENT)
    return request.path.replace(token, "[token]") if token else request.path


def _ids() -> dict:
    return {k: v for k, v in (request.view_args or {}).items() if k != TOKEN_ARGUMENT}


def handle_unexpected(error: Exception):
    # Logged with its trace for us; the user sees only the plain page.
    current_app.logger.exception("unhandled error", exc_info=error)
    return render_error(500)


def register_error_handlers(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_http_error)
    # Database failures that are no mistake of ours: locked, unreachable, full. Any other
    # (a broken constraint, a bug) goes on to the plain server error.
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(PoolTimeoutError, handle_database_error)
    app.register_error_handler(UnreadableData, handle_unreadable_data)
    app.register_error_handler(StaleDataError, handle_changed_meanwhile)
    app.register_error_handler(Exception, handle_unexpected)
