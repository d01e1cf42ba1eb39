"""Fan-outs and the outbox through a real worker that is killed (SIGKILL) or stopped (SIGTERM) mid-way.

A real Celery worker (prefork pool, one pool process, so a kill interrupts at most one task) on
Redis, against PostgreSQL, tells 1,000 members of a consultation and sends the mail over SMTP to
the test's sink, which counts the messages per recipient. The test signals the worker's whole
process group (the main process and its pool, as systemd's default KillMode or ``kill -- -PGID``
do), starts it again, then does what beat would do next: it sends the periodic tasks to the
worker's queue once the dead sender's leases have expired (``OUTBOX_LEASE_SECONDS`` is 3 here).

SIGKILL: every member gets the mail, and a duplicate only where a kill fell between the SMTP
server's acceptance of a message and its mark as sent: no more duplicates than kills.
SIGTERM: a warm shutdown; running tasks finish (or hand over), none is acknowledged as failed,
every member gets the mail exactly once.

Run with DATABASE_URL (PostgreSQL) and REDIS_URL set; ``-s`` shows the figures (kills, duplicates,
times): .venv/bin/pytest tests/casm/outbox/test_worker_crashes.py -s
"""

import datetime
import re
import signal
import threading
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from casm.outbox.models import Message
from casm.outbox.tasks import outbox_send_task
from casm.testing import need
from governance.consultations.models import Consultation, PublicationNoticeSent, ReminderSent
from governance.consultations.services import consultations as builder
from governance.consultations.services import reminders
from governance.consultations.tasks import reminders_run_due_task
from network.models import Member, Membership
from tests.governance.consultations.factories import ConsultationFactory, SectionFactory
from tests.network.factories import SectorFactory, UserFactory
from tests.network.worker import celery_worker, database_url, redis_reachable, use_queue, wait_until

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

MEMBERS = 1000
LEASE_SECONDS = 3
VISIBILITY_SECONDS = 5
DAY = datetime.timedelta(days=1)
# The worker's settings: short leases and visibility timeout so that a dead worker's work comes
# back within the test; a sender hands over every second (a warm shutdown waits for at most that
# and one batch of 50).
WORKER_ENV = {
    "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
    "OUTBOX_SEND_SECONDS": "1",
    "OUTBOX_BATCH_SIZE": "50",
    "OUTBOX_RATE_LIMIT": "0",
    "OUTBOX_RETRY_SECONDS": "1",
    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_SECONDS),
}
# What a task acknowledged as failed, or lost with its pool process, leaves in the worker's log.
FAILURE_MARKS = ("raised unexpected", "WorkerLostError", "ProgrammingError", "InterfaceError", "SystemExit")
RECEIVED = re.compile(r"Task (?P<task>[\w.]+)\[(?P<id>[0-9a-f-]+)\] received")


@pytest.fixture
def worker(transactional_db, smtp_sink):
    need(bool(settings.REDIS_URL), "REDIS_URL is not set: no Redis broker for a real worker")
    need(redis_reachable(), f"Redis at {settings.REDIS_URL} is not reachable")
    need(connection.vendor == "postgresql", "DATABASE_URL does not point to PostgreSQL")
    need(not settings.CELERY_TASK_ALWAYS_EAGER, "Celery runs tasks eagerly (REDIS_URL unset?)")
    env = {
        "EMAIL_HOST": smtp_sink.host,
        "EMAIL_PORT": str(smtp_sink.port),
        # Commits return before the WAL reaches the disk: faster, and the same for these tests, in
        # which the database server is never the one that dies (what one session commits, the
        # others see at once either way).
        "DATABASE_URL": f"{database_url()}?options=-c%20synchronous_commit%3Doff",
        **WORKER_ENV,
    }
    with (
        celery_worker(
            settings_module="tests.casm.outbox.crash_worker_settings",
            pool="prefork",
            concurrency=1,  # one task at a time: a kill interrupts at most one mail
            env=env,
        ) as running,
        use_queue(running.queue),
    ):
        yield running


def _audience(consultation: Consultation, count: int) -> list[Member]:
    """``count`` active members invited to ``consultation``, written in bulk."""
    sector = SectorFactory(code="crash-sector", name="Civil society")
    now, today = timezone.now(), timezone.localdate()
    members = Member.objects.bulk_create(
        Member(
            full_name=f"Member {n}",
            email=f"member{n}@crash.example.org",
            sector=sector,
            country="GH",
            languages=["en"],
            is_fictional=True,
        )
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(
            member=member,
            status=Membership.Status.ACTIVE,
            applied_at=now,
            status_changed_at=now,
            term_start=today,
            term_end=today + datetime.timedelta(days=365),
        )
        for member in members
    )
    through = Consultation.invitees.through
    through.objects.bulk_create(through(consultation_id=consultation.pk, member_id=m.pk) for m in members)
    return members


def _received_tasks(worker, task: str) -> list[str]:
    """Ids of the ``task`` runs the worker received, in order (a task delivered again appears twice)."""
    return [m["id"] for m in RECEIVED.finditer(worker.log()) if m["task"] == task]


def _running(worker, task: str, number: int) -> str | None:
    """The id of the ``number``-th ``task`` the worker received, while it has not finished it."""
    received = _received_tasks(worker, task)
    if len(received) < number:
        return None
    task_id = received[number - 1]
    return None if f"[{task_id}] succeeded" in worker.log() else task_id


def _recipients(sink) -> Counter:
    with sink.lock:
        return Counter(message["To"] for message in sink.messages)


def _received(sink) -> int:
    with sink.lock:
        return len(sink.messages)


def _leases_expired() -> bool:
    leased = Message.objects.filter(status=Message.Status.PENDING, leased_until__gte=timezone.now())
    return not leased.exists()


def _settle(sink, worker, *, quiet: float = 1.5, timeout: float = 30.0) -> None:
    """Wait until the sink has received nothing for ``quiet`` seconds: the worker is done."""
    last, since = _received(sink), time.monotonic()
    deadline = time.monotonic() + timeout
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise AssertionError(f"mail kept arriving for {timeout}s:\n{worker.log()}")
        time.sleep(0.1)
        now = _received(sink)
        if now != last:
            last, since = now, time.monotonic()


def _report(name: str, **figures) -> None:
    print(f"\n[{name}] " + ", ".join(f"{key}={value}" for key, value in figures.items()))


class SignalOnAccept:
    """Signal the worker from inside the SMTP server: on the ``count``-th mail, recorded, before the "250".

    The sender is then killed (SIGKILL) or asked to stop (SIGTERM) at the one moment when a mail
    has been accepted by the server and is not yet marked sent: the outbox's duplicate window.
    """

    def __init__(self, sink, worker, *, count: int, signum: int):
        self.sink, self.worker, self.count, self.signum = sink, worker, count, signum
        self.fired = threading.Event()
        self.to = self.message_id = None
        sink.on_accept = self

    def __call__(self, message) -> None:  # in the SMTP server's thread, one mail at a time
        if self.fired.is_set() or len(self.sink.messages) < self.count:
            return
        self.to, self.message_id = message["To"], message["Message-ID"]
        self.worker.send_signal(self.signum)
        self.sink.on_accept = None
        self.fired.set()

    def wait(self, timeout: float = 60.0) -> None:
        if not self.fired.wait(timeout):
            raise AssertionError(f"mail {self.count} never arrived:\n{self.worker.log()}")


def test_sigkill_at_any_point_of_a_fan_out_loses_nobody_and_duplicates_at_most_one_mail_per_kill(
    worker, smtp_sink
):
    started = time.monotonic()
    now = timezone.now()
    consultation = ConsultationFactory(
        audience=Consultation.Audience.INVITEES,
        opens_at=now - 30 * DAY,
        closes_at=now + DAY - datetime.timedelta(hours=1),  # the reminder at one day is due
    )
    members = _audience(consultation, MEMBERS)
    emails = {m.email for m in members}
    set_up = time.monotonic() - started
    kills, in_window = [], []

    def restart(where: str, *, signalled: bool = False) -> None:
        if signalled:  # from the SMTP server
            worker.wait_stopped()
        else:
            worker.kill(signal.SIGKILL)
        kills.append((where, ReminderSent.objects.count(), _received(smtp_sink)))
        worker.start()

    # Beat's reminder run, from this process: four batches of 250 on the worker's queue.
    assert reminders.reminders_enqueue(consultation=consultation, batch_size=250) == MEMBERS

    # 1. Killed while the fan-out is written: the first batch committed, the second one running.
    batch = "governance.consultations.tasks.reminder_batch_send_task"
    killed_batch = wait_until(lambda: _running(worker, batch, 2), timeout=60, interval=0.01)
    restart("fan-out")
    assert f"[{killed_batch}] succeeded" not in worker.log()
    assert kills[0][1] == 250, "a batch's claims commit together or not at all"

    # 2. Killed while the outbox sends: once anywhere (when the sink has a quarter of the mail),
    # then twice in the duplicate window (the server has the mail, the sender has not marked it).
    wait_until(
        lambda: _received(smtp_sink) >= MEMBERS // 4,
        timeout=60,
        interval=0.01,
        message=f"sending stalled:\n{worker.log()}",
    )
    restart("sending, 25%")
    for share in (0.5, 0.75):
        trigger = SignalOnAccept(smtp_sink, worker, count=int(share * MEMBERS), signum=signal.SIGKILL)
        trigger.wait()
        restart(f"sending, {share:.0%}, between acceptance and mark", signalled=True)
        in_window.append(trigger)

    # The batch killed during the fan-out comes back from the broker once the visibility timeout
    # has passed: the worker applies CELERY_BROKER_TRANSPORT_OPTIONS.
    wait_until(
        lambda: _received_tasks(worker, batch).count(killed_batch) == 2,
        timeout=VISIBILITY_SECONDS + 30,
        message=f"the killed batch was not delivered again:\n{worker.log()}",
    )

    # 3. The next scheduled runs (beat's), once the dead senders' leases have expired.
    wait_until(_leases_expired, timeout=LEASE_SECONDS + 10, interval=0.2)
    reminders_run_due_task.delay()
    outbox_send_task.delay()
    wait_until(
        lambda: ReminderSent.objects.filter(message__status=Message.Status.SENT).count() == MEMBERS,
        timeout=60,
        message=f"some reminders were not sent:\n{worker.log()}",
    )
    _settle(smtp_sink, worker)

    received = _recipients(smtp_sink)
    duplicates = sum(received.values()) - len(received)
    _report(
        "SIGKILL",
        members=MEMBERS,
        kills=len(kills),
        kill_points=kills,
        duplicates=duplicates,
        twice=sorted(to for to, n in received.items() if n > 1),
        killed_between_acceptance_and_mark=[trigger.to for trigger in in_window],
        set_up_s=round(set_up, 1),
        total_s=round(time.monotonic() - started, 1),
    )
    assert set(received) == emails, f"{len(emails - set(received))} members got nothing"
    assert duplicates <= len(kills), sorted(to for to, n in received.items() if n > 1)
    # A kill between the server's acceptance and the mark: that one mail goes twice, with the
    # same Message-ID (a receiving server or client may drop the repeat).
    for trigger in in_window:
        assert received[trigger.to] == 2
        with smtp_sink.lock:
            copies = {m["Message-ID"] for m in smtp_sink.messages if m["To"] == trigger.to}
        assert copies == {trigger.message_id}
    assert ReminderSent.objects.count() == MEMBERS
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
    assert reminders.reminders_due(consultation=consultation, now=timezone.now()) == []


def test_sigterm_to_the_whole_worker_lets_running_tasks_finish_and_nobody_gets_two_mails(worker, smtp_sink):
    started = time.monotonic()
    # A superuser counts as secretariat without the role group (which a flushed database may lack).
    staff = UserFactory(email="publisher@example.org", is_superuser=True)
    consultation = ConsultationFactory(audience=Consultation.Audience.INVITEES, is_published=False)
    SectionFactory(consultation=consultation, mode="comment")
    members = _audience(consultation, MEMBERS)
    emails = {m.email for m in members}
    set_up = time.monotonic() - started
    stops = []

    def stop(where: str, trigger: SignalOnAccept | None = None) -> None:
        began = time.monotonic()
        if trigger is None:
            worker.send_signal(signal.SIGTERM)
        else:  # signalled from the SMTP server
            trigger.wait()
            began = time.monotonic()
        # Up to 30 s more when the stop finds a task handed to the pool process but not yet
        # confirmed by it: Celery then drops it from the pool's books (the broker hands it out
        # again), the pool process still runs it, and billiard waits 30 s for its result to be read.
        status = worker.wait_stopped(timeout=60)
        took = round(time.monotonic() - began, 1)
        stops.append((where, PublicationNoticeSent.objects.count(), _received(smtp_sink), f"{took}s"))
        assert status == 0, f"the worker did not stop cleanly ({status}):\n{worker.log()}"
        worker.start()

    with transaction.atomic():  # committed: the publication's on-commit hook queues two batches of 500
        builder.consultation_publish(consultation=consultation, actor=staff)

    # 1. Stopped while the fan-out is written: the first batch committed, the second one running.
    batch = "governance.consultations.tasks.publication_notice_batch_send_task"
    running = wait_until(lambda: _running(worker, batch, 2), timeout=60, interval=0.01)
    time.sleep(0.1)  # past the pool process's confirmation (see stop()); the batch takes longer
    stop("fan-out")
    assert f"[{running}] succeeded" in worker.log(), "the running batch was not let finish"
    assert stops[0][1] == MEMBERS

    # 2. Stopped while the outbox sends: in the duplicate window (the server has the mail, the
    # sender has not marked it), then anywhere. The sender marks it, ends its run and hands over.
    in_window = SignalOnAccept(smtp_sink, worker, count=int(0.3 * MEMBERS), signum=signal.SIGTERM)
    stop("sending, 30%, between acceptance and mark", in_window)
    assert Message.objects.get(to=in_window.to).status == Message.Status.SENT
    wait_until(
        lambda: _received(smtp_sink) >= 0.65 * MEMBERS,
        timeout=60,
        interval=0.01,
        message=f"sending stalled:\n{worker.log()}",
    )
    stop("sending, 65%")

    # 3. The next scheduled run of the sender (a publication has none of its own: nothing to redo).
    outbox_send_task.delay()
    wait_until(
        lambda: PublicationNoticeSent.objects.filter(message__status=Message.Status.SENT).count() == MEMBERS,
        timeout=60,
        message=f"some notices were not sent:\n{worker.log()}",
    )
    _settle(smtp_sink, worker)

    received = _recipients(smtp_sink)
    log = worker.log()
    _report(
        "SIGTERM",
        members=MEMBERS,
        stops=len(stops),
        stop_points=stops,
        duplicates=sum(received.values()) - len(received),
        set_up_s=round(set_up, 1),
        total_s=round(time.monotonic() - started, 1),
    )
    assert set(received) == emails, f"{len(emails - set(received))} members got nothing"
    assert max(received.values()) == 1, sorted(to for to, n in received.items() if n > 1)
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
    failures = [line for line in log.splitlines() if any(mark in line for mark in FAILURE_MARKS)]
    assert not failures, "\n".join(failures)
    assert log.count("Warm shutdown") == len(stops)


def test_the_brokers_visibility_timeout_is_celerys_broker_transport_options():
    """``CELERY_BROKER_TRANSPORT_OPTIONS`` is read as ``broker_transport_options``: the channel uses it."""
    from casm.celery import app

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert app.conf.broker_transport_options == options
    # Longer than the longest task: a sender hands over after OUTBOX_SEND_SECONDS and one batch.
    assert options["visibility_timeout"] > 2 * settings.OUTBOX_SEND_SECONDS
    need(bool(settings.REDIS_URL) and redis_reachable(), "no Redis: no channel to look at")
    with app.connection_for_read() as conn:
        assert conn.default_channel.visibility_timeout == options["visibility_timeout"]
