"""Production refuses to start on settings that would make it unsafe, and says what to set."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from vendortrack import create_app
from vendortrack.config import production_problems
from vendortrack.extensions import db

ROOT = Path(__file__).resolve().parents[1]
GENERATE = 'python -c "import secrets; print(secrets.token_hex(32))"'


def refusal(**overrides) -> str:
    """The message production stops with."""
    with pytest.raises(SystemExit) as stopped:
        create_app(overrides)
    message = str(stopped.value.code)
    assert message.startswith("VendorTrack cannot start: ")
    return message


def test_a_correct_production_configuration_starts_and_serves(production_env):
    app = create_app()
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SECRET_KEY"] == os.environ["VENDORTRACK_SECRET_KEY"]
    with app.app_context():
        db.create_all()
    assert app.test_client().get("/setup").status_code == 200  # an empty installation


def test_a_missing_secret_key_is_refused(production_env):
    production_env.delenv("VENDORTRACK_SECRET_KEY")
    message = refusal()
    assert "VENDORTRACK_SECRET_KEY is not set" in message
    assert GENERATE in message


@pytest.mark.parametrize(
    "key",
    [
        "test-secret-key",  # TestConfig's, which is in the repository
        "changeme",
        "secret",
        "dev",
        "Change-Me",
        "change-me-before-going-live-0123456789abcdef",  # long, but still the example
        "replace-with-a-real-secret-key-0123456789abcdef",
    ],
)
def test_a_placeholder_secret_key_is_refused(production_env, key):
    production_env.setenv("VENDORTRACK_SECRET_KEY", key)
    message = refusal()
    assert "VENDORTRACK_SECRET_KEY is a well-known placeholder" in message
    assert GENERATE in message


def test_a_short_secret_key_is_refused_without_showing_it(production_env):
    key = secrets.token_hex(15)  # 30 random characters
    production_env.setenv("VENDORTRACK_SECRET_KEY", key)
    message = refusal()
    assert "VENDORTRACK_SECRET_KEY has only 30 characters; it needs at least 32" in message
    assert GENERATE in message
    assert key not in message  # start-up messages end up in logs


def test_a_long_key_of_one_repeated_character_is_refused(production_env):
    production_env.setenv("VENDORTRACK_SECRET_KEY", "x" * 64)
    assert "VENDORTRACK_SECRET_KEY repeats a few characters" in refusal()


@pytest.mark.parametrize(
    "key",
    [secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_hex(16)],
    ids=["token_hex(32)", "token_urlsafe(32)", "token_hex(16)"],
)
def test_generated_secret_keys_are_accepted(key):
    config = {"SECRET_KEY": key, "DEBUG": False, "BASE_URL": "https://vendortrack.example.org"}
    assert production_problems(config) == []


def test_debug_mode_from_flask_debug_is_refused(production_env):
    production_env.setenv("FLASK_DEBUG", "1")
    message = refusal()
    assert "Debug mode is on (FLASK_DEBUG=1 or flask --debug)" in message
    assert "Unset FLASK_DEBUG and start without --debug." in message


def test_debug_mode_set_in_the_configuration_is_refused(production_env):
    assert "Debug mode is on" in refusal(DEBUG=True)


def test_the_default_http_base_url_is_refused(production_env):
    production_env.delenv("VENDORTRACK_BASE_URL")
    message = refusal()
    assert (
        "VENDORTRACK_BASE_URL is not set, so links in mail would lead to http://127.0.0.1:5000"
        in message
    )
    assert "set it to the https:// address people use to reach VendorTrack" in message


@pytest.mark.parametrize(
    "url", ["http://vendortrack.example.org", "vendortrack.example.org", "https://", "ftp://x.org"]
)
def test_a_base_url_that_is_not_https_is_refused(production_env, url):
    production_env.setenv("VENDORTRACK_BASE_URL", url)
    message = refusal()
    assert f"VENDORTRACK_BASE_URL={url!r} is not an https:// address" in message
    assert "set it to the https:// address people use to reach VendorTrack" in message


def test_every_problem_is_named_at_once(production_env):
    production_env.delenv("VENDORTRACK_SECRET_KEY")
    production_env.delenv("VENDORTRACK_BASE_URL")
    production_env.setenv("FLASK_DEBUG", "1")
    message = refusal()
    assert "VENDORTRACK_SECRET_KEY is not set" in message
    assert "Debug mode is on" in message
    assert "VENDORTRACK_BASE_URL is not set" in message


def test_the_session_cookie_is_held_to_the_host_prefix_rules(production_env):
    """__Host-: the browser keeps it only if Secure, for the whole site and this host alone, so
    neither a page over http:// nor a neighbouring subdomain can plant a session of its own."""
    app = create_app()
    with app.app_context():
        db.create_all()
    page = app.test_client().get("/setup", base_url="https://vendortrack.example.org")
    cookies = [c for c in page.headers.getlist("Set-Cookie") if c.startswith("__Host-")]
    assert len(cookies) == 1, page.headers.getlist("Set-Cookie")
    name, _, attributes = cookies[0].partition("; ")
    assert name.startswith("__Host-vendortrack=")
    attributes = {a.split("=")[0].lower(): a for a in attributes.split("; ")}
    assert "secure" in attributes
    assert attributes["path"] == "Path=/"
    assert "domain" not in attributes


def test_session_limits_come_from_the_environment(production_env):
    production_env.setenv("VENDORTRACK_SESSION_IDLE_MINUTES", "10")
    production_env.setenv("VENDORTRACK_SESSION_MAX_HOURS", " 8 ")
    app = create_app()
    assert (app.config["SESSION_IDLE_MINUTES"], app.config["SESSION_MAX_HOURS"]) == (10, 8)


def test_session_limits_default_to_half_an_hour_and_twelve_hours(production_env):
    app = create_app()
    assert (app.config["SESSION_IDLE_MINUTES"], app.config["SESSION_MAX_HOURS"]) == (30, 12)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SESSION_IDLE_MINUTES", "half an hour", "a number of minutes from 1 to 1440"),
        ("SESSION_IDLE_MINUTES", "0", "a number of minutes from 1 to 1440"),
        ("SESSION_IDLE_MINUTES", "2.5", "a number of minutes from 1 to 1440"),
        ("SESSION_MAX_HOURS", "-1", "a number of hours from 1 to 720"),
        ("SESSION_MAX_HOURS", "99999999999", "a number of hours from 1 to 720"),
    ],
)
def test_a_bad_session_limit_is_refused_naming_the_variable(
    production_env, variable, value, expected
):
    production_env.setenv(f"VENDORTRACK_{variable}", value)
    message = refusal()
    assert f"VENDORTRACK_{variable}={value!r} is not {expected}" in message


def test_a_bad_session_limit_stops_development_too(production_env):
    production_env.setenv("VENDORTRACK_ENV", "development")
    production_env.setenv("VENDORTRACK_SESSION_MAX_HOURS", "twelve")
    assert "VENDORTRACK_SESSION_MAX_HOURS='twelve' is not a number of hours" in refusal()


def test_development_keeps_its_conveniences(production_env, tmp_path):
    """The checks are for production only: a developer keeps debug mode and http://."""
    production_env.setenv("VENDORTRACK_ENV", "development")
    production_env.delenv("VENDORTRACK_BASE_URL")
    production_env.setenv("VENDORTRACK_SECRET_KEY", "dev")
    production_env.setenv("FLASK_DEBUG", "1")
    app = create_app()
    assert app.debug
    assert app.config["BASE_URL"] == "http://127.0.0.1:5000"


def flask_routes(environment: dict, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "vendortrack", *options, "routes"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def production_shell(production_env):
    """The environment of a correct production start-up, for a real process."""
    settings = {name: os.environ[name] for name in os.environ if name.startswith("VENDORTRACK_")}
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **settings}


@pytest.mark.slow  # the flask command in a process of its own
def test_the_command_line_starts_with_a_correct_production_configuration(production_shell):
    done = flask_routes(production_shell)
    assert done.returncode == 0, done.stderr
    assert "vendors.index" in done.stdout


@pytest.mark.slow  # the flask command in a process of its own
def test_the_command_line_refuses_an_unsafe_production_start_without_a_traceback(
    production_shell,
):
    del production_shell["VENDORTRACK_SECRET_KEY"]
    del production_shell["VENDORTRACK_BASE_URL"]
    done = flask_routes(production_shell, "--debug")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "VendorTrack cannot start: VENDORTRACK_SECRET_KEY is not set" in done.stderr
    assert "Debug mode is on" in done.stderr
    assert "VENDORTRACK_BASE_URL is not set" in done.stderr
    assert "vendors.index" not in done.stdout
