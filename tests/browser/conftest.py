"""A real browser on a real server: VendorTrack served on a loopback port by a thread of the
test process, and Debian's Chromium driven by Playwright. Each journey's last page, and any page
a journey fails on, is saved as a screenshot in test-artifacts/."""

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.helpers import BROWSER, free_port
from vendortrack import create_app
from vendortrack.extensions import db

CHROMIUM = BROWSER
# As on this machine's closed network: nothing in the background tries to reach the internet.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: `make test` installs Debian's chromium where "
            "apt-get can run; elsewhere set VENDORTRACK_TEST_CHROMIUM to a Chromium binary."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live(new_database, smtp_server):
    """The app served on a loopback port, with no application context open: a test sets up its
    rows in contexts of their own (`with live.app_context():`), as the factories do."""
    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": new_database(),
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_server[1],
            "WTF_CSRF_ENABLED": True,  # the browser posts real forms, tokens included
        }
    )
    port = free_port()
    app.config["BASE_URL"] = f"http://127.0.0.1:{port}"
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    app.extensions["vendortrack_has_admin"] = True
    thread.start()
    app.url = app.config["BASE_URL"]
    yield app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_in_call = report.failed


@pytest.fixture
def page(request, browser):
    """A fresh browser page; its last sight saved as test-artifacts/<test>.png, and as
    <test>-failed.png when the journey fails."""
    context = browser.new_context(accept_downloads=True, locale="en-CA")
    tab = context.new_page()
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    failed = getattr(request.node, "failed_in_call", False)
    name = request.node.name + ("-failed" if failed else "")
    if not failed:  # a failure's picture from an earlier run no longer tells the truth
        (ARTIFACTS / f"{request.node.name}-failed.png").unlink(missing_ok=True)
    tab.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    context.close()
