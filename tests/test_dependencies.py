"""What a fresh install gets: the lock's versions, every import declared, every module importable,
and a clear message instead of a traceback when a library is missing or of the wrong version."""

import ast
import importlib
import os
import pkgutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import vendortrack
from vendortrack.dependencies import declared_requirements, installed_version, unmet

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = PROJECT["dependencies"]
EXTRAS = PROJECT["optional-dependencies"]
# Set by `make test-latest`, whose venv holds the newest releases rather than the lock's.
UNLOCKED = bool(os.environ.get("VENDORTRACK_TEST_UNLOCKED"))


def name_of(text: str) -> str:
    return canonicalize_name(Requirement(text).name)


def locked(path: Path) -> dict[str, str]:
    """{normalised name: version} of the lock's pins that apply to this interpreter."""
    pins = {}
    for line in path.read_text().splitlines():
        if not line[:1].isalnum():
            continue  # hashes, comments and "# via" lines
        requirement, _, marker = line.rstrip(" \\").partition(";")
        if marker.strip() and not Marker(marker.strip()).evaluate():
            continue
        name, _, version = requirement.strip().partition("==")
        pins[canonicalize_name(name)] = version
    return pins


DEV_LOCK = locked(ROOT / "requirements-dev.lock")
PRODUCTION_LOCK = locked(ROOT / "requirements.lock")


def modules() -> list[str]:
    found = pkgutil.walk_packages(vendortrack.__path__, "vendortrack.")
    return sorted(module.name for module in found)


@pytest.mark.parametrize("module", modules())
def test_every_module_imports(module):
    importlib.import_module(module)


def test_the_installed_versions_are_the_locked_ones():
    differ = {
        name: (version, installed_version(name))
        for name, version in DEV_LOCK.items()
        if installed_version(name) != version
    }
    if UNLOCKED:  # the newest releases, without the lock's tools (uv, the build backend)
        newer = ", ".join(
            f"{name} {new} (lock: {old})" for name, (old, new) in sorted(differ.items()) if new
        )
        pytest.skip(f"make test-latest runs newer releases than the lock: {newer or 'none'}")
    assert differ == {}, "run `make install`, which installs requirements-dev.lock"


@pytest.mark.parametrize(
    ("group", "requirements"),
    [("dependencies", RUNTIME), *(("extra " + name, reqs) for name, reqs in EXTRAS.items())],
)
def test_the_lock_meets_every_range_of_pyproject(group, requirements):
    # Fails when pyproject.toml changed and `make lock` was not run.
    assert unmet(requirements, DEV_LOCK.get) == []


def test_production_gets_the_versions_the_tests_ran():
    runtime = {name_of(text) for text in RUNTIME}
    assert runtime <= PRODUCTION_LOCK.keys()
    assert {n: v for n, v in PRODUCTION_LOCK.items() if DEV_LOCK.get(n) != v} == {}
    assert unmet(RUNTIME, PRODUCTION_LOCK.get) == []


def imported_packages(folder: Path) -> set[str]:
    """The top-level names that the folder's Python files import, outside the standard library."""
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names)


@pytest.mark.parametrize(
    ("folder", "declared", "own"),
    [
        ("vendortrack", RUNTIME, {"vendortrack"}),
        ("tests", RUNTIME + EXTRAS["test"], {"vendortrack", "tests"}),
        (
            "bench",
            RUNTIME + EXTRAS["test"],
            {"vendortrack", "tests", "common", "vendor_list", "addenda"},
        ),
    ],
)
def test_every_package_imported_is_declared(folder, declared, own):
    # Not left to arrive with another package, which may drop it in any release.
    distributions = metadata.packages_distributions()
    declared_names = {name_of(text) for text in declared}
    undeclared = {
        module: distributions.get(module)
        for module in imported_packages(ROOT / folder) - own
        if not {canonicalize_name(d) for d in distributions.get(module, [])} & declared_names
    }
    assert undeclared == {}, "declare them in pyproject.toml, then run `make lock`"


def test_unmet_names_what_is_missing_and_what_is_out_of_range():
    installed = {"flask": "3.1.0", "python-docx": "1.3.0", "pytest": None}.get

    problems = unmet(["Flask>=3.1", "python-docx>=1.1,<1.3", "lxml>=5.0"], installed)

    assert problems == [
        "python-docx 1.3.0 is installed; VendorTrack needs python-docx<1.3,>=1.1.",
        "lxml is not installed; VendorTrack needs lxml>=5.0.",
    ]


def test_the_tests_own_requirements_are_not_asked_of_production():
    assert unmet(['pytest>=8.0; extra == "test"'], {}.get) == []


def test_what_an_extra_brings_is_checked_too():
    psycopg = [
        "typing-extensions>=4.6",  # psycopg's own: its installer saw to it
        'psycopg-binary==3.3.9; implementation_name != "pypy" and extra == "binary"',
        'psycopg-pool; extra == "pool"',  # an extra VendorTrack does not ask for
    ]
    requirements_of = {"psycopg": psycopg}.get

    without_binary = unmet(["psycopg[binary]>=3.2"], {"psycopg": "3.3.9"}.get, requirements_of)
    old_binary = {"psycopg": "3.3.9", "psycopg-binary": "3.2.0"}.get

    assert without_binary == [
        "psycopg-binary is not installed; VendorTrack needs psycopg-binary==3.3.9."
    ]
    assert unmet(["psycopg[binary]>=3.2"], old_binary, requirements_of) == [
        "psycopg-binary 3.2.0 is installed; VendorTrack needs psycopg-binary==3.3.9."
    ]


def test_a_checkout_not_installed_is_checked_against_its_pyproject(monkeypatch):
    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "requires", not_installed)

    assert declared_requirements() == RUNTIME


def fake_distribution(folder: Path, name: str, version: str) -> None:
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")


@pytest.mark.slow  # python and the flask command in processes of their own
@pytest.mark.parametrize("command", ["python", "flask"])
def test_an_unsupported_version_stops_start_up_with_its_name_not_a_traceback(tmp_path, command):
    # Found before the real one on the path, as an older release left on a machine would be.
    fake_distribution(tmp_path, "cryptography", "40.0.0")
    fake_distribution(tmp_path, "python_docx", "1.3.0")
    program = {
        "python": [sys.executable, "-c", "import vendortrack"],
        "flask": [str(Path(sys.executable).with_name("flask")), "--app", "vendortrack", "routes"],
    }[command]
    environment = {**os.environ, "PYTHONPATH": str(tmp_path)}

    result = subprocess.run(
        program, capture_output=True, text=True, env=environment, timeout=120, check=False
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "VendorTrack cannot start:" in result.stderr
    assert "cryptography 40.0.0 is installed; VendorTrack needs cryptography>=43." in result.stderr
    assert "python-docx 1.3.0 is installed; VendorTrack needs python-docx<1.3,>=1.1." in (
        result.stderr
    )
    assert "requirements.lock" in result.stderr
