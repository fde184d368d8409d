"""Plain error pages in the user's language: never a stack trace."""

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

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


def render_error(code: int, message=None):
    # A status without its own words (409, 429 ...) keeps its code and borrows its family's text.
    words = code if code in MESSAGES else (400 if 400 <= code < 500 else 500)
    # Whatever the failed request left unsaved is dropped, and the page can still read the
    # database (for the signed-in user's name) even after a failed write.
    db.session.rollback()
    body = render_template(
        "errors/error.html", code=code, title=TITLES[words], message=message or MESSAGES[words]
    )
    return body, code


def handle_http_error(error: HTTPException):
    body, code = render_error(error.code or 500)
    # Keep the headers the error carries, such as Allow on a 405.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return body, code, headers


def handle_csrf_error(error: CSRFError):
    return render_error(
        400,
        _l("The form expired or was sent from elsewhere. Please reload the page and try again."),
    )


def handle_unexpected(error: Exception):
    # Logged with its trace for us; the user sees only the plain page.
    current_app.logger.exception("unhandled error", exc_info=error)
    return render_error(500)


def register_error_handlers(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
