"""Mail benchmark: one publication notice fanned out to N members, delivered by two real Celery workers.

    python bench/mail.py            # 20,000 members
    python bench/mail.py --quick    # 1,000 members, small enough for CI (10-30 seconds)

It needs PostgreSQL (DATABASE_URL, default the CI's bench database) and Redis (REDIS_URL for the
broker, default redis://127.0.0.1:6379/9; REDIS_CACHE_URL for the cache the workers share their
rate limit through, default redis://127.0.0.1:6379/10):

    createdb -h 127.0.0.1 -U postgres casm_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/casm_bench
    .venv/bin/python bench/mail.py

What it does
    Seeds N active members (addresses @bench-mail.invalid) invited to a new published consultation
    (a fresh one each run; what an earlier run left, its own rows only, is removed first), starts
    an SMTP sink (aiosmtpd, in this process) that counts the messages each address receives, and
    two Celery worker processes (``celery -A casm worker``) consuming a queue of this run's own on
    Redis, with the settings of bench/_mail_settings.py (this process uses the same). Then it
    triggers the fan-out as publishing does, ``publication_notices_enqueue``: one task per batch of
    500 members writes their claims and outbox messages in one transaction and wakes the outbox
    sender, which delivers over one SMTP connection per batch and marks each message sent as soon
    as the sink accepted it.

What it prints
    ``fan_out_seconds``: from the trigger until every claim and message is written;
    ``outbox_empty_seconds``: from the trigger until no message is pending in the outbox and every
    member's message is in the sink; ``messages_per_second``: N over that time; ``missing`` and
    ``duplicated``: members who received no message, and messages received beyond one per member
    (both must be 0: no worker is killed here). The rate limit (``OUTBOX_RATE_LIMIT``) is set far
    above the target so that it is not the bottleneck, but still applied (its Redis calls included).
    Then where the CPU went meanwhile, per message: the workers, the PostgreSQL backends of the
    database, the Redis server, this process (mostly the sink); and how busy the machine was, with
    the CPU time of everything else on it (``other_cpu_seconds``): on a shared machine the rate is
    the share of two cores the benchmark got, and these say how large that share was.

Workers
    Two workers of the prefork pool with two children each (``--pool``, ``--concurrency``), which
    is what ``celery worker`` starts by default on a 2-core machine. A sender spends most of each
    message waiting (the SMTP server's answers, the rate limit's Redis calls, the commit of its
    "sent" mark), so one child per core leaves the cores idle part of the time. Measured with 4,000
    members, runs interleaved: two children per worker delivered 13-39 % more than one; four did no
    better than two and cost more CPU per message.

The database must hold no pending outbox message other than the benchmark's: the workers would
deliver it to the sink. It refuses to run then.
"""

import argparse
import asyncio
import datetime
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import BIN, ROOT, Report, cleanup, free_port, refresh_statistics, setup_django  # noqa: E402
from bench._seed import active_memberships_create  # noqa: E402

SETTINGS = "bench._mail_settings"
DOMAIN = "@bench-mail.invalid"
PREFIX = "bench-mail"
LANGUAGES = ["en", "fr", "es", "pt"]
RATE_TARGET = 250.0  # messages per second, on a 2-core machine
RATE_LIMIT = 100_000  # OUTBOX_RATE_LIMIT for the run: applied, never reached
STALL_SECONDS = 60.0  # give up waiting when nothing moved for this long
POLL_SECONDS = 0.1


# ---------------------------------------------------------------- the SMTP sink


class _CountingHandler:
    """Counts the messages each recipient receives (from the envelope: no parsing in the way)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: Counter = Counter()
        self.first_at: float | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            if self.first_at is None:
                self.first_at = time.perf_counter()
            for recipient in envelope.rcpt_tos:
                self.received[recipient.lower()] += 1
        return "250 Message accepted"

    def counts(self) -> Counter:
        with self.lock:
            return Counter(self.received)

    def total(self) -> int:
        with self.lock:
            return sum(self.received.values())


@contextmanager
def smtp_sink():
    """An aiosmtpd server on 127.0.0.1 (a thread of this process); yields (handler, port)."""
    from aiosmtpd.controller import Controller

    handler = _CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop())
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


# ---------------------------------------------------------------- the workers


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _start_worker(name: str, queue: str, *, pool: str, concurrency: int) -> Worker:
    log = tempfile.NamedTemporaryFile(prefix=f"casm-bench-{name}-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "casm",
            "worker",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "-Q",
            queue,
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    return Worker(name=name, process=process, log_path=Path(log.name))


def _stop_workers(workers: list[Worker]) -> None:
    """SIGTERM to each worker's process group (the worker and its children) at once; SIGKILL after 20 s."""
    running = [worker for worker in workers if worker.process.poll() is None]
    for worker in running:
        os.killpg(worker.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for worker in running:
        try:
            worker.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait(timeout=5)
    for worker in workers:
        worker.log_path.unlink(missing_ok=True)


@contextmanager
def celery_workers(queue: str, *, count: int, pool: str, concurrency: int, timeout: float = 60.0):
    """``count`` worker processes on ``queue``, ready when yielded, stopped at the end (also on error)."""
    workers: list[Worker] = []
    try:
        for index in range(count):
            workers.append(_start_worker(f"{queue}-{index + 1}", queue, pool=pool, concurrency=concurrency))
        deadline = time.monotonic() + timeout
        for worker in workers:
            while "ready." not in worker.log():
                if worker.process.poll() is not None:
                    raise RuntimeError(f"worker {worker.name} exited:\n{worker.log()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"worker {worker.name} was not ready within {timeout}s:\n{worker.log()}"
                    )
                time.sleep(0.1)
        yield workers
    finally:
        _stop_workers(workers)


def _broker(url: str):
    """A Redis client of the broker's database; refuses to go on when Redis does not answer."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as error:
        raise SystemExit(f"Redis at {url} does not answer ({error}): set REDIS_URL") from error
    return client


def _forget_queue(client, queue: str) -> None:
    """Remove this run's queue (its lists and kombu's bindings of it) from the broker's Redis database."""
    import redis

    try:
        keys = list(client.scan_iter(match=f"*{queue}*"))  # the name is this run's own (a uuid)
        if keys:
            client.delete(*keys)
    except redis.RedisError as error:
        print(f"# the queue {queue} could not be removed from Redis: {error}")
    finally:
        client.close()


# ---------------------------------------------------------------- where the CPU went (Linux /proc)

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _processes() -> dict[int, tuple[int, float, str]]:
    """pid → (parent pid, CPU seconds so far, command line) of every process (empty without /proc)."""
    table = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS, command)
    return table


def _machine_busy() -> tuple[float, float]:
    """CPU seconds of the whole machine so far: (busy, total), all cores and all processes."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values) - idle) / _TICKS, sum(values) / _TICKS


@dataclass
class CpuSample:
    """CPU seconds used so far: by the workers (with their children), the PostgreSQL backends of the
    database, the Redis server (shared with anyone else using it), this process (the sink and the
    polling), and the whole machine (busy and in all, every core and process)."""

    workers: float
    postgres: float
    redis: float
    bench: float
    machine_busy: float
    machine_total: float

    @classmethod
    def take(cls, workers: list, database: str) -> "CpuSample":
        table = _processes()
        roots = {worker.process.pid for worker in workers}
        worker_cpu = 0.0
        for pid, (_parent, seconds, _command) in table.items():
            ancestor, seen = pid, 0
            while ancestor and ancestor not in roots and seen < 20:
                ancestor, seen = table.get(ancestor, (0, 0.0, ""))[0], seen + 1
            if ancestor in roots:
                worker_cpu += seconds
        postgres = sum(
            seconds
            for _parent, seconds, command in table.values()
            if command.startswith("postgres: ") and f" {database} " in command
        )
        redis = sum(seconds for _p, seconds, command in table.values() if command.startswith("redis-server"))
        busy, total = _machine_busy()
        return cls(worker_cpu, postgres, redis, time.process_time(), busy, total)

    def __sub__(self, other: "CpuSample") -> "CpuSample":
        return CpuSample(*(getattr(self, f.name) - getattr(other, f.name) for f in fields(self)))


# ---------------------------------------------------------------- the benchmark's own rows


def _bench_consultations():
    from governance.consultations.models import Consultation

    return Consultation.objects.filter(slug__startswith=PREFIX)


def _bench_notice_keys() -> list[str]:
    from governance.consultations.notices import notice_of

    keys = []
    for consultation in _bench_consultations():
        arguments = notice_of(consultation, "consultations.published")
        keys.append(f"{arguments['kind']}:{arguments['scope']}")
    return keys


def clear_bench_rows() -> None:
    """Remove what an earlier run left (only this benchmark's rows), without signals or history."""
    from casm.outbox.models import Message, Notice
    from governance.consultations.models import Consultation, PublicationNoticeSent
    from network.models import Member, Membership

    notice_keys = _bench_notice_keys()
    members = Member.objects.filter(email__endswith=DOMAIN)
    for queryset in (
        PublicationNoticeSent.objects.filter(consultation__slug__startswith=PREFIX),
        Message.objects.filter(notice__key__in=notice_keys),
        Notice.objects.filter(key__in=notice_keys),
        Consultation.invitees.through.objects.filter(consultation__slug__startswith=PREFIX),
        Consultation.history.model.objects.filter(slug__startswith=PREFIX),
        _bench_consultations(),
        Membership.objects.filter(member__email__endswith=DOMAIN),
        members,
    ):
        queryset._raw_delete(queryset.db)


def seed(count: int) -> tuple:
    """``count`` active members invited to a new published consultation (no sections: the notice needs
    none), in bulk; returns it and the members' addresses."""
    from django.utils import timezone

    from governance.consultations.models import Consultation
    from network.models import Chamber, Member, Sector

    chamber, _created = Chamber.objects.get_or_create(
        code=f"{PREFIX}-chamber", defaults={"name": "Bench mail chamber", "order": 95}
    )
    sector, _created = Sector.objects.get_or_create(
        code=f"{PREFIX}-sector", defaults={"name": "Bench mail sector", "chamber": chamber, "order": 95}
    )
    now = timezone.now()
    today = timezone.localdate()
    run = uuid.uuid4().hex[:8]
    consultation = Consultation.objects.create(
        slug=f"{PREFIX}-{run}",
        title=f"Bench mail consultation {run}",
        introduction="Which options do you prefer, and why?",
        audience=Consultation.Audience.INVITEES,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=30),
        time_zone="Africa/Accra",
        reminder_offsets=[7, 1],
        is_published=True,
    )
    addresses = []
    through = Consultation.invitees.through
    for start in range(0, count, 2000):
        members = [
            Member(
                full_name=f"Notified Person {n}",
                email=f"notified{n}{DOMAIN}",
                country="GH",
                sector=sector,
                languages=[LANGUAGES[n % len(LANGUAGES)]],
                is_fictional=True,
            )
            for n in range(start, min(count, start + 2000))
        ]
        Member.objects.bulk_create(members, batch_size=2000)
        active_memberships_create(members, now=now, today=today)
        through.objects.bulk_create(
            [through(consultation_id=consultation.pk, member_id=member.pk) for member in members],
            batch_size=2000,
        )
        addresses.extend(member.email.lower() for member in members)
    return consultation, addresses


def seeded_models() -> list:
    from governance.consultations.models import Consultation
    from network.models import Member, Membership

    return [Member, Membership, Consultation.invitees.through]


# ---------------------------------------------------------------- the run


@dataclass
class Timeline:
    fan_out_seconds: float | None = None
    first_delivery_seconds: float | None = None
    outbox_empty_seconds: float | None = None
    claims: int = 0
    pending: int = 0
    received: int = 0


def watch(
    consultation, expected: int, sink: _CountingHandler, workers: list[Worker], start: float
) -> Timeline:
    """Poll until every claim is written, nothing is pending and the sink holds ``expected`` messages."""
    from casm.outbox.models import Message
    from governance.consultations.models import PublicationNoticeSent

    timeline = Timeline()
    last_change, last_state = time.perf_counter(), None
    while True:
        now = time.perf_counter()
        claims = PublicationNoticeSent.objects.filter(consultation=consultation).count()
        pending = Message.objects.filter(status=Message.Status.PENDING).count()
        received = sink.total()
        timeline.claims, timeline.pending, timeline.received = claims, pending, received
        if timeline.fan_out_seconds is None and claims >= expected:
            timeline.fan_out_seconds = now - start
        if claims >= expected and pending == 0 and received >= expected:
            timeline.outbox_empty_seconds = now - start
            break
        state = (claims, pending, received)
        if state != last_state:
            last_change, last_state = now, state
        elif now - last_change > STALL_SECONDS:
            print(
                f"# nothing moved for {STALL_SECONDS:.0f} s: {claims:,} claims, {pending:,} pending, "
                f"{received:,} received; giving up"
            )
            break
        for worker in workers:
            if worker.process.poll() is not None:
                raise RuntimeError(f"worker {worker.name} exited:\n{worker.log()}")
        time.sleep(POLL_SECONDS)
    if sink.first_at is not None:
        timeline.first_delivery_seconds = sink.first_at - start
    return timeline


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a small run for CI")
    parser.add_argument(
        "--members", type=int, help="members told of the publication (default 20,000; quick 1,000)"
    )
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (default 2)")
    parser.add_argument("--pool", default="prefork", help="their pool (default prefork)")
    parser.add_argument(
        "--concurrency", type=int, default=2, help="children (or threads) per worker (default 2)"
    )
    parser.add_argument("--keep", action="store_true", help="leave the seeded rows in place at the end")
    args = parser.parse_args(argv)
    count = args.members or (1_000 if args.quick else 20_000)

    # Terminated (a CI timeout, kill): unwind as on an error, so that the workers and the sink stop.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casm_bench")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
    os.environ.setdefault("REDIS_CACHE_URL", "redis://127.0.0.1:6379/10")
    os.environ["OUTBOX_RATE_LIMIT"] = str(RATE_LIMIT)
    os.environ["BENCH_MAIL_QUEUE"] = queue = f"casm-bench-mail-{uuid.uuid4().hex[:12]}"
    try:
        with ExitStack() as stack:
            sink, port = stack.enter_context(smtp_sink())
            os.environ["EMAIL_HOST"], os.environ["EMAIL_PORT"] = "127.0.0.1", str(port)
            vendor = setup_django(SETTINGS)
            if vendor != "postgresql":
                raise SystemExit("bench/mail.py needs PostgreSQL: set DATABASE_URL")
            stack.callback(_forget_queue, _broker(os.environ["REDIS_URL"]), queue)
            return run(stack, sink, queue, count=count, args=args)
    finally:
        cleanup()


def run(stack: ExitStack, sink: _CountingHandler, queue: str, *, count: int, args) -> int:
    from django.conf import settings
    from django.db import connection

    from casm.outbox.models import Message
    from governance.consultations.services.publication import publication_notices_enqueue

    report = Report()
    print(
        f"# mail benchmark on postgresql: a publication notice to {count:,} members, {args.workers} workers "
        f"({args.pool}, concurrency {args.concurrency}), SMTP sink on port {settings.EMAIL_PORT}"
    )
    clear_bench_rows()
    others = Message.objects.filter(status=Message.Status.PENDING).count()
    if others:
        raise SystemExit(
            f"the outbox of this database holds {others:,} pending messages that are not the benchmark's; "
            "the workers would deliver them to the sink: use a database of its own"
        )
    start = time.perf_counter()
    consultation, addresses = seed(count)
    refresh_statistics(seeded_models())
    report.figure("seed_seconds", time.perf_counter() - start, "s")
    report.figure("outbox_rate_limit", settings.OUTBOX_RATE_LIMIT, "messages/s")
    report.figure("outbox_batch_size", settings.OUTBOX_BATCH_SIZE, "messages")
    if not args.keep:
        stack.callback(clear_bench_rows)

    workers = stack.enter_context(
        celery_workers(queue, count=args.workers, pool=args.pool, concurrency=args.concurrency)
    )
    database = connection.settings_dict["NAME"]
    print("# load average before the trigger: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    cpu_before = CpuSample.take(workers, database)
    start = time.perf_counter()
    queued = publication_notices_enqueue(consultation_id=consultation.pk)  # what publishing does
    timeline = watch(consultation, queued, sink, workers, start)
    cpu = CpuSample.take(workers, database) - cpu_before
    time.sleep(1.0)  # a late duplicate would arrive now (none should: no worker was killed)

    received = sink.counts()
    missing = sum(1 for address in addresses if received[address] == 0)
    duplicated = sum(received[address] - 1 for address in addresses if received[address] > 1)
    strangers = sum(n for address, n in received.items() if not address.endswith(DOMAIN))
    statuses = Counter(
        Message.objects.filter(notice__key__in=_bench_notice_keys()).values_list("status", flat=True)
    )
    elapsed = timeline.outbox_empty_seconds
    rate = count / elapsed if elapsed else 0.0

    report.figure("messages", queued, "messages")
    report.figure("fan_out_seconds", timeline.fan_out_seconds or float("nan"), "s")
    report.figure("first_delivery_seconds", timeline.first_delivery_seconds or float("nan"), "s")
    report.figure("outbox_empty_seconds", elapsed or float("nan"), "s")
    report.figure("messages_per_second", round(rate), "messages/s")
    report.figure("missing", missing, "messages")
    report.figure("duplicated", duplicated, "messages")
    report.figure("messages_sent", statuses[Message.Status.SENT], "messages")
    report.figure("messages_failed", statuses[Message.Status.FAILED], "messages")
    if strangers:
        report.figure("other_messages_received", strangers, "messages")
    # Where the CPU went while the outbox emptied (CpuSample).
    per_message = 1000 / max(1, queued)
    report.figure("worker_cpu_ms_per_message", cpu.workers * per_message, "ms")
    report.figure("postgres_cpu_ms_per_message", cpu.postgres * per_message, "ms")
    report.figure("redis_cpu_ms_per_message", cpu.redis * per_message, "ms")
    report.figure("sink_cpu_ms_per_message", cpu.bench * per_message, "ms")
    if cpu.machine_total:
        report.figure("machine_busy_percent", round(100 * cpu.machine_busy / cpu.machine_total), "%")
        others = cpu.machine_busy - cpu.workers - cpu.postgres - cpu.redis - cpu.bench
        report.figure("other_cpu_seconds", max(0.0, others), "s")  # the kernel, other work on the machine

    report.target(queued == count, f"fan-out queued {queued:,} of {count:,} members")
    report.target(
        rate >= RATE_TARGET,
        f"{rate:.0f} messages per second ≥ {RATE_TARGET:.0f} ({count:,} messages, outbox empty in "
        + (f"{elapsed:.1f} s)" if elapsed else "never)"),
    )
    report.target(missing == 0, f"missing {missing} (must be 0)")
    report.target(duplicated == 0, f"duplicated {duplicated} (must be 0)")
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
