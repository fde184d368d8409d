"""Raising a clause's version marks the addenda that carry the older one; legal regenerates them
in bulk, from the page or the command line."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.helpers import generate
from vendortrack.addenda.library import load_library
from vendortrack.addenda.models import Addendum, AddendumStatus
from vendortrack.extensions import db

CLAUSES = Path(__file__).resolve().parents[2] / "contract_clauses"


@pytest.fixture
def raise_version(app, tmp_path):
    """raise_version(clause id): the library, as the app sees it, moves that clause on."""

    def bump(clause_id: str) -> None:
        folder = tmp_path / "clauses"
        if not folder.exists():
            shutil.copytree(CLAUSES, folder)
        path = folder / f"{clause_id}.toml"
        text = path.read_text(encoding="utf-8")
        version = load_library(folder).clauses[clause_id].version
        path.write_text(text.replace(f"version = {version}", f"version = {version + 1}", 1))
        app.extensions["clause_library"] = load_library(folder)

    return bump


def newest(vendor) -> Addendum:
    query = select(Addendum).where(Addendum.vendor_id == vendor.id).order_by(Addendum.id.desc())
    return db.session.scalars(query).first()


def test_a_raised_clause_lists_the_vendor_and_the_page_regenerates_it(
    app, legal, settings, quebec_vendor, create_vendor, raise_version
):
    other = create_vendor(name="Untouched", sharings=[{"category": "financial"}])
    generate(legal, quebec_vendor, "fr")
    generate(legal, other, "en")
    assert "Every addendum carries the current version" in legal.get("/addenda/outdated").text

    raise_version("cross_border")
    page = legal.get("/addenda/outdated").text
    assert quebec_vendor.name.replace("&", "&amp;").replace("<", "&lt;")[:20] in page
    assert "Untouched" not in page
    with app.app_context():
        old = newest(quebec_vendor)
        old_id, old_version = old.id, old.clause_versions["cross_border"]
    assert "newer version available" in legal.get(f"/addenda/{old_id}").text

    batch = legal.post("/addenda/outdated/regenerate", data={"after": "0"}).get_json()
    assert (batch["regenerated"], batch["failed"], batch["finished"]) == (1, {}, True)
    with app.app_context():
        fresh = newest(quebec_vendor)
        assert fresh.id != old_id
        assert fresh.language == "fr"
        assert fresh.clause_versions["cross_border"] == old_version + 1
        assert db.session.get(Addendum, old_id).status == AddendumStatus.SUPERSEDED
    assert "Every addendum carries the current version" in legal.get("/addenda/outdated").text


def test_the_command_regenerates_every_outdated_addendum(
    app, runner, legal, settings, quebec_vendor, create_vendor, raise_version
):
    vendors = [quebec_vendor] + [
        create_vendor(name=f"Vendor {n}", sharings=[{"category": "health"}]) for n in range(3)
    ]
    for vendor in vendors:
        generate(legal, vendor, "en")
    raise_version("protection")
    with app.app_context():
        before = [newest(vendor).id for vendor in vendors]
    preview = runner.invoke(args=["addenda", "regenerate", "--dry-run"])
    assert preview.exit_code == 0, preview.output
    assert f"Vendor 0 (addendum {before[1]}): protection\n" in preview.output
    assert "4 outdated addenda would be regenerated; nothing was changed." in preview.output
    with app.app_context():
        assert [newest(vendor).id for vendor in vendors] == before

    result = runner.invoke(args=["addenda", "regenerate"])
    assert result.exit_code == 0, result.output
    assert "Regenerated 4 of 4 outdated addenda." in result.output
    with app.app_context():
        assert all(newest(v).id != old for v, old in zip(vendors, before, strict=True))
    # The flag it once required, still in older scripts, is accepted and changes nothing.
    again = runner.invoke(args=["addenda", "regenerate", "--outdated"])
    assert again.exit_code == 0, again.output
    assert again.output.endswith("Regenerated 0 of 0 outdated addenda.\n")


def test_the_command_generates_an_addendum_for_a_vendor_named_or_numbered(
    app, runner, settings, quebec_vendor, tmp_path
):
    out = tmp_path / "a.docx"
    unnamed = runner.invoke(args=["addenda", "generate", str(quebec_vendor.id), "--lang", "en",
                                  "--out", str(out)])  # fmt: skip
    assert unnamed.exit_code == 2
    assert "name the contract the addendum amends with --contract" in unnamed.output
    result = runner.invoke(args=["addenda", "generate", "GESTION emile & fils <inc> \"quebec\" 🎉",
                                 "--lang", "bilingual", "--out", str(out),
                                 "--all-contracts", "--covers-earlier",
                                 "--authorisation", "specific"])  # fmt: skip
    assert result.exit_code == 0, result.output
    with app.app_context():
        addendum = db.session.scalar(select(Addendum))
        assert out.read_bytes() == addendum.document
        assert addendum.language == "bilingual"
        assert "breach" in addendum.clause_versions
        assert addendum.facts["scope"]["all_contracts"] is True
        assert addendum.facts["facts"]["specific_authorisation"] is True
    wrong = runner.invoke(args=["addenda", "generate", str(quebec_vendor.id), "--lang", "en",
                                "--out", str(out), "--authorisation", "sometimes"])  # fmt: skip
    assert wrong.exit_code == 2
    assert "'sometimes' is not one of 'general', 'specific'" in wrong.output

    missing = runner.invoke(args=["addenda", "generate", "999", "--lang", "en", "--out", str(out)])
    assert missing.exit_code != 0
    assert "no vendor has the id or name '999'" in missing.output


@pytest.mark.parametrize("after", ["2147483648", "9" * 5000, "²", "-1", "next"])
def test_the_regeneration_refuses_a_position_its_page_never_sends(legal, after):
    response = legal.post("/addenda/outdated/regenerate", data={"after": after})
    assert response.status_code == 400


def test_the_regeneration_starts_from_the_first_addendum_when_given_no_position(legal):
    response = legal.post("/addenda/outdated/regenerate", data={})
    assert response.status_code == 200
    assert response.json == {"regenerated": 0, "failed": {}, "last_id": 0, "finished": True}
