"""Language and time zone of each request, and the template filters that format per language."""

from datetime import date, datetime
from functools import lru_cache

from babel import dates
from flask import current_app, g, has_request_context, request, session
from flask_babel import format_datetime, format_decimal, get_locale, get_timezone
from flask_login import current_user

from vendortrack.extensions import babel


def select_locale() -> str:
    """The page's own language if it has one (a questionnaire is in the language the vendor
    reads), else the signed-in user's preference, else the language picked on the sign-in page,
    else the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a command: no user, no session, no browser
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if g.get("page_language") in languages:
        return g.page_language
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(languages) or languages[0]


def current_language() -> str:
    return str(get_locale() or "en")


def format_day(value, fmt: str = "medium") -> str:
    """A date, or the day of a datetime in the user's time zone, in the user's language.

    Calls Babel directly: lists format two dates a row, and Flask-Babel's wrapper costs several
    times more per call than the formatting itself.
    """
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(get_timezone()).date()
    # The language asked each time: an email to someone else is formatted in theirs, inside
    # the request of a person who reads another (force_locale).
    return _formatted(value, fmt, current_language())


@lru_cache(maxsize=4096)  # a page of 50 vendors shows the same few dozen days again and again
def _formatted(day: date, fmt: str, locale: str) -> str:
    return dates.format_date(day, fmt, locale=locale)


def local_today() -> date:
    """Today where the user is: a review completed at 8 pm in Montréal is dated that day, not
    the next one, as the UTC date would have it."""
    return datetime.now(get_timezone()).date()


def register_i18n(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        date=format_day,
        datetime=lambda value, fmt="medium": format_datetime(value, fmt) if value else "",
        number=lambda value: format_decimal(value) if value is not None else "",
    )
    app.jinja_env.globals["current_language"] = current_language
