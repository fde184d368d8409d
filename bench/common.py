"""What the benchmarks share: weighted picks, counting statements, fetching a page."""

import random
from contextlib import contextmanager

import click
from sqlalchemy import Engine, event


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
