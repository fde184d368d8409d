"""The whole interface exists in French: every string is in the catalogue, translated, and pages
rendered for a French user carry none of the English ones."""

import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from vendortrack.accounts.models import Role

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "vendortrack" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
METHODS = [("vendortrack/**.py", "python"), ("templates/**.html", "jinja2")]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def french_catalogue():
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="fr")


def first(message_id) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def source_strings() -> set[tuple[str | None, str]]:
    """(context, English) of every string the code and templates mark for translation."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_pgettext": ((1, "c"), 2)}
    found = extract_from_dir(str(ROOT), METHODS, keywords=keywords)
    return {(context, first(msg)) for _f, _n, msg, _c, context in found}


def test_every_interface_string_is_in_the_french_catalogue():
    catalogue = {(m.context, first(m.id)) for m in french_catalogue() if m.id}
    missing = sorted(source_strings() - catalogue, key=str)
    assert not missing, (
        f"run `make messages` and translate (CONTRIBUTING.md, 'Adding a translation'): {missing}"
    )


def test_every_catalogue_entry_is_translated_with_the_same_placeholders():
    for message in french_catalogue():
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"untranslated: {ids[0]!r}"
        assert "fuzzy" not in message.flags, f"fuzzy: {ids[0]!r}"
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(ids[-1])), ids[0]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def english_leftovers(text: str) -> list[str]:
    """Catalogue strings whose English appears in the text although French differs."""
    leftovers = []
    for message in french_catalogue():
        if not message.id or not isinstance(message.id, str):
            continue
        english = PLACEHOLDER.split(message.id)[0].strip()
        # Short words ("Low", "Edit") also occur inside French sentences; whole phrases do not.
        if len(english) >= 12 and english != message.string and english in text:
            leftovers.append(english)
    return leftovers


@pytest.fixture
def french_admin(signed_in):
    return signed_in(Role.ADMIN, language="fr")


def test_french_pages_have_no_english_left(
    french_admin, create_vendor, create_user, create_addendum, create_review
):
    owner = create_user(Role.OWNER, name="Julie Gagnon")
    vendor = create_vendor(
        name="Déchiquetage Sécur-Doc",
        owner=owner,
        sharings=[{"category": "health", "locations": ["US"], "record_count": 200_000}],
    )
    sharing_id = vendor.sharings[0].id  # the addendum's commit below expires the row
    addendum = create_addendum(vendor, clauses=[])
    review_ids = create_review(vendor)
    pages = [
        "/settings/",
        f"/vendors/{vendor.id}/addenda",
        f"/vendors/{vendor.id}/addenda/new",
        f"/addenda/{addendum.id}",
        "/addenda/outdated",
        f"/vendors/{vendor.id}/reviews",
        f"/vendors/{vendor.id}/reviews/new",
        f"/reviews/{review_ids['review_id']}",
        "/reviews/policy",
        "/vendors/",
        "/vendors/?status=bogus",
        f"/vendors/{vendor.id}",
        f"/vendors/{vendor.id}/edit",
        f"/vendors/{vendor.id}/sharing/new",
        f"/vendors/{vendor.id}/sharing/{sharing_id}/edit",
        f"/vendors/{vendor.id}/risk",
        f"/vendors/{vendor.id}/terminate",
        "/vendors/new",
        "/users",
        "/users/new",
        "/account",
        "/account/password",
        "/account/calendar",
        "/mail",
        "/audit",
        "/dashboard",
        "/vendors/import",
        "/vendors/999999",
    ]
    for path in pages:
        response = french_admin.get(path)
        assert response.status_code in (200, 404), path
        assert 'lang="fr"' in response.text
        assert english_leftovers(visible_text(response.text)) == [], path


def test_form_errors_are_in_french(french_admin):
    response = french_admin.post(
        "/vendors/new",
        data={
            "name": "",
            "country": "CA",
            "status": "active",
            "criticality": "low",
            "owner_id": "0",
            "contract_start": "2025-02-01",
            "contract_end": "2025-01-01",
        },
    )
    text = visible_text(response.text)
    assert "Ce champ est requis." in text
    assert "Le contrat ne peut pas finir avant de commencer." in text


def test_dates_and_numbers_follow_the_language(french_admin, create_vendor):
    vendor = create_vendor(
        contract_end=date(2027, 3, 31),
        sharings=[{"category": "financial", "record_count": 1234567}],
    )
    text = visible_text(french_admin.get(f"/vendors/{vendor.id}").text)
    assert "31 mars 2027" in text
    assert "1\u202f234\u202f567" in text or "1\xa0234\xa0567" in text
