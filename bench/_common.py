"""Helpers shared by the benchmarks: Django set-up, a gunicorn server, page timings, the report.

A benchmark prints each figure as ``name = value unit``, then the targets it met or missed, and
exits 1 when it missed one. Pages are timed over HTTP against gunicorn; their queries are counted
in-process with Django's test client (the same code, without the network in the way).

A page is compared with the floor of its kind (bench/urls.py): a public page with the public
floor, a page behind login with the logged-in floor requested with the same viewer's cookies.
"""

import http.client
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
SETTINGS = "bench.settings"
PUBLIC_FLOOR_PATH = "/bench/floor"  # the public floor (bench/urls.py)
LOGGED_IN_FLOOR_PATH = "/bench/floor/logged-in"  # the logged-in floor

_temp_dirs: list[str] = []


def setup_django(settings_module: str = SETTINGS) -> str:
    """Configure Django and migrate; returns the database vendor.

    With DATABASE_URL unset the benchmark uses a new SQLite file (shared with gunicorn), removed
    at exit by ``cleanup``.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    if not os.environ.get("DATABASE_URL"):
        directory = tempfile.mkdtemp(prefix="casm-bench-")
        _temp_dirs.append(directory)
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    return connection.vendor


def cleanup() -> None:
    for directory in _temp_dirs:
        shutil.rmtree(directory, ignore_errors=True)


def refresh_statistics(models: list) -> None:
    """VACUUM ANALYZE the tables of ``models`` just filled in bulk, as autovacuum would soon after.

    Without it PostgreSQL plans the first minutes after a bulk load from empty-table statistics
    (nested loops over thousands of rows), and counts cannot use index-only scans until the
    visibility map is set: that is the seeding's artefact, not the page's cost.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100) with linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    port: int
    log_path: Path

    def get(self, path: str, cookies: dict | None = None) -> tuple[int, float, int]:
        """GET ``path``: status, seconds from connecting to the last byte, body length."""
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        return response.status, time.perf_counter() - start, len(body)


@contextmanager
def gunicorn(
    *,
    workers: int = 2,
    settings_module: str = SETTINGS,
    timeout: float = 30.0,
    ready_path: str = PUBLIC_FLOOR_PATH,
    env: dict[str, str] | None = None,
):
    """A gunicorn server of the project (with the floor view) on a free port; stopped at the end.

    It is ready when ``ready_path`` answers 200 (settings without bench/urls.py have no floor:
    ``/healthz``); ``env`` adds to the environment it inherits.
    """
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="casm-bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "casm.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "DJANGO_SETTINGS_MODULE": settings_module},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(port=port, log_path=Path(log.name))
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{server.log_path.read_text()}")
            try:
                if server.get(ready_path)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"gunicorn did not answer within {timeout}s:\n{server.log_path.read_text()}"
                )
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        log.close()
        os.unlink(log.name)


def time_pages(server: Server, pages: dict, *, requests: int, warmup: int = 5) -> dict[str, list[float]]:
    """Seconds per request of each page, ``pages`` being {name: (path, cookies)}.

    Pages are requested in turn, one request at a time, so that they share the machine's noise.
    """
    for _ in range(warmup):
        for path, cookies in pages.values():
            server.get(path, cookies)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(requests):
        for name, (path, cookies) in pages.items():
            status, seconds, _length = server.get(path, cookies)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}; see {server.log_path}")
            times[name].append(seconds)
    return times


def browser_cookies(client, path: str) -> dict[str, str]:
    """The cookies a browser of ``client``'s account sends: its session and, as after any form it
    was shown (the log-in form, for one), its CSRF cookie. ``path`` is a page that shows a form."""
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} in-process")
    sent = ("sessionid", "csrftoken")
    return {name: morsel.value for name, morsel in client.cookies.items() if name in sent}


def count_queries(client, path: str) -> int:
    """Queries one GET of ``path`` makes, in-process (after a warm-up request), the session's and
    the account's included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} in-process")
    return len(captured.captured_queries)


def report_floors(report, times: dict[str, list[float]], queries: dict[str, int]) -> dict[str, float]:
    """Print both floors (``public_floor`` and ``logged_in_floor`` in ``times``); their medians in ms."""
    medians = {}
    for name in ("public_floor", "logged_in_floor"):
        medians[name] = percentile(times[name], 50) * 1000
        report.figure(f"{name}_median_ms", medians[name], "ms")
        report.figure(f"{name}_p95_ms", percentile(times[name], 95) * 1000, "ms")
        report.figure(f"{name}_queries", queries[name], "queries")
    return medians


@dataclass
class Report:
    """Figures printed as they come (``name = value unit``), then the targets met or missed."""

    targets: list[tuple[bool, str]] = field(default_factory=list)

    def figure(self, name: str, value, unit: str = "") -> None:
        if isinstance(value, float):
            value = f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
        print(f"{name} = {value} {unit}".rstrip(), flush=True)

    def target(self, ok: bool, description: str) -> None:
        self.targets.append((ok, description))

    def finish(self) -> int:
        print()
        for ok, description in self.targets:
            print(f"{'met' if ok else 'MISSED'}: {description}")
        missed = sum(1 for ok, _description in self.targets if not ok)
        print(f"targets met: {len(self.targets) - missed} of {len(self.targets)}")
        return 1 if missed else 0
