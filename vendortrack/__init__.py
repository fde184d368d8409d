"""VendorTrack: which vendors hold our personal information, on what terms, under what control."""

from vendortrack.dependencies import require_installed

# Before the imports below: a missing or unsupported library is then named, not a traceback.
require_installed()

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from vendortrack.config import (
    ConfigError,
    check_schedule,
    config_for,
    development_secret,
    env,
    production_problems,
    settings_from_environment,
)
from vendortrack.crypto import register_encryption
from vendortrack.database import tune_connection
from vendortrack.errors import register_error_handlers
from vendortrack.extensions import csrf, db, login_manager, migrate
from vendortrack.headers import register_security_headers
from vendortrack.i18n import register_i18n
from vendortrack.mail import mail_settings
from vendortrack.resources import resource_dir


def create_app(config_overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__, template_folder=str(resource_dir("templates")), instance_relative_config=True
    )
    load_settings(app, config_overrides or {})
    register_extensions(app)
    register_i18n(app)
    register_features(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_commands(app)
    return app


def load_settings(app: Flask, overrides: dict) -> None:
    """Read and check every setting; a wrong one stops the app with the variable's name."""
    try:
        configure(app, overrides)
        register_mail(app)
        # Checked at start-up too: a reminder time that cannot work is found now, not on the
        # morning the first reminder should have gone out.
        check_schedule(app)
        register_proxies(app)
        register_encryption(app)
    except ConfigError as error:
        if app.config.get("TESTING"):
            raise
        # For the person starting the app: the message that says what to set, not a traceback.
        raise SystemExit(f"VendorTrack cannot start: {error}") from None


def configure(app: Flask, overrides: dict) -> None:
    app.config.from_object(config_for(overrides.get("ENV_NAME") or env("ENV")))
    if app.config["ENV_NAME"] != "test":  # tests must never reach a database set for real use
        app.config.update(settings_from_environment())
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        db_file = Path(app.instance_path) / "vendortrack.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_file}"
    if app.config["ENV_NAME"] == "production":
        # All at once, so that whoever deploys fixes every setting in one go.
        if problems := production_problems(app.config):
            raise ConfigError("\n".join(problems))
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = development_secret(app.instance_path)


def register_mail(app: Flask) -> None:
    # Checked at start-up: a mistyped port or sender stops the app with the variable's name,
    # rather than on the morning the first reminder should have gone out.
    app.extensions["mail_settings"] = mail_settings(app.config, app.instance_path)


def register_proxies(app: Flask) -> None:
    # Behind a reverse proxy every request comes from the proxy; trusting exactly as many
    # proxies as there are lets the audit trail record the person's own address, and no more
    # (a client could otherwise write its own X-Forwarded-For).
    value = str(app.config.get("PROXY_COUNT") or 0).strip()
    if not value.isdigit():
        raise ConfigError(
            f"VENDORTRACK_PROXY_COUNT={value!r} is not a number: write how many reverse proxies "
            "stand in front of VendorTrack (0 when there is none)."
        )
    if count := int(value):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        event.listen(db.engine, "connect", tune_connection)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    csrf.init_app(app)
    login_manager.init_app(app)


def register_features(app: Flask) -> None:
    """Each feature registers its pages, commands, labels and hooks (its init_app)."""
    # Imported here, not at the top: importing one module of VendorTrack (a model, a pure
    # helper such as feeds/ical.py) must not load every feature.
    from vendortrack import (
        accounts,
        addenda,
        assurance,
        audit,
        compliance,
        contracts,
        dashboard,
        demo,
        evidence,
        feeds,
        organisation,
        questionnaires,
        reminders,
        reviews,
        trail,
        vendors,
    )

    # The trail first, so that it records whatever the others write; accounts next, as its
    # access rules must run before any other feature's request hooks. The rest in the order
    # their pages were registered before init_app existed (URL rules do not overlap).
    for feature in (trail, accounts, vendors, demo, addenda, organisation, reviews, reminders):
        feature.init_app(app)
    for feature in (feeds, audit, dashboard, evidence, compliance, contracts, questionnaires):
        feature.init_app(app)
    assurance.init_app(app)


def register_commands(app: Flask) -> None:
    """The commands that belong to no feature: running, backups and keys."""
    from vendortrack.backup_cli import backup_command, restore_command
    from vendortrack.crypto_cli import keys_cli
    from vendortrack.scheduler import scheduler_command, serve_command

    for command in (scheduler_command, serve_command, backup_command, restore_command, keys_cli):
        app.cli.add_command(command)
