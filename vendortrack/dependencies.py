"""The libraries VendorTrack needs, checked before it imports them.

A library that is missing, or installed in a version outside pyproject.toml's range, would
otherwise surface as a traceback from deep inside an import, naming neither the library nor the
fix. This module imports nothing outside the standard library at its top, so it runs on the
most broken of installs.
"""

import sys
from collections.abc import Callable, Iterable
from importlib import metadata

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


def unmet(requirements: Iterable[str], versions: Callable[[str], str | None]) -> list[str]:
    """A sentence for each requirement that the installed versions do not meet.

    `requirements` are PEP 508 strings (as in pyproject.toml); `versions` gives the installed
    version of a canonical name (flask-login), or None. Requirements of extras (the tests')
    are not checked.
    """
    try:
        from packaging.requirements import Requirement
        from packaging.utils import canonicalize_name
    except ImportError:
        return ["packaging is not installed (VendorTrack reads its own requirements with it)."]
    problems = []
    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        version = versions(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name} is not installed; VendorTrack needs {text}.")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(
                f"{requirement.name} {version} is installed; VendorTrack needs "
                f"{requirement.name}{requirement.specifier}."
            )
    return problems


def require_installed() -> None:
    """Stop with one message naming every unmet requirement, before anything imports them.

    Silent where VendorTrack itself is not installed (its requirements are then unknown).
    """
    try:
        requirements = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return
    problems = unmet(requirements, installed_version)
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        # Printed, then a bare exit: a gunicorn worker swallows an exit's message.
        print(f"VendorTrack cannot start:\n{lines}\n{INSTALL_HINT}", file=sys.stderr)
        raise SystemExit(1)
