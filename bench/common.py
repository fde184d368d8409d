"""What the benchmarks share: weighted picks, counting statements, fetching a page, percentiles;
and for the load test, reading a page's forms as a browser would submit them, a small HTTP
client with its own cookies, the production server on loopback, and the CPU processes used."""

import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

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


def percentiles(values: list[float], *points: int) -> list[float]:
    """The given percentiles (e.g. 50, 95, 99) of the values, interpolated; NaN when empty."""
    if not values:
        return [float("nan")] * len(points)
    if len(values) == 1:
        return [values[0]] * len(points)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return [cuts[p - 1] for p in points]


class FormFields(HTMLParser):
    """What a browser would submit for each <form method="post"> of a page, before the button.

    Text, hidden and date inputs give their value, ticked checkboxes theirs, a select its selected
    option or else its first one; buttons are left to the caller (the one the person clicks).
    Enough for VendorTrack's forms (no textarea, every option has a value), not for any page.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._in_form = False
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.forms.append([])
            self._in_form = True
        elif not self._in_form:
            return
        elif tag == "input" and "name" in a:
            kind = a.get("type", "text")
            box = kind in ("checkbox", "radio")
            if kind not in ("submit", "button", "file", "image", "reset") and (
                not box or "checked" in a
            ):
                self.forms[-1].append((a["name"], a.get("value", "on" if box else "")))
        elif tag == "select" and "name" in a:
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None and self._in_form:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _ in self._options[:1]
            ]
            self.forms[-1] += [(self._select, value) for value in chosen]
            self._select = None


def post_form(html: str, having: str) -> list[tuple[str, str]] | None:
    """The fields of the page's first post form that has a field named `having`, or None."""
    parser = FormFields()
    parser.feed(html)
    return next((form for form in parser.forms if any(n == having for n, _ in form)), None)


# --- a small browser, for load tests: one connection, its cookies, every request recorded -------

# 'strong' session protection ties a session to its browser: each client keeps this one.
USER_AGENT = "vendortrack-bench/1"


class Budget:
    """The hard cap on requests, shared by every client thread."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.used >= self.limit:
                return False
            self.used += 1
            return True


class Exhausted(Exception):
    """The hard cap on requests is reached."""


@dataclass
class Response:
    status: int
    location: str
    body: str


@dataclass
class Client:
    """One browser: its own connection, and its session cookie sent by hand (production marks it
    Secure, so an http:// cookie jar would keep it back)."""

    port: int
    timeout: float
    budget: Budget
    cookies: dict[str, str] = field(default_factory=dict)
    # (kind, start on the perf_counter clock, seconds, error or None)
    records: list[tuple[str, float, float, str | None]] = field(default_factory=list)
    addenda: list[int] = field(default_factory=list)  # ids of the addenda it generated

    def __post_init__(self):
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def request(self, kind, method, path, form=None, expect=200, to=None) -> Response | None:
        """Send one request; record its time, and an error unless the status (and for a redirect
        the target path, a regular expression) is the one expected. None on an error."""
        if not self.budget.take():
            raise Exhausted
        headers = {
            "User-Agent": USER_AGENT,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body, headers)
            answer = self.connection.getresponse()
            response = Response(
                answer.status, answer.getheader("Location", ""), answer.read().decode()
            )
        except TimeoutError:
            return self.failed(kind, start, "timeout")
        except (OSError, http.client.HTTPException) as error:
            return self.failed(kind, start, f"connection error ({type(error).__name__})")
        seconds = time.perf_counter() - start
        self.keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        error = unexpected(response, expect, to)
        self.records.append((kind, start, seconds, error))
        return None if error else response

    def failed(self, kind: str, start: float, error: str) -> None:
        self.connection.close()  # a fresh connection for the next request
        self.records.append((kind, start, time.perf_counter() - start, error))

    def keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                if expired or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def unexpected(response: Response, expect: int, to: str | None) -> str | None:
    """What is wrong with the response, or None: a status other than expected, or a redirect
    elsewhere (to the sign-in page when the session was lost)."""
    target = urlsplit(response.location).path
    if response.status != expect:
        return f"{response.status}" + (f" to {target}" if 300 <= response.status < 400 else "")
    if to is not None and not re.fullmatch(to, target):
        return f"{response.status} to {target}"
    return None


# --- the production command on loopback ------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def cpu_seconds(self) -> float:
        """CPU used so far by gunicorn's master and workers (Linux's /proc)."""
        pids = [self.process.pid, *children(self.process.pid)]
        return sum(process_cpu(pid) for pid in pids)


@contextmanager
def gunicorn(workers: int, env: dict[str, str], folder: Path, log_path: Path) -> Iterator[Server]:
    """VendorTrack's production command, run in `folder` on a free loopback port, its output in
    `log_path`; stopped (and killed if need be) afterwards, whatever happens."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        *("-w", str(workers), "-b", f"127.0.0.1:{port}"),
        # Gunicorn 27 opens a control socket at one fixed path under the home folder by default;
        # another gunicorn on this machine (a test, a second run) would fight over it.
        "--no-control-socket",
        "vendortrack:create_app()",
    ]
    with log_path.open("w") as log:
        # Its own session: a Ctrl-C in the terminal reaches the bench, which stops it in order.
        process = subprocess.Popen(
            command,
            env=env,
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_serving(process, port, log_path)
            yield Server(process, port)
        finally:
            stop(process)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(process: subprocess.Popen, port: int, log_path: Path) -> None:
    """Wait for the sign-in page, and check that production settings are in force (HSTS)."""
    deadline, answer = time.monotonic() + 60, "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise click.ClickException(
                f"gunicorn exited with code {process.returncode}:\n{tail(log_path.read_text())}"
            )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/login")
            response = connection.getresponse()
            answer = f"{response.status} {response.getheader('Location', '')}"
            if response.status == 200:
                if not response.getheader("Strict-Transport-Security"):
                    raise click.ClickException("the server does not run in production settings")
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise click.ClickException(f"gunicorn did not serve /login ({answer}); see {log_path}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL to its whole process group."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def tail(text_: str, lines: int = 15) -> str:
    return "\n".join(text_.strip().splitlines()[-lines:])


# --- CPU used, from Linux's /proc -------------------------------------------------------------


def process_cpu(pid: int) -> float:
    """User and system CPU seconds of one process, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rpartition(")")[2].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return found


def machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine (every core, every process)."""
    first = Path("/proc/stat").read_text().split("\n", 1)[0]
    values = [int(v) for v in first.split()[1:9]]  # user .. steal; guest time is in user already
    idle = values[3] + values[4]  # idle and iowait
    return sum(values) - idle, sum(values)


def judge_register(size: int) -> float:
    """Store every vendor's compliance status, as `flask compliance refresh` does after a bulk
    load that went around the app's session; print and return the seconds it took."""
    from vendortrack.compliance.stored import judge_everyone
    from vendortrack.extensions import db
    from vendortrack.i18n import local_today

    started = time.perf_counter()
    with click.progressbar(length=size, label=f"Judging {size:>7,} vendors") as bar:
        judge_everyone(local_today(), progress=bar.update)
    db.session.commit()
    seconds = time.perf_counter() - started
    click.echo(f"  stored compliance for {size:,} vendors in {seconds:.1f} s")
    return seconds


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@contextmanager
def postgres_database(name: str, script: str) -> Iterator[str]:
    """A fresh database `name` on the throw-away server of tests/with-postgres (loopback only);
    yields its URL and drops it afterwards. `script`: the command to tell the user to run."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    server = os.environ.get("VENDORTRACK_TEST_DATABASE_URL")
    if not server:
        raise click.ClickException(f"PostgreSQL needs a server: run  tests/with-postgres {script}")
    url = make_url(server)
    if url.host not in LOOPBACK:
        raise click.ClickException(f"the benchmarks run on loopback only, not on {url.host}")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        engine.dispose()
