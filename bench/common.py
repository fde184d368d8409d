"""What the benchmarks share: weighted picks, counting statements, fetching a page."""

import random
from contextlib import contextmanager

import click
from sqlalchemy import Engine, event


def owner_rows(count: int, created_at) -> list[dict]:
    """Rows of the users table for `count` vendor owners, for a Core bulk insert."""
    return [
        {
            "email": f"owner{n}@example.org",
            "name": f"Owner {n}",
            "role": "owner",
            "language": "en",
            "active": True,
            "created_at": created_at,
        }
        for n in range(1, count + 1)
    ]


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@contextmanager
def count_queries(engine: Engine):
    """Record every statement (and its parameters) the engine sends while the block runs."""
    log: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        log.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", record)


def get(client, url: str) -> str:
    response = client.get(url)
    if response.status_code != 200:
        raise click.ClickException(f"{url} answered {response.status_code}")
    return response.text
