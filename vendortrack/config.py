"""Configuration classes. Every setting can come from a VENDORTRACK_ environment variable."""

import os
import secrets
from pathlib import Path


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
    # Mail, with the names Flask-Mail made familiar (checked by vendortrack.mail at start-up).
    "MAIL_SERVER": "MAIL_SERVER",
    "MAIL_PORT": "MAIL_PORT",
    "MAIL_USE_TLS": "MAIL_USE_TLS",
    "MAIL_USE_SSL": "MAIL_USE_SSL",
    "MAIL_USERNAME": "MAIL_USERNAME",
    "MAIL_PASSWORD": "MAIL_PASSWORD",
    "MAIL_DEFAULT_SENDER": "MAIL_DEFAULT_SENDER",
}


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"VENDORTRACK_{name}", default)


def settings_from_environment() -> dict[str, str]:
    return {key: env(name) for name, key in ENVIRONMENT_SETTINGS.items() if env(name)}


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
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = (
        None  # a form left open all afternoon still submits; the session bounds it
    )


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


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True


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
