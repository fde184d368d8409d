"""How fast does a vendor's 60-question questionnaire open, on a register of 10,000 vendors each
sent one, compared with the least any page could cost?

    .venv/bin/python bench/questionnaire.py [--vendors 10000] [--repeat 30]

Fills a SQLite database with N vendors (as bench/vendor_list.py does) and sends each a
questionnaire of a 60-question set written for the bench (every kind of answer, a third with
evidence), half of them half answered with files; then times, through the Flask test client:
the vendor's page by its link (no account: the rate limits counted, as on every request), our
people's page of the same questionnaire, and a floor: a route added here only that reads the
questionnaire by the hash of its token and its answers with two raw SQL queries and renders the
60 questions with their inputs in a minimal template. Prints medians, the ratio to the floor
and the queries per page; never fails on them. Target: the vendor's page under 50 ms.
"""

import hashlib
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import click
from common import count_queries, get
from flask import render_template_string
from sqlalchemy import insert, text
from vendor_list import ADMIN, CHUNK, NOW, OUT, PASSWORD, fill

from vendortrack import create_app
from vendortrack.accounts.access import PUBLIC
from vendortrack.extensions import db
from vendortrack.questionnaires.library import load_questionnaires, snapshot
from vendortrack.questionnaires.models import (
    QuestionnaireAnswer,
    QuestionnaireFile,
    QuestionnaireRequest,
)

QUESTIONS = 60
TARGET_MS = 50.0
KINDS = ("yes_no_na", "yes_no_na", "choice", "text", "date", "file")
FLOOR_SQL = (
    "SELECT id, questions, language FROM questionnaire_requests WHERE token_hash = :hash",
    "SELECT question_id, value, comment FROM questionnaire_answers WHERE request_id = :id",
)
FLOOR_TEMPLATE = """<!doctype html><title>floor</title><form method="post">
{% for q in questions %}<fieldset><legend>{{ q.text[lang] }}</legend>
{% if q.kind in ("yes_no_na", "choice") %}{% for c in q.choices or ["yes", "no", "na"] %}
<input type="radio" name="answer-{{ q.id }}" value="{{ c.id or c }}"
{{ "checked" if answers.get(q.id, {}).get("value") == (c.id or c) }}>{% endfor %}
{% else %}<textarea name="answer-{{ q.id }}">
{{ answers.get(q.id, {}).get("comment") or "" }}</textarea>{% endif %}
{% if q.evidence %}<input type="file" name="file-{{ q.id }}">{% endif %}</fieldset>{% endfor %}
</form>"""


@click.command()
@click.option("--vendors", default=10_000, show_default=True, help="Size of the register.")
@click.option("--repeat", default=30, show_default=True, help="Timed requests per page.")
def cli(vendors: int, repeat: int) -> None:
    """Time a 60-question questionnaire's pages against a two-query floor."""
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        folder = Path(tmp) / "questionnaires"
        folder.mkdir()
        (folder / "bench60.toml").write_text(bench_set(), encoding="utf-8")
        results = measure(Path(tmp) / "register.sqlite", folder, vendors, repeat)
    report(results, vendors)


def bench_set() -> str:
    """A 60-question set, in English and French, of every kind of answer."""
    lines = [
        'id = "bench60"',
        "version = 1",
        'for_risk = ["low", "medium", "high", "critical"]',
        '[title]\nen = "Sixty questions"\nfr = "Soixante questions"',
        '[intro]\nen = "Answer each question."\nfr = "Répondez à chaque question."',
    ]
    for n in range(QUESTIONS):
        kind = KINDS[n % len(KINDS)]
        evidence = "true" if kind == "file" or n % 3 == 0 else "false"
        lines.append(f'[[questions]]\nid = "q{n}"\nkind = "{kind}"\nevidence = {evidence}')
        lines.append(
            f'[questions.text]\nen = "Question {n}: how do you protect our information '
            f'in this respect, and who checks it?"\nfr = "Question {n} : comment protégez-vous '
            'nos renseignements à cet égard, et qui le vérifie?"'
        )
        if kind == "choice":
            for choice in ("a", "b", "c", "d"):
                lines.append(
                    f'[[questions.choices]]\nid = "{choice}"\nen = "Choice {choice}"\n'
                    f'fr = "Choix {choice}"'
                )
    return "\n".join(lines) + "\n"


def measure(database: Path, folder: Path, size: int, repeat: int) -> dict:
    settings = {
        "ENV_NAME": "test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "QUESTIONNAIRES_DIR": str(folder),
        # The bench asks for one page hundreds of times: above the limit a vendor would meet.
        "LINK_MAX_REQUESTS_PER_TOKEN": 100_000,
        "LINK_MAX_REQUESTS_PER_ADDRESS": 100_000,
    }
    app = create_app(settings)
    app.add_url_rule("/bench/floor/<token>", "bench_floor", floor)
    floor.allowed_roles = PUBLIC
    with app.app_context():
        db.create_all()
        fill(size)
        token, request_id = send_to_every_vendor(size, folder)
        engine = db.engine
    vendor_side, staff = app.test_client(), app.test_client()
    response = staff.post("/login", data={"email": ADMIN, "password": PASSWORD})
    assert response.status_code == 302, "the bench admin could not sign in"
    pages = {
        "the vendor's page, by link": (vendor_side, f"/v/{token}"),
        "our people's page": (staff, f"/questionnaires/requests/{request_id}"),
        "floor": (vendor_side, f"/bench/floor/{token}"),
    }
    with count_queries(engine) as log:
        results = {
            label: time_page(client, url, log, repeat) for label, (client, url) in pages.items()
        }
    html = get(vendor_side, f"/v/{token}")
    assert html.count('class="card mb-3') == QUESTIONS, "the page does not show 60 questions"
    engine.dispose()
    return results


def send_to_every_vendor(size: int, folder: Path) -> tuple[str, int]:
    """One questionnaire per vendor, half of them half answered with two files; the token of
    the first, which is half answered, and its id."""
    question_set = load_questionnaires(folder).sets["bench60"]
    questions = json.dumps(snapshot(question_set))
    rng = random.Random(size)
    connection = db.session.connection()
    tokens = {}
    with click.progressbar(length=size, label=f"Sending {size:>7,} questionnaires") as bar:
        for first in range(1, size + 1, CHUNK):
            last = min(first + CHUNK - 1, size)
            requests, answers, files = [], [], []
            for rid in range(first, last + 1):
                token = hashlib.sha256(f"bench-{rid}".encode()).hexdigest()[:43]
                tokens[rid] = token
                requests.append(request_row(rid, token, questions))
                if rid % 2 == 1:
                    answers += answer_rows(rng, rid, question_set)
                    files += file_rows(rid)
            connection.execute(insert(QuestionnaireRequest.__table__), requests)
            connection.execute(insert(QuestionnaireAnswer.__table__), answers)
            connection.execute(insert(QuestionnaireFile.__table__), files)
            bar.update(last - first + 1)
    db.session.commit()
    return tokens[1], 1


def request_row(rid: int, token: str, questions: str) -> dict:
    return {
        "id": rid,
        "vendor_id": rid,
        "set_id": "bench60",
        "set_version": 1,
        "questions": json.loads(questions),
        "language": "fr" if rid % 3 == 0 else "en",
        "contact_email": f"contact{rid}@vendor.example",
        "due_on": date(2030, 1, 1),
        "token_hash": hashlib.sha256(token.encode()).hexdigest(),
        "expires_at": datetime(2030, 1, 31, tzinfo=UTC),
        "sent_at": NOW,
        "times_sent": 1,
        "opened_at": NOW,
        "saved_at": NOW,
    }


def answer_rows(rng: random.Random, rid: int, question_set) -> list[dict]:
    rows = []
    for question in question_set.questions[: QUESTIONS // 2]:
        value = {"yes_no_na": rng.choice(("yes", "no", "na")), "choice": "b"}.get(question.kind)
        value = "2027-06-30" if question.kind == "date" else value
        comment = "Reviewed each quarter by our security officer." if rng.random() < 0.5 else None
        if value or comment:
            rows.append(
                {
                    "request_id": rid,
                    "question_id": question.id,
                    "value": value,
                    "comment": comment,
                    "updated_at": NOW,
                }
            )
    return rows


def file_rows(rid: int) -> list[dict]:
    return [
        {
            "request_id": rid,
            "question_id": f"q{n}",
            "filename": f"evidence-{n}.pdf",
            "content_type": "application/pdf",
            "size": 120_000,
            "sha256": "0" * 64,
            "data": b"%PDF-1.7",
            "uploaded_at": NOW,
        }
        for n in (5, 11)
    ]


def floor(token):
    """The questionnaire by the hash of its token, and its answers: two raw queries, and the 60
    questions with their inputs in a minimal template."""
    found = db.session.execute(
        text(FLOOR_SQL[0]), {"hash": hashlib.sha256(token.encode()).hexdigest()}
    ).one()
    rows = db.session.execute(text(FLOOR_SQL[1]), {"id": found.id}).mappings()
    answers = {row["question_id"]: dict(row) for row in rows}
    questions = (
        found.questions if isinstance(found.questions, dict) else json.loads(found.questions)
    )
    return render_template_string(
        FLOOR_TEMPLATE, questions=questions["questions"], answers=answers, lang=found.language
    )


def time_page(client, url: str, log: list, repeat: int) -> dict:
    for _ in range(3):
        get(client, url)  # warm-up: compiled templates and queries
    timings, queries = [], []
    for _ in range(repeat):
        before = len(log)
        start = time.perf_counter()
        get(client, url)
        timings.append((time.perf_counter() - start) * 1000)
        queries.append(len(log) - before)
    return {"median_ms": statistics.median(timings), "queries": max(queries)}


def report(results: dict, vendors: int) -> None:
    floor_ms = results["floor"]["median_ms"]
    click.echo(
        f"\nA {QUESTIONS}-question questionnaire, {vendors:,} vendors each sent one (SQLite)"
    )
    for label, found in results.items():
        ratio = found["median_ms"] / floor_ms
        click.echo(
            f"  {label:<28} {found['median_ms']:7.1f} ms median   {ratio:4.1f}x the floor   "
            f"{found['queries']} queries"
        )
    vendor_ms = results["the vendor's page, by link"]["median_ms"]
    verdict = "PASS" if vendor_ms < TARGET_MS else "FAIL"
    click.echo(f"  target: the vendor's page under {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    cli()
