"""Configuration classes. Every setting can come from a VENDORTRACK_ environment variable."""

import os
import re
import secrets
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says which variable to set."""


# Settings read from the environment when the app is created (not at import, so tests and
# commands that set a variable first are obeyed): VENDORTRACK_<name> -> app.config[<key>].
ENVIRONMENT_SETTINGS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "BASE_URL": "BASE_URL",
    "TIMEZONE": "BABEL_DEFAULT_TIMEZONE",
    "HOME_COUNTRY": "HOME_COUNTRY",
    "REMINDER_TIME": "REMINDER_TIME",
    "PROXY_COUNT": "PROXY_COUNT",
    # How long a sign-in lasts (vendortrack.accounts.sessions); whole numbers, see NUMBERS.
    "SESSION_IDLE_MINUTES": "SESSION_IDLE_MINUTES",
    "SESSION_MAX_HOURS": "SESSION_MAX_HOURS",
    # Vendor contacts encrypted at rest (vendortrack.crypto, checked at start-up).
    "ENCRYPTION_KEYS": "ENCRYPTION_KEYS",
    "HMAC_KEY": "HMAC_KEY",
    # Mail, with the names Flask-Mail made familiar (checked by vendortrack.mail at start-up).
    "MAIL_SERVER": "MAIL_SERVER",
    "MAIL_PORT": "MAIL_PORT",
    "MAIL_USE_TLS": "MAIL_USE_TLS",
    "MAIL_USE_SSL": "MAIL_USE_SSL",
    "MAIL_USERNAME": "MAIL_USERNAME",
    "MAIL_PASSWORD": "MAIL_PASSWORD",
    "MAIL_DEFAULT_SENDER": "MAIL_DEFAULT_SENDER",
    # Upload limits (vendortrack.uploads); whole numbers, see NUMBERS.
    "UPLOAD_MAX_PART_MB": "UPLOAD_MAX_PART_MB",
    "UPLOAD_MAX_FILES": "UPLOAD_MAX_FILES",
    # How long a questionnaire's link opens by default (vendortrack.questionnaires).
    "QUESTIONNAIRE_LINK_DAYS": "QUESTIONNAIRE_LINK_DAYS",
}


# Settings that are a whole number of some unit: VENDORTRACK_<name> -> (unit, least, most).
# The bounds turn a slip (0, a missing unit, an extra digit) into a refusal to start, rather
# than limits that hold everything or nothing (sessions that end at once or never).
NUMBERS = {
    "SESSION_IDLE_MINUTES": ("minutes", 1, 24 * 60),
    "SESSION_MAX_HOURS": ("hours", 1, 30 * 24),
    # A part may not unpack to more than the whole file may (vendortrack.uploads).
    "UPLOAD_MAX_PART_MB": ("megabytes", 1, 50),
    "UPLOAD_MAX_FILES": ("files", 1, 100),
    "QUESTIONNAIRE_LINK_DAYS": ("days", 1, 90),
}


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"VENDORTRACK_{name}", default)


def settings_from_environment() -> dict[str, str | int]:
    settings: dict[str, str | int] = {}
    for name, key in ENVIRONMENT_SETTINGS.items():
        if value := env(name):
            settings[key] = number_setting(name, value) if name in NUMBERS else value
    return settings


def number_setting(name: str, value: str) -> int:
    """The whole number VENDORTRACK_<name> holds, or a ConfigError naming the variable."""
    unit, least, most = NUMBERS[name]
    text = value.strip()
    if not (text.isascii() and text.isdigit() and least <= int(text) <= most):
        raise ConfigError(
            f"VENDORTRACK_{name}={value!r} is not a number of {unit} from {least} to {most}."
        )
    return int(text)


def development_secret(instance_path: str) -> str:
    """Read the development secret key from instance/, creating it the first time.

    Generated once so that sessions survive restarts, and never committed (instance/ is ignored).
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    ENV_NAME = "development"
    SQLALCHEMY_DATABASE_URI = None  # SQLite in instance/ unless VENDORTRACK_DATABASE_URL says
    SECRET_KEY = None
    BASE_URL = "http://127.0.0.1:5000"
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "America/Toronto"
    LANGUAGES = ("en", "fr")
    # The country our own organisation is in: processing anywhere else counts as cross-border.
    HOME_COUNTRY = "CA"
    # The daily reminder run, local time in BABEL_DEFAULT_TIMEZONE (VENDORTRACK_TIMEZONE).
    REMINDER_TIME = "08:00"
    # No server: each message is written to instance/outbox/ as an .eml file.
    MAIL_SERVER = None
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto headers are trusted
    # (the audit trail records the client's address); 0 when browsers connect directly.
    PROXY_COUNT = 0
    VENDORS_PER_PAGE = 50
    PASSWORD_HASH_METHOD = "scrypt"
    # Sign-in throttling: this many failures within the window stop further attempts for that
    # email (or from that address, higher because an office may share one) until the window
    # holds fewer; counted in the database, so every worker sees the same counts.
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_FAILURE_WINDOW_MINUTES = 15
    # The questionnaire link pages, open without signing in: requests per window for one link,
    # for one address, and links that open nothing for one address (guessing). A vendor filling
    # in a long questionnaire saves a few dozen times an hour.
    LINK_MAX_REQUESTS_PER_TOKEN = 120
    LINK_MAX_REQUESTS_PER_ADDRESS = 300
    LINK_MAX_MISSES_PER_ADDRESS = 10
    LINK_WINDOW_MINUTES = 10
    # Days a questionnaire link opens for, unless its sender says otherwise.
    QUESTIONNAIRE_LINK_DAYS = 30
    # A signed-in session ends after this many minutes without a request, and this many hours
    # after signing in however busy (VENDORTRACK_SESSION_IDLE_MINUTES, _MAX_HOURS): a browser
    # left open, or a copied cookie, does not stay signed in for ever.
    SESSION_IDLE_MINUTES = 30
    SESSION_MAX_HOURS = 12
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    # What one part of an uploaded Word file may unpack to (VENDORTRACK_UPLOAD_MAX_PART_MB),
    # and how many files one request may bring (VENDORTRACK_UPLOAD_MAX_FILES): a 100 kB .docx
    # can unpack to gigabytes, and a review takes several evidence files at once.
    UPLOAD_MAX_PART_MB = 5
    UPLOAD_MAX_FILES = 10
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # The token lasts as long as the session that holds it: the session's limits bound it.
    WTF_CSRF_TIME_LIMIT = None


class DevelopmentConfig(Config):
    pass


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    BASE_URL = "http://vendortrack.test"
    # scrypt is slow on purpose; the suite signs in hundreds of times.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # Published, so production refuses them (vendortrack.crypto).
    ENCRYPTION_KEYS = "dmVuZG9ydHJhY2stdGVzdHMtb25seS1ub3QtYS1rZXk="  # base64 of a phrase
    HMAC_KEY = "vendortrack-tests-only-not-a-secret-lookup-key"


class ProductionConfig(Config):
    ENV_NAME = "production"
    # Browsers keep a __Host- cookie only if it is Secure, for the whole site (Path=/) and for
    # this host alone (no Domain): neither a page over http:// nor a neighbouring subdomain can
    # then plant a session cookie of its own (session fixation).
    SESSION_COOKIE_NAME = "__Host-vendortrack"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_PATH = "/"  # whatever APPLICATION_ROOT says, which Flask would use
    SESSION_COOKIE_DOMAIN = None


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_for(name: str | None) -> type[Config]:
    name = (name or "development").lower()
    if name not in CONFIGS:
        raise ConfigError(
            f"VENDORTRACK_ENV={name!r} is not known; use one of {', '.join(sorted(CONFIGS))}."
        )
    return CONFIGS[name]


GENERATE_SECRET = 'generate one with  python -c "import secrets; print(secrets.token_hex(32))"'
# token_hex(32) gives 64 characters; 32 is the least that still holds 128 bits of hex.
MIN_SECRET_LENGTH = 32
# Fewer distinct characters than this in a long key means it was typed, not generated
# ("xxxx...", "0000..."). A random hex key of 32 characters falls below it about once in 10^7.
MIN_SECRET_VARIETY = 8
# Keys copied from examples, tutorials and our own test settings, compared lowercase and without
# punctuation: anybody who can read them can forge a session cookie.
PLACEHOLDER_SECRETS = frozenset(
    {
        "testsecretkey",
        "changeme",
        "secret",
        "secretkey",
        "dev",
        "development",
        "default",
        "password",
        "test",
        "key",
        "flask",
        "vendortrack",
        "production",
        "productionsecret",
    }
)
# Words that give away a long placeholder ("change-me-in-production-please-0123456789").
PLACEHOLDER_WORDS = (
    "changeme",
    "changethis",
    "replaceme",
    "placeholder",
    "example",
    "insecure",
    "secretkey",
    "yoursecret",
    "notsecret",
    "donotuse",
)


def production_problems(config: Mapping) -> list[str]:
    """What stops this configuration from serving real users, one sentence per setting."""
    problems = [
        secret_key_problem(config.get("SECRET_KEY")),
        debug_problem(config.get("DEBUG")),
        base_url_problem(config.get("BASE_URL")),
    ]
    return [problem for problem in problems if problem]


def secret_key_problem(key: str | None) -> str | None:
    """Why this key cannot sign production sessions, or None. Never repeats the key itself."""
    if not key:
        return (
            "VENDORTRACK_SECRET_KEY is not set. Production refuses to start without a secret "
            f"key: {GENERATE_SECRET}"
        )
    plain = "".join(c for c in str(key).lower() if c.isalnum())
    if plain in PLACEHOLDER_SECRETS or any(word in plain for word in PLACEHOLDER_WORDS):
        return (
            "VENDORTRACK_SECRET_KEY is a well-known placeholder, so anybody could forge a "
            f"session: {GENERATE_SECRET}"
        )
    if len(key) < MIN_SECRET_LENGTH:
        return (
            f"VENDORTRACK_SECRET_KEY has only {len(key)} characters; it needs at least "
            f"{MIN_SECRET_LENGTH} random ones: {GENERATE_SECRET}"
        )
    if len(set(key)) < MIN_SECRET_VARIETY:
        return (
            "VENDORTRACK_SECRET_KEY repeats a few characters, so it is easy to guess: "
            f"{GENERATE_SECRET}"
        )
    return None


def debug_problem(debug: object) -> str | None:
    """Why debug mode must be off, or None."""
    if not debug:
        return None
    # Flask reads FLASK_DEBUG (which `flask --debug` also sets) when the app is made.
    return (
        "Debug mode is on (FLASK_DEBUG=1 or flask --debug): an error can then show code, "
        "settings and a console to whoever caused it. Unset FLASK_DEBUG and start without --debug."
    )


def base_url_problem(url: str | None) -> str | None:
    """Why links built on this address would be unsafe, or None."""
    parts = urlsplit(url or "")
    if parts.scheme == "https" and parts.hostname:
        return None
    fix = (
        "set it to the https:// address people use to reach VendorTrack, "
        "e.g. https://vendortrack.example.org"
    )
    if url == Config.BASE_URL:
        return f"VENDORTRACK_BASE_URL is not set, so links in mail would lead to {url}: {fix}."
    # Secure cookies never travel over http://, and links in mail would send people there.
    return f"VENDORTRACK_BASE_URL={url!r} is not an https:// address: {fix}."


def reminder_time(config) -> time:
    """The daily run's local time from REMINDER_TIME ("08:00"); ConfigError if it is not one."""
    value = str(config.get("REMINDER_TIME") or "")
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ConfigError(
            f"VENDORTRACK_REMINDER_TIME={value!r} is not a time of day: write hours and minutes "
            "on the 24-hour clock, such as 08:00 or 17:30."
        )
    return time(int(match[1]), int(match[2]))


def check_schedule(app) -> None:
    """Refuse to start with a reminder time or time zone that cannot work."""
    reminder_time(app.config)
    try:
        ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    except (KeyError, ValueError) as error:
        raise ConfigError(
            f"VENDORTRACK_TIMEZONE={app.config['BABEL_DEFAULT_TIMEZONE']!r} is not a time zone "
            "name: write one such as America/Toronto or Europe/Paris."
        ) from error
