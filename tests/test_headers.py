"""Security headers on every response, and templates that need no inline script or style."""

import re
from pathlib import Path

import pytest

from vendortrack import create_app
from vendortrack.accounts.models import Role

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.mark.parametrize("path", ["/login", "/vendors/", "/static/vendortrack.css", "/nowhere"])
def test_every_response_carries_the_security_headers(signed_in, path):
    response = signed_in(Role.MANAGER).get(path)
    response.close()  # a static file is streamed from disk
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # not outside production


def test_production_asks_browsers_to_keep_to_https(tmp_path, monkeypatch):
    monkeypatch.setenv("VENDORTRACK_SECRET_KEY", "a-production-secret")
    monkeypatch.setenv("VENDORTRACK_DATABASE_URL", f"sqlite:///{tmp_path}/p.db")
    app = create_app({"ENV_NAME": "production"})
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
