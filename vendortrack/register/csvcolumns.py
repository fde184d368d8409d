"""The columns of the vendor CSV file: what each one holds, how it is read and written.

The import page and the README document this list. Parsers take a non-empty, stripped cell and
return the value in the model's terms, or raise CellError; formatters do the reverse, so that an
export reads back unchanged.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from babel import numbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from vendortrack.accounts.models import normalise_email
from vendortrack.database import MAX_INTEGER
from vendortrack.forms import CONTROL
from vendortrack.geography import is_country, is_location, is_subdivision
from vendortrack.register.catalogue import categories, subjects
from vendortrack.register.models import (
    SHARING_TEXT_LIMITS,
    VENDOR_TEXT_LIMITS,
    ConsentBasis,
    Level,
    VendorStatus,
)

CODE_SEPARATOR = ";"  # between the codes of one cell (data_subjects, locations)
TRUE_WORDS = frozenset({"yes", "true", "1", "oui"})
FALSE_WORDS = frozenset({"no", "false", "0", "non"})
VENDOR, SHARING, READ_ONLY = "vendor", "sharing", "read-only"

POSITIVE = _l("Enter a positive number.")
NOT_NEGATIVE = _l("Enter zero or a positive number.")
NOT_A_WEBSITE = _l("Enter a full address such as https://example.com.")
NOT_AN_EMAIL = _l("Enter a valid email address.")


def lazy_number(value: int) -> LazyString:
    """A number for a lazy message, written the reader's way when the message is shown.

    English outside the application (in a script or a test), as the messages themselves are.
    """
    return LazyString(lambda: numbers.format_decimal(value, locale=get_locale() or "en"))


class CellError(ValueError):
    """A cell's value cannot be used; the message says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _long_text(max_length: int) -> Callable[[str], str]:
    """A text cell of any number of lines, at most `max_length` characters as in the form."""

    def parse(value: str) -> str:
        if len(value) > max_length:
            raise CellError(_l("Write at most %(max)s characters.", max=lazy_number(max_length)))
        return value

    return parse


def _text(max_length: int) -> Callable[[str], str]:
    """A one-line text cell, held to the same rules as the form's one-line fields."""

    def parse(value: str) -> str:
        _long_text(max_length)(value)
        if CONTROL.search(value):
            raise CellError(_l("Remove the line breaks or control characters from this cell."))
        return value

    return parse


def _date(value: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise CellError(
        _l(
            "%(value)s is not a date; write dates as YYYY-MM-DD, for example 2025-03-31.",
            value=value,
        )
    )


def _integer(minimum: int, message) -> Callable[[str], int]:
    def parse(value: str) -> int:
        if not re.fullmatch(r"[+-]?\d+", value):
            raise CellError(_l("%(value)s is not a whole number.", value=value))
        if int(value) < minimum:
            raise CellError(message)
        if int(value) > MAX_INTEGER:
            # The forms' message: the same limit, said the same way.
            raise CellError(
                _l("Enter a number no larger than %(max)s.", max=lazy_number(MAX_INTEGER))
            )
        return int(value)

    return parse


def _boolean(value: str) -> bool:
    word = value.casefold()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    raise CellError(_l("%(value)s is not yes or no.", value=value))


def _choice(choices: Mapping[str, Any]) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        key = value.casefold().replace("-", "_")
        if key not in choices:
            raise CellError(
                _l(
                    "Unknown value %(value)s; use one of: %(choices)s.",
                    value=value,
                    choices=", ".join(choices),
                )
            )
        return choices[key]

    return parse


def _country(value: str) -> str:
    if not is_country(value):
        raise CellError(
            _l(
                "Unknown country code %(value)s; use a two-letter ISO 3166 code such as CA or FR.",
                value=value,
            )
        )
    return value.upper()


def _subdivision(value: str) -> str:
    if not is_subdivision(value):
        raise CellError(
            _l(
                "Unknown province or state code %(value)s; use an ISO 3166-2 code such as CA-QC "
                "or US-CA.",
                value=value,
            )
        )
    return value.upper()


def _website(value: str) -> str:
    try:
        host = urlsplit(value).hostname if re.match(r"https?://", value, re.IGNORECASE) else None
    except ValueError:
        host = None
    if not host or "." not in host or re.search(r"\s", value):
        raise CellError(NOT_A_WEBSITE)
    return _text(VENDOR_TEXT_LIMITS["website"])(value)


def _email(value: str) -> str:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise CellError(NOT_AN_EMAIL) from None
    return _text(254)(value)


CODE_SEPARATORS = re.compile("[;,]")


def _codes(value: str) -> list[str]:
    return list(dict.fromkeys(c.strip() for c in CODE_SEPARATORS.split(value) if c.strip()))


def _category(value: str) -> str:
    if value.casefold() not in categories():
        choices = ", ".join(categories())
        raise CellError(
            _l("Unknown category %(value)s; use one of: %(choices)s.", value=value, choices=choices)
        )
    return value.casefold()


def _data_subjects(value: str) -> list[str]:
    codes = [code.casefold() for code in _codes(value)]
    unknown = [code for code in codes if code not in subjects()]
    if unknown:
        raise CellError(
            _l(
                "Unknown data subject: %(codes)s; use codes from: %(choices)s.",
                codes=", ".join(unknown),
                choices=", ".join(subjects()),
            )
        )
    return codes


def _locations(value: str) -> list[str]:
    codes = [code.upper() for code in _codes(value)]
    unknown = [code for code in codes if not is_location(code)]
    if unknown:
        raise CellError(
            _l(
                "Unknown country or region code: %(codes)s. Use ISO 3166 codes such as CA, CA-QC "
                "or DE.",
                codes=", ".join(unknown),
            )
        )
    return codes


# Formatters turn a model value back into the text the parsers read.


def _show(value: Any) -> str:
    return "" if value is None else str(value)


def _show_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _show_bool(value: bool | None) -> str:
    return "yes" if value else "no"


def _show_code(value: Any) -> str:
    if value is None:
        return ""
    return value.code if isinstance(value, Level) else value.value


def _show_codes(value: Sequence[str] | None) -> str:
    return CODE_SEPARATOR.join(value or [])


# What the import page says of each column, by column name.
HELP = {
    "vendor_name": _l(
        "The vendor's name. Required. A re-import finds the vendor by this name, ignoring case "
        "and spacing."
    ),
    "legal_name": _l("Legal name, if different."),
    "website": _l("Web address starting with http:// or https://."),
    "country": _l("Two-letter ISO 3166 country code, such as CA. Required."),
    "subdivision": _l(
        "ISO 3166-2 code of the province or state, such as CA-QC; it must be in the country."
    ),
    "services": _l("Services provided."),
    "status": _l("prospect, active, offboarding or terminated; empty means prospect."),
    "criticality": _l(
        "Criticality to the business: low, medium, high or critical; empty means low."
    ),
    "risk_tier": _l(
        "Exported for reading only: computed by the risk rule or set by an administrator. An "
        "import ignores it; it may be left out."
    ),
    "owner_email": _l("Email of the internal owner, a VendorTrack user; empty for none."),
    "contact_name": _l("Contact at the vendor."),
    "contact_email": _l("The contact's email address."),
    "contact_phone": _l("The contact's phone number."),
    "contract_reference": _l("Contract reference."),
    "contract_start": _l("Date the contract starts, YYYY-MM-DD."),
    "contract_end": _l("Date the contract ends, YYYY-MM-DD; not before it starts."),
    "notice_period_days": _l("Notice period in days: zero or more."),
    "auto_renewal": _l("yes if the contract renews automatically, else no."),
    "notes": _l("Notes."),
    "category": _l(
        "Code of the category of personal information (listed below). Empty on the single row of "
        "a vendor without data sharing. A vendor lists each category once."
    ),
    "data_subjects": _l(
        "Codes of the people the information is about (listed below), separated by semicolons, "
        "such as customers;employees."
    ),
    "purpose": _l(
        "Why the vendor receives this information, in English. Required with a category."
    ),
    "purpose_fr": _l("The same purpose in French, which a French addendum prints."),
    "locations": _l(
        "Where it is stored or processed: ISO codes separated by semicolons, such as CA-QC;US."
    ),
    "subjects_in_quebec": _l("yes if some of these people are in Québec."),
    "subjects_in_eu": _l("yes if some of these people are in the European Union."),
    "subjects_in_california": _l("yes if some of these people are in California."),
    "consent_basis": _l("express, implied or opt_out. Required with a category."),
    "retention_months": _l("How many months the vendor keeps it: a positive number."),
    "retention_until_contract_end": _l(
        "yes if it is kept until the contract ends. Give this or retention_months, not both."
    ),
    "record_count": _l("Approximate number of records: a positive number."),
    "shared_since": _l("Date the sharing started, YYYY-MM-DD."),
}


@dataclass(frozen=True)
class Column:
    name: str
    part: str  # VENDOR, SHARING or READ_ONLY
    field: str  # the Vendor or DataSharing attribute it holds
    parse: Callable[[str], Any] = str
    show: Callable[[Any], str] = _show
    required: bool = False
    empty: Callable[[], Any] = lambda: None  # makes the value of an empty cell

    @property
    def help(self) -> Any:
        """What the import page says of this column: a lazy string, translated when shown."""
        return HELP[self.name]


STATUSES = {s.value: s for s in VendorStatus}
LEVELS = {level.code: level for level in Level}
CONSENTS = {c.value: c for c in ConsentBasis}
BOOLEAN = {"parse": _boolean, "show": _show_bool, "empty": bool}
DATE = {"parse": _date, "show": _show_date}
CODES = {"show": _show_codes, "empty": list}
STATUS = {"parse": _choice(STATUSES), "show": _show_code, "empty": lambda: VendorStatus.PROSPECT}
LEVEL = {"parse": _choice(LEVELS), "show": _show_code, "empty": lambda: Level.LOW}

COLUMNS = (
    Column("vendor_name", VENDOR, "name", _text(VENDOR_TEXT_LIMITS["name"]), required=True),
    Column("legal_name", VENDOR, "legal_name", _text(VENDOR_TEXT_LIMITS["legal_name"])),
    Column("website", VENDOR, "website", _website),
    Column("country", VENDOR, "country", _country, required=True),
    Column("subdivision", VENDOR, "subdivision", _subdivision),
    Column("services", VENDOR, "services", _long_text(VENDOR_TEXT_LIMITS["services"])),
    Column("status", VENDOR, "status", **STATUS),
    Column("criticality", VENDOR, "criticality", **LEVEL),
    Column("risk_tier", READ_ONLY, "risk_tier", show=_show_code),
    Column("owner_email", VENDOR, "owner_id", normalise_email),
    Column("contact_name", VENDOR, "contact_name", _text(120)),
    Column("contact_email", VENDOR, "contact_email", _email),
    Column("contact_phone", VENDOR, "contact_phone", _text(40)),
    Column(
        "contract_reference",
        VENDOR,
        "contract_reference",
        _text(VENDOR_TEXT_LIMITS["contract_reference"]),
    ),
    Column("contract_start", VENDOR, "contract_start", **DATE),
    Column("contract_end", VENDOR, "contract_end", **DATE),
    Column("notice_period_days", VENDOR, "notice_period_days", _integer(0, NOT_NEGATIVE)),
    Column("auto_renewal", VENDOR, "auto_renewal", **BOOLEAN),
    Column("notes", VENDOR, "notes", _long_text(VENDOR_TEXT_LIMITS["notes"])),
    Column("category", SHARING, "category", _category),
    Column("data_subjects", SHARING, "data_subjects", _data_subjects, **CODES),
    Column("purpose", SHARING, "purpose", _long_text(SHARING_TEXT_LIMITS["purpose"])),
    Column("purpose_fr", SHARING, "purpose_fr", _long_text(SHARING_TEXT_LIMITS["purpose_fr"])),
    Column("locations", SHARING, "location_codes", _locations, **CODES),
    Column("subjects_in_quebec", SHARING, "subjects_in_quebec", **BOOLEAN),
    Column("subjects_in_eu", SHARING, "subjects_in_eu", **BOOLEAN),
    Column("subjects_in_california", SHARING, "subjects_in_california", **BOOLEAN),
    Column("consent_basis", SHARING, "consent_basis", _choice(CONSENTS), _show_code),
    Column("retention_months", SHARING, "retention_months", _integer(1, POSITIVE)),
    Column("retention_until_contract_end", SHARING, "retention_until_contract_end", **BOOLEAN),
    Column("record_count", SHARING, "record_count", _integer(1, POSITIVE)),
    Column("shared_since", SHARING, "shared_since", **DATE),
)
VENDOR_COLUMNS = tuple(c for c in COLUMNS if c.part == VENDOR)
SHARING_COLUMNS = tuple(c for c in COLUMNS if c.part == SHARING)
COLUMN_NAMES = [c.name for c in COLUMNS]
COLUMN_OF_FIELD = {c.field: c.name for c in COLUMNS}
DATE_COLUMN_NAMES = frozenset(c.name for c in COLUMNS if c.parse is _date)
# The export adds these from the compliance rules (vendortrack.compliance.register, which depends
# on vendors, not the reverse). For reading only, like risk_tier: an import ignores them, so that
# an export reads back.
ASSESSED_COLUMN_NAMES = ("compliance_status", "compliance_reasons")
EXPORT_COLUMN_NAMES = [*COLUMN_NAMES, *ASSESSED_COLUMN_NAMES]
