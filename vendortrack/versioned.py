"""Saves from forms loaded before someone else's save: the edit form of a record two people can
change carries the version it was loaded from, and a stale save is refused naming what changed.
"""

import enum
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import inspect
from wtforms import HiddenField

from vendortrack.forms import Form

# Fields of a versioned form that are not values of its record.
NOT_VALUES = frozenset({"csrf_token", "version", "loaded"})


@dataclass(frozen=True)
class Change:
    """A field someone else changed since the form was loaded, as the notice shows it."""

    label: str
    saved: str  # what is saved now
    yours: str  # what the form holds


class VersionedForm(Form):
    """The edit form of a record two people can change (its model has a version_id_col).

    It carries the record's version and a digest of each value it was loaded with. A save whose
    version is no longer the record's was made from a form loaded before someone else's save;
    changed_meanwhile then names the fields that someone else changed and that the save would
    put back, and the view writes nothing. Fields nobody else changed do not count: a version
    also moves for the application's own bookkeeping (a risk tier, a sign-in), which the form
    would not undo.
    """

    version = HiddenField()
    loaded = HiddenField()
    # The record's attribute that a field edits, where its name differs.
    value_fields: ClassVar[dict[str, str]] = {}
    # Fields that are not values of the record (files, passwords, one-off actions).
    not_values: ClassVar[frozenset[str]] = NOT_VALUES

    def value_names(self) -> dict[str, str]:
        """{record attribute: form field} for every value the form edits."""
        names = (f.short_name for f in self if f.short_name not in self.not_values)
        return {self.value_fields.get(name, name): name for name in names}

    def saved_values(self, record) -> dict:
        return {name: getattr(record, name) for name in self.value_names()}

    def load_version(self, record) -> None:
        """Carry the record's version and values as saved now: on opening the page, and on the
        refusal's page, so that saving from it again overwrites, knowingly."""
        self.version.data = "" if (v := saved_version(record)) is None else str(v)
        self.loaded.data = digests(self.saved_values(record))

    def changed_meanwhile(self, record, submitted: dict) -> list[Change]:
        """What someone else saved since the form was loaded that this save would undo.

        `submitted` holds the validated values in the record's terms. A form sent without a
        version at all (a page opened before versions existed, a script) is compared with
        nothing, as before; a damaged one counts as loaded from another version.
        """
        if not self.version.raw_data:
            return []
        if posted_version(self.version.data) == saved_version(record):
            return []
        saved = self.saved_values(record)
        names = self.value_names()
        return [
            Change(
                str(self[names[name]].label.text),
                shown(self[names[name]], saved[name]),
                shown(self[names[name]], submitted.get(name)),
            )
            for name in conflicting(saved, submitted, self.loaded.data)
        ]


def saved_version(record) -> int | None:
    """The record's version; None for one not saved yet (settings shown before any save)."""
    return record.version if inspect(record).has_identity else None


def posted_version(text: str | None) -> int | str | None:
    """The version a form says it was loaded from: None when it was loaded from a record not
    saved yet, and the text itself when it is not a version (never equal to one)."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdecimal() and len(text) < 19 else text


def comparable(value):
    """A value in a form that compares and digests the same whether read from the record or from
    a form: empty is None, enums their value, lists in order, dates as text."""
    if value is None or value in ("", []):
        return None
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple | set):
        return sorted(str(comparable(item)) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def digest(value) -> str:
    text = json.dumps(comparable(value), default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def digests(values: dict) -> str:
    """{name: digest} of the values as saved, as text for a hidden field. Digests, not values:
    the form need not carry a second copy of the record (contacts included)."""
    return json.dumps({name: digest(value) for name, value in values.items()}, sort_keys=True)


def conflicting(saved: dict, submitted: dict, loaded: str | None) -> list[str]:
    """The names whose saved value someone changed since `loaded` (digests) and which the
    submitted values would change back or otherwise; every changed name when `loaded` is missing
    or damaged, since what the form was loaded with is then unknown."""
    try:
        before = json.loads(loaded or "")
    except ValueError:
        before = {}
    if not isinstance(before, dict):
        before = {}
    return [
        name
        for name, value in saved.items()
        if before.get(name) != digest(value)
        and comparable(value) != comparable(submitted.get(name))
    ]


def shown(field, value) -> str:
    """A value as the form's field would name it: a choice by its label, yes or no, a date in
    the user's language, "—" for nothing."""
    if isinstance(value, enum.Enum):
        value = getattr(value, "code", value.value)  # an ordered level's choices are its codes
    if isinstance(value, list | tuple | set):
        return ", ".join(shown(field, item) for item in value) or "—"
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return format_date(value)
    labels = {str(c.value): str(c.label) for c in getattr(field, "choices", None) or []}
    return labels.get(str(value), str(value))
