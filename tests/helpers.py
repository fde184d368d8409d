"""Helpers shared by tests of several features."""

import re
from html import unescape
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """The values a browser would send from each form of the page that posts: its text boxes,
    hidden fields, ticked boxes, chosen options and text areas, as the page fills them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self.values: dict[str, list[str]] = {}
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.inside, self.values = True, {}
            self.forms.append(self.values)
        name = a.get("name")
        if not self.inside or (tag != "option" and not name):
            return
        if tag == "input" and a.get("type", "text") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.values.setdefault(name, []).append(a.get("value", "on"))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.values.setdefault(self.select, []).append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = name
            self.values[name] = [""]

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.values[self.textarea][0] = self.values[self.textarea][0].removeprefix("\n")
            self.textarea = None


def form_in(html: str) -> dict[str, list[str]]:
    """The page's main form (the one with the most fields, not the menu's sign-out button) as
    the page fills it: what a browser would send back unchanged."""
    reader = _FormReader()
    reader.feed(html)
    return max(reader.forms, key=len)


def form_on(client, url: str) -> dict[str, list[str]]:
    """The main form of the page at `url`, as form_in reads it."""
    page = client.get(url)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    return form_in(page.text)


def stale_notice(html: str) -> str:
    """The text of the notice of a save refused because someone else saved first ("" if none)."""
    if 'id="stale"' not in html:
        return ""
    notice = html.split('id="stale"', 1)[1].split(">", 1)[1].split("</div>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(notice)).split())
