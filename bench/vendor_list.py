"""How fast is the vendor list on a large register, compared with the least any page could cost?

    .venv/bin/python bench/vendor_list.py [--vendors 100000] [--repeat 30] [--explain]

Fills a SQLite database with N vendors (3 data sharing rows each, about one processing location per
row), then times the real list page and a floor through the Flask test client: a bare route, added
here only, that runs one raw SQL query for the same 50 rows and renders them with a minimal
template. The same requests also run on two small registers, to show that the number of queries
per page does not grow with the register. Prints figures; never fails on them.
"""

import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import click
from common import count_queries, get, judge_register, owner_rows, pick
from flask import render_template_string, request
from sqlalchemy import Engine, insert, text

from vendortrack import create_app
from vendortrack.accounts.access import EVERYONE
from vendortrack.accounts.models import Role, User
from vendortrack.accounts.services import create_user
from vendortrack.extensions import db
from vendortrack.register.catalogue import categories, subjects
from vendortrack.register.models import (
    ConsentBasis,
    DataSharing,
    Level,
    ProcessingLocation,
    Vendor,
    VendorStatus,
    name_key,
)

OUT = Path(__file__).resolve().parent / "out"  # git-ignored
ADMIN, PASSWORD = "admin@example.org", "bench password 123"
TARGET_RATIO = 2.0
SMALL_SIZES = (1_000, 10_000)
SMALL_REPEAT = 5  # the small registers are there for the query counts; a few timings suffice
CHUNK = 10_000
SHARINGS_PER_VENDOR = 3
PER_PAGE = 50  # the app's VENDORS_PER_PAGE
TODAY = date(2025, 6, 1)
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)

# Each request: the list page's query string, and the floor's WHERE and ORDER BY for the same rows.
REQUESTS = {
    "active, high risk, by name, page 3": (
        "status=active&risk=high&sort=name&page=3",
        "v.status = 'active' AND v.risk_tier = 3",
        "v.name_key ASC, v.id ASC",
    ),
    "active, by contract end desc, page 3": (
        "status=active&sort=contract_end&dir=desc&page=3",
        "v.status = 'active'",
        "v.contract_end DESC, v.id ASC",
    ),
    "active, by name, page 100": (
        "status=active&page=100",
        "v.status = 'active'",
        "v.name_key ASC, v.id ASC",
    ),
    "compliance action, by name, page 1": (
        "compliance=action",
        "v.compliance_status = 'action'",
        "v.name_key ASC, v.id ASC",
    ),
    "compliance action, by name, page 100": (
        "compliance=action&page=100",
        "v.compliance_status = 'action'",
        "v.name_key ASC, v.id ASC",
    ),
    "compliance overdue, high risk, page 1": (
        "compliance=overdue&risk=high",
        "v.compliance_status = 'overdue' AND v.risk_tier = 3",
        "v.name_key ASC, v.id ASC",
    ),
}
# The least a list page can ask: how many match (for its pager), and the page's rows with their
# owner and stored compliance.
COUNT_SQL = "SELECT count(*) FROM vendors v WHERE {where}"
FLOOR_SQL = """
SELECT v.id, v.name, v.status, v.criticality, v.risk_tier
       AS risk, u.name AS owner, v.country, v.subdivision, v.contract_end, v.updated_at,
       v.compliance_status, v.compliance_reasons
FROM vendors v LEFT OUTER JOIN users u ON u.id = v.owner_id
WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset
"""
FLOOR_TEMPLATE = """<!doctype html><title>floor</title><table>
{% for r in rows %}<tr><td><a href="/vendors/{{ r.id }}">{{ r.name }}</a></td>
<td>{{ r.status }}</td><td>{{ r.criticality }}</td><td>{{ r.risk }}</td>
<td>{{ r.owner or '' }}</td><td>{{ r.subdivision or r.country }}</td>
<td>{{ r.contract_end or '' }}</td><td>{{ r.updated_at }}</td>
<td>{{ r.compliance_status or '' }} {{ r.compliance_reasons }}</td></tr>{% endfor %}
</table><p>{{ total }}</p>"""

# fmt: off
WORDS_A = ("Groupe", "Services", "Solutions", "Laboratoires", "Atelier", "Northern", "Pacific",
           "Boréal", "Cascade", "Summit", "Étoile", "Horizon", "Maple", "Granite", "Fleuve")
WORDS_B = ("Logistique", "Data", "Paie", "Cloud", "Analytics", "Conseil", "Software", "Santé",
           "Sécurité", "Courrier", "Marketing", "Print", "Staffing", "Télécom", "Assurance")
SUFFIXES = ("inc.", "ltée", "Ltd.", "LLC", "GmbH", "SAS", "S.E.N.C.", "Corp.")
PLACES = {  # (country, subdivision): weight
    ("CA", "CA-QC"): 40, ("CA", "CA-ON"): 15, ("CA", "CA-BC"): 5, ("US", "US-CA"): 10,
    ("US", "US-WA"): 5, ("US", None): 5, ("DE", None): 5, ("FR", "FR-IDF"): 5, ("IE", None): 5,
    ("GB", None): 3, ("IN", "IN-KA"): 2,
}
# fmt: on
STATUSES = {"active": 70, "prospect": 10, "offboarding": 8, "terminated": 12}


@click.command()
@click.option("--vendors", default=100_000, show_default=True, help="Size of the register.")
@click.option("--repeat", default=30, show_default=True, help="Timed requests per page.")
@click.option("--explain", is_flag=True, help="Print the list queries' SQLite query plans.")
def cli(vendors: int, repeat: int, explain: bool) -> None:
    """Time the vendor list page against a one-query floor."""
    OUT.mkdir(exist_ok=True)
    sizes = sorted({*(s for s in SMALL_SIZES if s < vendors), vendors})
    results = []
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        for size in sizes:
            full = size == vendors
            database = Path(tmp) / f"vendors-{size}.sqlite"
            results += measure(database, size, repeat if full else SMALL_REPEAT, explain and full)
    report(results, vendors)


def measure(database: Path, size: int, repeat: int, explain: bool) -> list[dict]:
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    app.add_url_rule("/bench/floor", "bench_floor", floor)
    floor.allowed_roles = EVERYONE  # the app refuses a route without an access rule
    with app.app_context():
        db.create_all()
        fill(size)
        with app.test_request_context():
            judge_register(size)
        engine = db.engine
    # Requests run outside any app context, as in production: otherwise Flask reuses the outer
    # one, and the session (with the signed-in user and every vendor loaded) outlives requests.
    client = app.test_client()
    response = client.post("/login", data={"email": ADMIN, "password": PASSWORD})
    assert response.status_code == 302, "the bench admin could not sign in"
    with count_queries(engine) as log:
        rows = [time_request(client, log, size, label, repeat) for label in REQUESTS]
        if explain:
            explain_list(client, engine, log)
    engine.dispose()
    return rows


def floor():
    """The list's count and rows, as raw queries, rendered with the least possible template."""
    _query, where, order = REQUESTS[request.args["r"]]
    total = db.session.scalar(text(COUNT_SQL.format(where=where)))
    # Past the last page, the last, as the list does.
    page = min(int(request.args.get("page", 1)), max(1, -(-total // PER_PAGE)))
    offset = (page - 1) * PER_PAGE
    sql = text(FLOOR_SQL.format(where=where, order=order))
    rows = db.session.execute(sql, {"limit": PER_PAGE, "offset": offset}).all()
    return render_template_string(FLOOR_TEMPLATE, rows=rows, total=total)


# --- filling -----------------------------------------------------------------------------------


def fill(size: int) -> None:
    """Insert the register with Core executemany, in chunks, in one transaction."""
    rng = random.Random(size)
    create_user(ADMIN, "Bench Admin", Role.ADMIN, password=PASSWORD)
    connection = db.session.connection()
    owners = owner_rows(20, NOW)
    connection.execute(insert(User.__table__), owners)
    owner_ids = list(range(2, len(owners) + 2))  # the admin is user 1
    steps = (
        (Vendor, lambda first, last: vendor_rows(rng, first, last, owner_ids)),
        (DataSharing, lambda first, last: sharing_rows(rng, first, last)),
        (ProcessingLocation, lambda first, last: location_rows(rng, first, last)),
    )
    with click.progressbar(length=size * len(steps), label=f"Filling {size:>7,} vendors") as bar:
        for model, rows_for in steps:
            for first in range(1, size + 1, CHUNK):
                last = min(first + CHUNK - 1, size)
                connection.execute(insert(model.__table__), rows_for(first, last))
                bar.update(last - first + 1)
    db.session.commit()


def vendor_rows(rng: random.Random, first: int, last: int, owner_ids: list[int]) -> list[dict]:
    """Vendors with ids first..last, spread over statuses, levels, places and owners."""
    rows = []
    for vid in range(first, last + 1):
        name = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)} {vid} {rng.choice(SUFFIXES)}"
        country, subdivision = pick(rng, PLACES)
        criticality = rng.choice(list(Level))
        end = TODAY + timedelta(days=rng.randint(-1000, 1500)) if rng.random() < 0.85 else None
        updated = NOW - timedelta(minutes=rng.randint(0, 60 * 24 * 900))
        rows.append(
            {
                "id": vid,
                "name": name,
                "name_key": name_key(name),
                "country": country,
                "subdivision": subdivision,
                "status": VendorStatus(pick(rng, STATUSES)),
                "criticality": criticality,
                "risk_tier": Level(min(4, criticality + rng.choice((0, 0, 1, 1, 2)))),
                "risk_override": rng.choice(list(Level)) if rng.random() < 0.01 else None,
                "owner_id": rng.choice(owner_ids) if rng.random() < 0.9 else None,
                "contract_start": end - timedelta(days=730) if end else None,
                "contract_end": end,
                "auto_renewal": rng.random() < 0.4,
                "notice_period_days": rng.choice((None, 30, 60)),
                "services": "Services to the organisation.",
                "created_at": updated,
                "updated_at": updated,
            }
        )
    return rows


def sharing_rows(rng: random.Random, first: int, last: int) -> list[dict]:
    """Three rows, of three different categories, for each vendor first..last."""
    codes, subject_codes = list(categories()), list(subjects())
    rows = []
    for vid in range(first, last + 1):
        for n, code in enumerate(rng.sample(codes, SHARINGS_PER_VENDOR)):
            retention = rng.choice((None, 12, 24, 84))
            rows.append(
                {
                    "id": sharing_id(vid, n),
                    "vendor_id": vid,
                    "category": code,
                    "data_subjects": rng.sample(subject_codes, 2),
                    "purpose": "Provide the service.",
                    "subjects_in_quebec": rng.random() < 0.7,
                    "subjects_in_eu": rng.random() < 0.1,
                    "subjects_in_california": rng.random() < 0.1,
                    "consent_basis": rng.choice(list(ConsentBasis)),
                    "retention_months": retention,
                    "retention_until_contract_end": retention is None,
                    "record_count": rng.choice((None, 50, 5_000, 150_000)),
                    "shared_since": TODAY - timedelta(days=rng.randint(0, 2000)),
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
    return rows


def location_rows(rng: random.Random, first: int, last: int) -> list[dict]:
    """One processing location for each sharing row of vendors first..last; a fifth get two."""
    rows = []
    for vid in range(first, last + 1):
        for n in range(SHARINGS_PER_VENDOR):
            rows.append({"data_sharing_id": sharing_id(vid, n), "code": "CA-QC"})
            if rng.random() < 0.2:
                second = rng.choice(("US", "DE", "CA-ON"))
                rows.append({"data_sharing_id": sharing_id(vid, n), "code": second})
    return rows


def sharing_id(vendor_id: int, n: int) -> int:
    return (vendor_id - 1) * SHARINGS_PER_VENDOR + n + 1


# --- measuring ---------------------------------------------------------------------------------


def urls_for(label: str) -> dict[str, str]:
    query = REQUESTS[label][0]
    return {"list": f"/vendors/?{query}", "floor": f"/bench/floor?r={quote(label)}&{query}"}


def time_request(client, log: list, size: int, label: str, repeat: int) -> dict:
    """Medians of `repeat` timed requests of the list and the floor, and their query counts."""
    urls = urls_for(label)
    counts, ids = {}, {}
    for kind, url in urls.items():
        for _ in range(3):  # warm up: templates compiled, caches filled
            get(client, url)
        log.clear()
        ids[kind] = vendor_ids(get(client, url))
        counts[kind] = len(log)
    times = {"list": [], "floor": []}
    for _ in range(repeat):  # interleaved, so that noise falls on both alike
        for kind, url in urls.items():
            start = time.perf_counter()
            get(client, url)
            times[kind].append((time.perf_counter() - start) * 1000)
    return {
        "size": size,
        "label": label,
        "same_rows": len(ids["list"]) == PER_PAGE and ids["list"] == ids["floor"],
        "list_ms": statistics.median(times["list"]),
        "floor_ms": statistics.median(times["floor"]),
        "list_queries": counts["list"],
        "floor_queries": counts["floor"],
    }


def explain_list(client, engine: Engine, log: list) -> None:
    """Print each list request's statements with SQLite's plan for them."""
    for label in REQUESTS:
        log.clear()
        get(client, urls_for(label)["list"])
        statements = list(log)
        click.echo(f"\n== {label}")
        with engine.connect() as connection:
            for statement, parameters in statements:
                click.echo(f"\n{' '.join(statement.split())}\n  {parameters}")
                plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                for row in plan:
                    click.echo(f"    {row[-1]}")


def vendor_ids(html: str) -> list[str]:
    """The vendors a page links to, in order."""
    parts = html.split('href="/vendors/')[1:]
    return [part.split('"', 1)[0] for part in parts if part[:1].isdigit()]


# --- reporting ---------------------------------------------------------------------------------


def report(results: list[dict], full: int) -> None:
    click.echo(
        f"\n{'vendors':>8}  {'request':<38} {'list ms':>8} {'floor ms':>9} {'ratio':>6}  "
        "queries list/floor  same 50 rows"
    )
    for r in results:
        click.echo(
            f"{r['size']:>8,}  {r['label']:<38} {r['list_ms']:>8.1f} {r['floor_ms']:>9.1f} "
            f"{r['list_ms'] / r['floor_ms']:>5.1f}x  {r['list_queries']:>7} / "
            f"{r['floor_queries']:<9} {'yes' if r['same_rows'] else 'NO'}"
        )
    click.echo()
    for r in (r for r in results if r["size"] == full):
        ratio = r["list_ms"] / r["floor_ms"]
        verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
        click.echo(
            f"target: list page within {TARGET_RATIO:g}x the floor at {full:,} vendors, "
            f"{r['label']}: {ratio:.1f}x -> {verdict}"
        )
    counts = {}
    for r in results:
        counts.setdefault(r["label"], set()).add(r["list_queries"])
    constant = all(len(found) == 1 for found in counts.values())
    sizes = ", ".join(f"{s:,}" for s in sorted({r["size"] for r in results}))
    click.echo(
        f"target: same number of queries per list page at every size ({sizes}): "
        f"{'PASS' if constant else 'FAIL'}"
    )


if __name__ == "__main__":
    cli()
