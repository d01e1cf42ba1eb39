"""Reminders through a real Celery worker on Redis, against PostgreSQL: nobody gets two mails.

The worker is another process: it reads the committed test data (``transactional_db``) and
sends its mail over SMTP to the test's sink (its settings: ``reminder_worker_settings``).
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

from casm.testing import need
from governance.consultations.models import ReminderSent
from governance.consultations.services import reminders
from governance.consultations.tasks import reminder_batch_send_task
from tests.governance.consultations.reminder_factories import DAY, claim, invited_consultation
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


def test_reminders_through_a_real_worker_reach_everyone_once_despite_redelivery_and_a_crash(
    worker, smtp_sink
):
    consultation, members = invited_consultation(30, closes_in=DAY - datetime.timedelta(hours=1))

    # Beat's job, from this process: three batches of ten on the worker's queue.
    queued = reminders.reminders_enqueue(consultation=consultation, batch_size=10)

    assert queued == 30
    wait_until(
        lambda: ReminderSent.objects.filter(sent_at__isnull=False).count() == 30,
        timeout=60,
        message=f"the worker did not send the 30 reminders:\n{worker.log()}",
    )
    wait_until(lambda: len(smtp_sink.messages) == 30, timeout=15, message="30 mails did not arrive")

    # The broker delivers the first batch again (a worker killed before acknowledging it).
    first_batch = sorted(m.pk for m in members)[:10]
    reminder_batch_send_task.delay(consultation.pk, 1, first_batch)
    # Late joiners; one of them was claimed by a worker that died before confirming the mail.
    late = [MemberFactory(sector=members[0].sector) for _ in range(5)]
    consultation.invitees.add(*late)
    crashed = late[0]
    claim(consultation, crashed, 1, sent=False)
    everyone = [m.pk for m in [*members, *late]]
    reminder_batch_send_task.delay(consultation.pk, 1, everyone)  # the solo worker runs it last

    wait_until(
        lambda: ReminderSent.objects.filter(sent_at__isnull=False).count() == 34,
        timeout=60,
        message=f"the worker did not send the late joiners' reminders:\n{worker.log()}",
    )
    time.sleep(1)  # any duplicate would have arrived by now: the worker is done with its queue

    received = _recipients(smtp_sink)
    assert sum(received.values()) == 34
    assert max(received.values()) == 1, [to for to, n in received.items() if n > 1]
    assert crashed.email not in received
    assert set(received) == {m.email for m in [*members, *late[1:]]}
    assert ReminderSent.objects.filter(sent_at__isnull=True).get().member_id == crashed.pk
    assert reminders.reminders_due(consultation=consultation, now=consultation.closes_at - DAY / 2) == []
    message = smtp_sink.wait_for(members[0].email, "Reminder")
    assert "/reminders/stop/" in smtp_sink.body(message)
