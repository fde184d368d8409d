"""What every upload shares: the error, the limits (settings), the file count and the name kept."""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from vendortrack.config import Config, number_setting

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 10 * MB
MAX_FILENAME = 255  # the size of the columns that keep uploaded files' names
MAX_UNPACKED_BYTES = 50 * MB
FALLBACK_NAME = "file"
# Characters that reorder what follows them on screen: "scan\u202efdp.exe" shows as scanexe.pdf.
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
TOO_LARGE_UNPACKED = _l("The file unpacks to more than 50 MB.")


class UploadError(ValueError):
    """An uploaded file that cannot be used; the message says why, for the user."""


# --- limits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadLimits:
    """How much one part of an upload may unpack to, and how many files one request brings."""

    max_part_bytes: int = Config.UPLOAD_MAX_PART_MB * MB
    max_files: int = Config.UPLOAD_MAX_FILES


def upload_limits(config: Mapping) -> UploadLimits:
    """The limits the settings give; ConfigError naming the variable whose value is wrong."""
    part_mb = config.get("UPLOAD_MAX_PART_MB", Config.UPLOAD_MAX_PART_MB)
    files = config.get("UPLOAD_MAX_FILES", Config.UPLOAD_MAX_FILES)
    return UploadLimits(
        max_part_bytes=number_setting("UPLOAD_MAX_PART_MB", str(part_mb)) * MB,
        max_files=number_setting("UPLOAD_MAX_FILES", str(files)),
    )


def configured_limits() -> UploadLimits:
    """The running app's limits; the defaults outside one (a script, a unit test)."""
    return upload_limits(current_app.config) if has_app_context() else UploadLimits()


def check_file_count(count: int, limits: UploadLimits | None = None) -> None:
    """Refuse more files in one request than the setting allows, before any is read."""
    most = (limits or configured_limits()).max_files
    if count > most:
        raise UploadError(
            lazy_ngettext(
                "Upload at most %(num)s file at a time; this sent %(count)s.",
                "Upload at most %(num)s files at a time; this sent %(count)s.",
                most,
                count=count,
            )
        )


def stored_name(filename: str) -> str:
    """An uploaded file's name as it is kept and sent back: its last part only, whatever the
    separator (an old browser sends C:\\Users\\...\\scan.pdf, a crafted request ../../scan.pdf),
    without control characters (PostgreSQL refuses NUL, and the name goes back out in a
    download's headers) or characters that reorder it on screen, and only its last 255
    characters, which keep the extension."""
    visible = "".join(
        c for c in filename if unicodedata.category(c) != "Cc" and c not in BIDI_CONTROLS
    )
    base = visible.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[-MAX_FILENAME:] if base.strip(".") else FALLBACK_NAME


def check_upload_size(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(_l("The file is larger than 10 MB."))
