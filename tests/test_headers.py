"""Security headers on every response, and templates that need no inline script or style."""

import re
import secrets
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

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
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("VENDORTRACK_SECRET_KEY", secrets.token_hex(32))
    monkeypatch.setenv("VENDORTRACK_DATABASE_URL", f"sqlite:///{tmp_path}/p.db")
    monkeypatch.setenv("VENDORTRACK_BASE_URL", "https://vendortrack.example.org")
    monkeypatch.setenv("VENDORTRACK_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    monkeypatch.setenv("VENDORTRACK_HMAC_KEY", secrets.token_hex(32))
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
