"""Security headers on every response: what the browser may load, run and frame, and keep."""

from flask import Flask, request

# Pages load scripts, styles and images from VendorTrack alone, and no inline script or style:
# the templates have none, so injected markup cannot run either.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    # Addresses may carry secrets (a calendar feed's token): other sites never see them.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
# Pages and downloads show personal information (decrypted contacts, the audit trail, exports):
# neither the browser nor a proxy may keep a copy, which the next person at a shared computer
# could open from the history or the cache. Every response, not only a signed-in user's:
# telling them apart would mean reading the session (or the database, which an error page must
# not need), and a public page (the sign-in form, with its token) gains nothing from a cache.
NO_STORE = "no-store"
# Endpoints that set their own policy: static files hold nothing personal, and the calendar
# feed is polled by calendar programs, with no session (feeds.views.FEED_CACHE).
OWN_CACHE_POLICY = frozenset({"static", "feeds.feed"})
# Production is served over HTTPS only (README): browsers are told to keep to it for a year.
STRICT_TRANSPORT = "max-age=31536000; includeSubDomains"


def register_security_headers(app: Flask) -> None:
    production = app.config["ENV_NAME"] == "production"

    @app.after_request
    def add_headers(response):
        # setdefault: a view with a stricter policy of its own (a mail's HTML, sandboxed) keeps it.
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if production:
            response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT)
        if request.endpoint not in OWN_CACHE_POLICY or "Cache-Control" not in response.headers:
            # Replaces a download's weaker "no-cache" (send_file's), which lets it be stored.
            response.headers["Cache-Control"] = NO_STORE
        return response
