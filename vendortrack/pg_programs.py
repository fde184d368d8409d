"""Running PostgreSQL's client programs (pg_dump, pg_restore) on a SQLAlchemy URL's database."""

import glob
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import URL


class ProgramError(RuntimeError):
    """A program that is missing or failed; the message carries what it said."""


def pg_program(name: str) -> str:
    """The path of pg_dump or pg_restore: on PATH, else the newest in Debian's folders."""
    found = shutil.which(name)
    if found:
        return found
    installed = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    installed.sort(key=lambda path: _version(Path(path).parent.parent.name), reverse=True)
    if installed:
        return installed[0]
    raise ProgramError(
        f"{name} is not installed. Install PostgreSQL's client programs, in the server's version "
        "or newer (Debian and Ubuntu: apt install postgresql-client)."
    )


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name))


def libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the URL, and the environment to run a program in.

    The password goes in PGPASSWORD: a command line is readable by every user of the machine.
    """
    params: dict[str, object] = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "dbname": url.database,
    }
    for key, value in url.query.items():  # sslmode, host=/socket/dir ... as psycopg reads them
        params[key] = value[-1] if isinstance(value, tuple) else value
    conninfo = " ".join(
        f"{key}={_quoted(str(value))}" for key, value in params.items() if value not in (None, "")
    )
    environment = _environment()
    if url.password:
        environment["PGPASSWORD"] = url.password
    return conninfo, environment


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _environment() -> dict[str, str]:
    return {**os.environ, "LC_MESSAGES": "C"}  # English messages, which we read for progress


def run_pg(
    command: list[str],
    environment: dict[str, str],
    step: str,
    total: int,
    progress: Callable[[int, int], None],
) -> None:
    """Run pg_dump or pg_restore --verbose, reporting each line that says a table is done."""
    with subprocess.Popen(
        command,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    ) as process:
        messages = _follow(process, step, total, progress)
    if process.returncode != 0:
        raise ProgramError(_failure(command, messages))


def _follow(process: subprocess.Popen, step: str, total: int, progress) -> list[str]:
    done, messages = 0, []
    try:
        for line in process.stderr:
            messages.append(line.rstrip())
            if step in line:
                done += 1
                progress(min(done, total), total)
    except BaseException:
        # Ctrl-C, or anything else stopping us: the program must not go on alone (a
        # pg_restore that is killed commits nothing).
        process.kill()
        raise
    return messages


def pg_output(command: list[str]) -> list[str]:
    """The lines a program that only reads (pg_restore --list) prints."""
    done = subprocess.run(
        command, env=_environment(), capture_output=True, text=True, errors="replace", check=False
    )
    if done.returncode != 0:
        raise ProgramError(_failure(command, done.stderr.splitlines()))
    return done.stdout.splitlines()


def _failure(command: list[str], messages: list[str]) -> str:
    errors = [m for m in messages if "error" in m.lower()] or messages[-3:]
    return f"{Path(command[0]).name} failed: " + " / ".join(errors[-3:])
