"""The Celery task delivers the outbox and hands over to a fresh task when its time is up."""

import pytest

from casm.outbox.models import Message
from casm.outbox.tasks import outbox_send_task
from tests.casm.outbox.support import queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    from casm.testing import need

    need(outbox_send_task.app.conf.task_always_eager, "Celery runs tasks eagerly only without Redis")


def test_outbox_send_task_delivers_the_due_messages(eager_celery, smtp_sink):
    queue(3)

    sent = outbox_send_task.delay().get()

    assert sent == 3
    assert len(smtp_sink.messages) == 3
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}


def test_outbox_send_task_requeues_itself_when_its_time_ran_out_with_mail_left(
    eager_celery, smtp_sink, settings
):
    settings.OUTBOX_SEND_SECONDS = 0  # hand over after each batch
    settings.OUTBOX_BATCH_SIZE = 100
    queue(250)

    sent_by_the_first_task = outbox_send_task.delay().get()

    # The first task sent one batch and queued a successor, which did the same: three tasks in all.
    assert sent_by_the_first_task == 100
    assert len(smtp_sink.messages) == 250
    assert smtp_sink.connections == 3
    assert not Message.objects.exclude(status=Message.Status.SENT).exists()
