"""Security headers on every response: what the browser may load, run and frame."""

from flask import Flask

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
        return response
