"""A real Celery worker in a subprocess, for the tests that need one (Redis broker, PostgreSQL).

The worker runs in a process group of its own (its main process and, with the prefork pool, its
pool processes), so a test can signal the whole group as an init system or a container runtime
would (``Worker.kill``) and start it again on the same queue (``Worker.start``).
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
READY = "ready."


def database_url() -> str:
    """The URL of the test database pytest-django created, for a process that is not this one."""
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def redis_reachable() -> bool:
    url = urlparse(settings.REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=2):
            return True
    except OSError:
        return False


@dataclass
class Worker:
    """A worker on a queue of its own; it can be killed and started again on that queue.

    Every start appends to the same log, after a ``---- start N ----`` line.
    """

    queue: str
    log_path: Path
    command: list[str] = field(default_factory=list, repr=False)
    env: dict = field(default_factory=dict, repr=False)
    process: subprocess.Popen | None = field(default=None, repr=False)
    starts: int = 0

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 30.0) -> None:
        """Start the worker (again) and wait until it consumes its queue."""
        if self.running:
            raise RuntimeError("the worker is already running")
        ready_before = self.log().count(READY)
        self.starts += 1
        with self.log_path.open("a") as log:
            log.write(f"\n---- start {self.starts} ----\n")
            log.flush()
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: see send_signal()
            )
        _wait_ready(self.process, self.log_path, timeout, ready_before)

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the worker's whole process group (its main process and its pool)."""
        if not self.running:
            raise RuntimeError("the worker is not running")
        os.killpg(self.process.pid, signum)

    def wait_stopped(self, timeout: float = 30.0) -> int:
        """Wait until every process of the worker is gone; return the main process's exit status.

        A negative status is the signal that ended it.
        """
        process = self.process
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the worker did not stop within {timeout}s:\n{self.log()}") from None
        deadline = time.monotonic() + timeout
        while _group_alive(process.pid):
            if time.monotonic() > deadline:
                raise AssertionError(f"the worker's pool outlived its main process by {timeout}s")
            time.sleep(0.05)
        return returncode

    def kill(self, signum: int = signal.SIGKILL, timeout: float = 30.0) -> int:
        """Signal the whole process group and wait until it is gone (``send_signal``, ``wait_stopped``)."""
        self.send_signal(signum)
        return self.wait_stopped(timeout)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


@contextmanager
def celery_worker(
    *,
    settings_module: str = "casm.settings.test",
    timeout: float = 30.0,
    pool: str = "solo",
    concurrency: int = 1,
    env: dict | None = None,
):
    """Start a worker on a queue of its own; yield it (queue name, log, kill and start); stop it at the end.

    The worker consumes only its own queue, so it cannot take the tasks of another test run or
    of a developer's worker sharing the same Redis, and nobody else takes its tasks. The caller
    sends tasks there (``apply_async(queue=...)``, or ``task_default_queue``: see ``use_queue``);
    the worker's own ``delay()`` calls (a service waking the outbox sender, a task handing over)
    go there too (``CELERY_TASK_DEFAULT_QUEUE`` in its environment, read by the test settings).
    ``env`` adds to the worker's environment (``OUTBOX_LEASE_SECONDS`` …); ``pool`` and
    ``concurrency`` choose its pool (``solo``: the tasks run in the main process).
    """
    queue = f"casm-test-{uuid.uuid4().hex[:12]}"
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    log.close()
    command = [
        str(CELERY),
        "-A",
        "casm",
        "worker",
        f"--pool={pool}",
        f"--concurrency={concurrency}",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    worker = Worker(queue=queue, log_path=Path(log.name), command=command, env=worker_env)
    try:
        worker.start(timeout=timeout)
        yield worker
    finally:
        worker.stop()
        _forget_queue(queue)


def _wait_ready(process: subprocess.Popen, log: Path, timeout: float, ready_before: int = 0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited ({process.returncode}):\n{log.read_text()}")
        if log.read_text(errors="replace").count(READY) > ready_before:
            return
        time.sleep(0.1)
    raise RuntimeError(f"the Celery worker was not ready within {timeout}s:\n{log.read_text()}")


def _group_alive(pgid: int) -> bool:
    """Is a live (not zombie) process left in the process group ``pgid``?"""
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: ask the kernel (a zombie counts as alive there)
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        # pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so split after the last ")".
        fields = text[text.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    # Warm shutdown first (finishes the current task), then make sure.
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def _forget_queue(queue: str) -> None:
    """Drop what is left of ``queue`` on the broker: its waiting tasks, and those a killed worker held.

    Nobody consumes the queue after the test; without this, tasks a killed worker never
    acknowledged would be put back on it by some other worker sharing the Redis database.
    """
    try:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        for tag, raw in client.hscan_iter("unacked"):
            try:
                _message, _exchange, routing_key = json.loads(raw)
            except (ValueError, TypeError):
                continue
            if routing_key == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    except Exception:  # clean-up only: never fail a test here
        pass


@contextmanager
def use_queue(queue: str):
    """Tasks sent with ``delay()`` in this block go to ``queue`` (the services call ``delay()``)."""
    from casm.celery import app

    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield
    finally:
        app.conf.task_default_queue = previous


def wait_until(condition, *, timeout: float = 30.0, interval: float = 0.25, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(message or f"condition not met within {timeout}s")
