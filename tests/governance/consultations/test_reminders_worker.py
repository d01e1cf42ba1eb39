"""Reminders through a real Celery worker on Redis, against PostgreSQL: nobody gets two mails.

The worker is another process: it reads the committed test data (``transactional_db``), writes
the claims and their outbox messages, and the outbox task (``outbox_send_task``, woken when a
batch commits) sends the mail over SMTP to the test's sink (its settings:
``reminder_worker_settings``). A claim's mail has left when its ``message.status`` is ``sent``.
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/casm REDIS_URL=redis://127.0.0.1:6379/15 \
     .venv/bin/pytest tests/governance/consultations/test_reminders_worker.py
"""

import datetime
import socket
import time
from collections import Counter
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

from casm.outbox.models import Message
from casm.outbox.services import queue as outbox_queue
from casm.testing import need
from governance.consultations.models import ReminderSent
from governance.consultations.services import reminders
from governance.consultations.tasks import reminder_batch_send_task
from tests.governance.consultations.reminder_factories import DAY, invited_consultation
from tests.network.factories import MemberFactory
from tests.network.worker import celery_worker, use_queue, wait_until

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def _redis_reachable() -> bool:
    url = urlparse(settings.REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def worker(transactional_db, smtp_sink, monkeypatch):
    need(bool(settings.REDIS_URL), "REDIS_URL is not set: no Redis broker for a real worker")
    need(_redis_reachable(), f"Redis at {settings.REDIS_URL} is not reachable")
    need(connection.vendor == "postgresql", "DATABASE_URL does not point to PostgreSQL")
    need(not settings.CELERY_TASK_ALWAYS_EAGER, "Celery runs tasks eagerly (REDIS_URL unset?)")
    # The worker inherits this environment: its mail goes to the sink.
    monkeypatch.setenv("EMAIL_HOST", smtp_sink.host)
    monkeypatch.setenv("EMAIL_PORT", str(smtp_sink.port))
    with (
        celery_worker(settings_module="tests.governance.consultations.reminder_worker_settings") as running,
        use_queue(running.queue),
    ):
        yield running


def _recipients(sink) -> Counter:
    with sink.lock:
        return Counter(message["To"] for message in sink.messages)


def _sent(model) -> int:
    """Claims whose mail the outbox has handed to the SMTP server."""
    return model.objects.filter(message__status=Message.Status.SENT).count()


def claimed_by_a_worker_that_died(monkeypatch, write) -> None:
    """Run ``write`` (a batch: claims and their messages, committed) as a worker that died right after.

    The commit's wake-up of the sender is lost with the worker: the messages wait in the outbox,
    and the next wake-up or beat run of the sender delivers them.
    """
    with monkeypatch.context() as patch:
        patch.setattr(outbox_queue, "_wake_sender", lambda: None)
        write()


def test_reminders_through_a_real_worker_reach_everyone_once_despite_redelivery_and_a_crash(
    worker, smtp_sink, monkeypatch
):
    consultation, members = invited_consultation(30, closes_in=DAY - datetime.timedelta(hours=1))

    # Beat's job, from this process: three batches of ten on the worker's queue.
    queued = reminders.reminders_enqueue(consultation=consultation, batch_size=10)

    assert queued == 30
    wait_until(
        lambda: _sent(ReminderSent) == 30,
        timeout=60,
        message=f"the worker did not send the 30 reminders:\n{worker.log()}",
    )
    wait_until(lambda: len(smtp_sink.messages) == 30, timeout=15, message="30 mails did not arrive")

    # The broker delivers the first batch again (a worker killed before acknowledging it).
    first_batch = sorted(m.pk for m in members)[:10]
    reminder_batch_send_task.delay(consultation.pk, 1, first_batch)
    # Late joiners; one of them was claimed by a batch whose worker died right after its commit,
    # before the outbox sent the mail: the claim and its message wait together.
    late = [MemberFactory(sector=members[0].sector) for _ in range(5)]
    consultation.invitees.add(*late)
    crashed = late[0]
    claimed_by_a_worker_that_died(
        monkeypatch,
        lambda: reminders.reminder_batch_send(
            consultation_id=consultation.pk, offset=1, member_ids=[crashed.pk]
        ),
    )
    assert ReminderSent.objects.get(member=crashed).message is not None  # committed with its claim
    everyone = [m.pk for m in [*members, *late]]
    reminder_batch_send_task.delay(consultation.pk, 1, everyone)  # the solo worker runs it last

    wait_until(
        lambda: _sent(ReminderSent) == 35,
        timeout=60,
        message=f"the worker did not send the late joiners' reminders:\n{worker.log()}",
    )
    time.sleep(1)  # any duplicate would have arrived by now: the worker is done with its queue

    received = _recipients(smtp_sink)
    assert sum(received.values()) == 35
    assert max(received.values()) == 1, [to for to, n in received.items() if n > 1]
    # The crashed batch's person got their mail once: from the outbox, not from a second claim.
    assert received[crashed.email] == 1
    assert set(received) == {m.email for m in [*members, *late]}
    assert ReminderSent.objects.count() == 35
    assert not ReminderSent.objects.exclude(message__status=Message.Status.SENT).exists()
    assert reminders.reminders_due(consultation=consultation, now=consultation.closes_at - DAY / 2) == []
    message = smtp_sink.wait_for(members[0].email, "Reminder")
    assert "/reminders/stop/" in smtp_sink.body(message)
