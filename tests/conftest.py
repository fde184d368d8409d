"""The suite's fixtures are in tests/fixtures/, one module per concern, loaded here as indico
loads its own; what tests import is in tests/helpers.py."""

import subprocess

from tests.helpers import BROWSER

pytest_plugins = [
    "tests.fixtures.smtp",
    "tests.fixtures.databases",
    "tests.fixtures.app",
    "tests.fixtures.factories",
    "tests.fixtures.pages",
]


def pytest_addoption(parser):
    # make test-fast, the local loop, throws fewer random forms at each route than make test.
    parser.addoption(
        "--fuzz-examples",
        type=int,
        default=30,
        help="random submissions per fuzzed form (tests/test_fuzz.py); default 30",
    )


def pytest_report_header(config):
    # tests/fixtures/databases.py adds the database's line: importing a plugin before pytest
    # loads it stops the run (PytestAssertRewriteWarning, an error under filterwarnings).
    return f"browser journeys: {BROWSER}: {browser_version()}"


def browser_version() -> str:
    try:
        version = subprocess.run(
            [BROWSER, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.strip()
    except OSError:
        version = "not installed (make test installs it; or set VENDORTRACK_TEST_CHROMIUM)"
    return version
