"""Where the project's top-level folders are, in a checkout or in an installed wheel."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str, packaged: str | None = None) -> Path:
    """A top-level folder of the project (templates, migrations) in a checkout, or the copy an
    installed wheel carries inside the package (as `packaged`, where a subpackage has its name:
    pyproject.toml's force-include says which)."""
    checkout = PACKAGE_DIR.parent / name
    return checkout if checkout.is_dir() else PACKAGE_DIR / (packaged or name)
