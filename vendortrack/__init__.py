"""VendorTrack: which vendors hold our personal information, on what terms, under what control."""

from vendortrack.dependencies import require_installed

# Before the imports below: a missing or unsupported library is then named, not a traceback.
require_installed()

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from vendortrack.accounts.access import authorize_request, can
from vendortrack.accounts.cli import users_cli
from vendortrack.accounts.forms import ROLE_LABELS
from vendortrack.accounts.setup import require_first_admin
from vendortrack.accounts.views import bp as accounts_bp
from vendortrack.addenda.cli import addenda_cli
from vendortrack.addenda.labels import register_labels as register_addenda_labels
from vendortrack.addenda.library import load_library
from vendortrack.addenda.views import bp as addenda_bp
from vendortrack.audit.recorder import register_audit
from vendortrack.audit.views import bp as audit_bp
from vendortrack.backup_cli import backup_command, restore_command
from vendortrack.compliance.rules import STATUS_LABELS as COMPLIANCE_STATUS_LABELS
from vendortrack.config import (
    ConfigError,
    config_for,
    development_secret,
    env,
    production_problems,
    settings_from_environment,
)
from vendortrack.crypto import register_encryption
from vendortrack.crypto_cli import keys_cli
from vendortrack.dashboard.views import bp as dashboard_bp
from vendortrack.database import tune_connection
from vendortrack.demo.cli import demo_command
from vendortrack.demo.views import bp as demo_bp
from vendortrack.errors import register_error_handlers
from vendortrack.evidence.views import bp as evidence_bp
from vendortrack.extensions import csrf, db, login_manager, migrate
from vendortrack.feeds.views import bp as feeds_bp
from vendortrack.headers import register_security_headers
from vendortrack.i18n import register_i18n
from vendortrack.mail import mail_settings
from vendortrack.organisation.cli import settings_cli
from vendortrack.organisation.views import bp as organisation_bp
from vendortrack.reminders.cli import reminders_cli
from vendortrack.reminders.views import bp as reminders_bp
from vendortrack.reviews.cli import reviews_cli
from vendortrack.reviews.labels import register_labels as register_review_labels
from vendortrack.reviews.views import bp as reviews_bp
from vendortrack.scheduler import check_schedule, scheduler_command, serve_command
from vendortrack.vendors.cli import vendors_cli
from vendortrack.vendors.labels import register_labels
from vendortrack.vendors.views import bp as vendors_bp

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """A top-level folder of the project (templates, migrations) in a checkout, or the copy an
    installed wheel carries inside the package."""
    checkout = PACKAGE_DIR.parent / name
    return checkout if checkout.is_dir() else PACKAGE_DIR / name


def create_app(config_overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__, template_folder=str(resource_dir("templates")), instance_relative_config=True
    )
    try:
        configure(app, config_overrides or {})
        register_mail(app)
        register_proxies(app)
        register_encryption(app)
    except ConfigError as error:
        if app.config.get("TESTING"):
            raise
        # For the person starting the app: the message that says what to set, not a traceback.
        raise SystemExit(f"VendorTrack cannot start: {error}") from None
    register_extensions(app)
    register_audit(app)
    register_i18n(app)
    register_labels(app)
    register_addenda_labels(app)
    register_review_labels(app)
    register_clause_library(app)
    register_access_rules(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_commands(app)
    register_template_globals(app)
    return app


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
    check_schedule(app)


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


def register_clause_library(app: Flask) -> None:
    # Loaded once, at start-up: a broken clause file stops the app here, naming the file,
    # rather than on the day someone generates an addendum.
    folder = app.config.get("CLAUSES_DIR") or resource_dir("contract_clauses")
    app.extensions["clause_library"] = load_library(Path(folder))


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        event.listen(db.engine, "connect", tune_connection)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    csrf.init_app(app)
    login_manager.init_app(app)


def register_access_rules(app: Flask) -> None:
    # Order matters: an empty installation sends everyone to set-up before any rule is checked.
    app.before_request(require_first_admin)
    app.before_request(authorize_request)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(accounts_bp)
    app.register_blueprint(vendors_bp)
    app.register_blueprint(demo_bp)
    app.register_blueprint(addenda_bp)
    app.register_blueprint(organisation_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(evidence_bp)


def register_commands(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(vendors_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(addenda_cli)
    app.cli.add_command(reviews_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(keys_cli)
    app.cli.add_command(settings_cli)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can=can, ROLE_LABELS=ROLE_LABELS, COMPLIANCE_LABELS=COMPLIANCE_STATUS_LABELS
    )
