"""Security headers on every response, and templates that need no inline script or style."""

import re
from pathlib import Path

import pytest

from tests.helpers import build_url
from vendortrack import create_app
from vendortrack.accounts.models import Role

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.mark.parametrize("path", ["/login", "/vendors/", "/static/vendortrack.css", "/nowhere"])
def test_every_response_carries_the_security_headers(signed_in, path):
    response = signed_in(Role.MANAGER).get(path)
    response.close()  # a static file is streamed from disk
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # not outside production


def test_production_asks_browsers_to_keep_to_https(production_env):
    app = create_app()
    response = app.test_client().get("/static/vendortrack.css")
    response.close()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_page_template_holds_inline_script_or_style():
    """The policy forbids them, so a page that had one would break in the browser."""
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        if template.parent.name == "emails":  # mail, not pages: its HTML is served sandboxed
            continue
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)", text) or re.search(r"\sstyle=|<style", text):
            offenders.append(str(template.relative_to(TEMPLATES)))
        if re.search(r"\son[a-z]+=", text) or "javascript:" in text:
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


# --- Caching: pages and downloads with personal information stay out of every cache ----------

# Downloads the walk below must reach with a real file, so that a view's own weaker header
# (send_file's "no-cache") is seen being replaced.
DOWNLOADS = {
    "vendors.export",
    "vendors.export_xlsx",
    "audit.export",
    "evidence.pack",
    "addenda.download",
    "addenda.signed_copy",
    "reviews.evidence",
    "reminders.html",
}
# Responses that keep a policy of their own: static files hold nothing personal, and the
# calendar feed is read by calendar programs that poll it (tests/feeds checks its header).
OWN_POLICY = {"static", "feeds.feed"}


def get_routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" in rule.methods and rule.endpoint not in OWN_POLICY:
            yield rule


def test_no_page_or_download_a_signed_in_user_opens_may_be_stored(
    app, signed_in, url_values, settings
):
    client = signed_in(Role.ADMIN)  # an administrator may open every page
    # In one context: url_values reads its vendor's sharings after another factory's commit.
    with app.app_context():
        values = url_values()
    seen, stored = set(), []
    for rule in get_routes(app):
        url = build_url(app, rule, values)
        response = client.get(url)
        response.close()
        if response.status_code == 200:
            seen.add(rule.endpoint)
        if "no-store" not in response.headers.get("Cache-Control", ""):
            stored.append(
                f"{url} ({response.status_code}): {response.headers.get('Cache-Control')}"
            )
    assert stored == []
    assert seen >= DOWNLOADS, f"downloads the walk did not fetch: {sorted(DOWNLOADS - seen)}"
    assert {"vendors.detail", "vendors.edit", "audit.index", "accounts.users"} <= seen


@pytest.mark.parametrize("path", ["/nowhere", "/setup", "/login", "/vendors/?page=x"])
def test_error_and_public_pages_are_not_stored_either(signed_in, client, path):
    # A signed-in user's error page still shows their name in the menu; public pages carry
    # a form token. Neither is worth keeping in a cache.
    for someone in (signed_in(Role.OWNER), client):
        response = someone.get(path)
        assert "no-store" in response.headers.get("Cache-Control", ""), (path, response.status_code)


def test_form_answers_to_a_post_are_not_stored(signed_in):
    response = signed_in(Role.MANAGER).post("/vendors/new", data={"name": "Acme"})
    assert response.status_code == 200  # the form again, with its errors and what was typed
    assert response.headers.get("Cache-Control") == "no-store"


def test_static_files_keep_their_own_policy(signed_in):
    # They hold nothing personal, and browsers revalidate them (ETag) rather than fetch again.
    # The calendar feed keeps its own too: tests/feeds/test_views.py checks it.
    static = signed_in(Role.ADMIN).get("/static/vendortrack.css")
    static.close()
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")
