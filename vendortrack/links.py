"""Absolute links for what leaves the web request: mail and calendar feeds."""

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app

Link = Callable[..., str]


def link_builder(base_url: str) -> Link:
    """url_for on the configured base URL, outside any request and whatever host a request came
    to: a reminder read at home must link to the server the organisation published."""
    parts = urlsplit(base_url)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return lambda endpoint, **values: adapter.build(endpoint, values, force_external=True)
