"""Mail and schedule settings: a setting that cannot work stops the app and says what to write."""

import subprocess
import sys

import pytest

from vendortrack import create_app
from vendortrack.config import ConfigError


def make(**settings):
    return create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})


@pytest.mark.parametrize(
    ("settings", "names"),
    [
        ({"MAIL_PORT": "twenty-five"}, "VENDORTRACK_MAIL_PORT"),
        ({"MAIL_PORT": "70000"}, "VENDORTRACK_MAIL_PORT"),
        ({"MAIL_SERVER": "smtp://mail.example.org:587"}, "VENDORTRACK_MAIL_SERVER"),
        ({"MAIL_SERVER": "mail.example.org:587"}, "VENDORTRACK_MAIL_SERVER"),
        ({"MAIL_SERVER": "[::1]"}, "VENDORTRACK_MAIL_SERVER"),
        ({"MAIL_USE_TLS": "true", "MAIL_USE_SSL": "yes"}, "VENDORTRACK_MAIL_USE_TLS"),
        ({"MAIL_USE_TLS": "maybe"}, "VENDORTRACK_MAIL_USE_TLS"),
        ({"MAIL_USERNAME": "robot"}, "VENDORTRACK_MAIL_PASSWORD"),
        ({"MAIL_DEFAULT_SENDER": "VendorTrack"}, "VENDORTRACK_MAIL_DEFAULT_SENDER"),
        ({"REMINDER_TIME": "8am"}, "VENDORTRACK_REMINDER_TIME"),
        ({"REMINDER_TIME": "24:00"}, "VENDORTRACK_REMINDER_TIME"),
        ({"BABEL_DEFAULT_TIMEZONE": "Montreal"}, "VENDORTRACK_TIMEZONE"),
    ],
)
def test_a_setting_that_cannot_work_is_refused_by_name(settings, names):
    with pytest.raises(ConfigError, match=names):
        make(**settings)


def test_an_ipv6_address_is_a_host():
    assert make(MAIL_SERVER="::1").extensions["mail_settings"].server == "::1"


def test_good_settings_are_read_with_their_types():
    settings = make(
        MAIL_SERVER="smtp.example.org",
        MAIL_PORT="587",
        MAIL_USE_TLS="True",
        MAIL_USERNAME="robot",
        MAIL_PASSWORD="s3cret",
        MAIL_DEFAULT_SENDER="Privacy <privacy@example.org>",
    ).extensions["mail_settings"]
    assert (settings.server, settings.port, settings.use_tls, settings.use_ssl) == (
        "smtp.example.org",
        587,
        True,
        False,
    )
    assert settings.domain == "example.org"
    assert settings.transport == "smtp"


def test_without_a_server_mail_goes_to_files_with_a_usable_sender():
    settings = make(MAIL_SERVER=None, BASE_URL="https://vendors.example.org").extensions[
        "mail_settings"
    ]
    assert settings.transport == "file"
    assert settings.sender == "VendorTrack <vendortrack@vendors.example.org>"
    assert make(MAIL_USE_SSL="1").extensions["mail_settings"].port == 465


@pytest.mark.slow  # the flask command in a process of its own
def test_the_command_line_shows_the_problem_not_a_traceback(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "VENDORTRACK_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
        "VENDORTRACK_SECRET_KEY": "k",
        "VENDORTRACK_MAIL_USE_SSL": "sometimes",
    }
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "vendortrack", "reminders", "send-due"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "VENDORTRACK_MAIL_USE_SSL='sometimes' is not a yes or no" in done.stderr
