"""The libraries VendorTrack needs, checked before it imports them.

A library that is missing, or installed in a version outside pyproject.toml's range, would
otherwise surface as a traceback from deep inside an import, naming neither the library nor the
fix. This module imports nothing outside the standard library at its top, so it runs on the
most broken of installs.
"""

import sys
import tomllib
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "vendortrack"
INSTALL_HINT = (
    "Install the locked versions: `make install` in a checkout, or `pip install --require-hashes "
    "-r requirements.lock` in production (README, Production)."
)


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def unmet(
    requirements: Iterable[str],
    versions: Callable[[str], str | None],
    requirements_of: Callable[[str], Iterable[str]] = lambda name: (),
    extra: str = "",
) -> list[str]:
    """A sentence for each requirement that the installed versions do not meet.

    `requirements` are PEP 508 strings (as in pyproject.toml); `versions` gives the installed
    version of a canonical name (flask-login), or None; `requirements_of` a package's own
    requirements, to check those its extras bring (psycopg[binary]: psycopg-binary). With
    `extra`, only that extra's requirements are checked; without, none of any extra's (so not
    the tests').
    """
    try:
        from packaging.requirements import Requirement
        from packaging.utils import canonicalize_name
    except ImportError:
        return ["packaging is not installed (VendorTrack reads its own requirements with it)."]
    problems = []
    for text in requirements:
        requirement = Requirement(text)
        if not _applies(requirement, extra):
            continue
        needed = requirement.name + _extras(requirement.extras) + str(requirement.specifier)
        version = versions(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name} is not installed; VendorTrack needs {needed}.")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(
                f"{requirement.name} {version} is installed; VendorTrack needs {needed}."
            )
        for wanted in sorted(requirement.extras) if version is not None else ():
            problems += unmet(requirements_of(requirement.name), versions, extra=wanted)
    return problems


def _extras(extras: set[str]) -> str:
    return f"[{','.join(sorted(extras))}]" if extras else ""


def _applies(requirement, extra: str) -> bool:
    """Whether the requirement is one of the extra's, or with "" one of the package's own."""
    marker = requirement.marker
    if not extra:
        return marker is None or marker.evaluate({"extra": ""})
    # Not the package's own: its installer saw to those.
    return (
        marker is not None and marker.evaluate({"extra": extra}) and not _applies(requirement, "")
    )


def require_installed() -> None:
    """Stop with one message naming every unmet requirement, before anything imports them."""
    problems = unmet(declared_requirements(), installed_version, _requirements_of)
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        # Printed, then a bare exit: a gunicorn worker swallows an exit's message.
        print(f"VendorTrack cannot start:\n{lines}\n{INSTALL_HINT}", file=sys.stderr)
        raise SystemExit(1)


def declared_requirements() -> list[str]:
    """VendorTrack's requirements as installed, else (a checkout run without installing it)
    as pyproject.toml beside the package says."""
    try:
        return metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        if not pyproject.is_file():
            return []
        return tomllib.loads(pyproject.read_text())["project"]["dependencies"]


def _requirements_of(name: str) -> list[str]:
    try:
        return metadata.requires(name) or []
    except metadata.PackageNotFoundError:
        return []
