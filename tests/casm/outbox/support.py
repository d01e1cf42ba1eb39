"""Helpers of the outbox tests: queue messages through the real queue service, let time pass."""

import datetime
from email.utils import make_msgid

from django.utils import timezone

from casm.outbox.models import Message
from casm.outbox.services.queue import Mail, messages_queue, notice_get_or_create


def queue(
    count: int,
    *,
    kind: str = "test.notice",
    scope: str = "",
    to: str = "person{i}@example.org",
    recipient=None,
) -> list[Message]:
    """Queue ``count`` messages under the notice ``kind:scope`` (in the current transaction)."""
    notice = notice_get_or_create(kind=kind, scope=scope)
    mails = [
        Mail(to=to.format(i=i), subject=f"Notice {i}", body=f"Body {i}\n", language="en", recipient=recipient)
        for i in range(count)
    ]
    return messages_queue(notice=notice, mails=mails)


def waiting(count: int, *, kind: str = "test.notice") -> list[Message]:
    """``count`` messages waiting in the outbox, written as ``messages_queue`` writes them but without
    waking a sender: with real commits (``transactional_db``) and eager Celery, the wake-up would
    deliver them before the test's own senders run.
    """
    notice = notice_get_or_create(kind=kind)
    now = timezone.now()
    return Message.objects.bulk_create(
        Message(
            notice=notice,
            to=f"reader{i}@example.org",
            from_email="CASM Portal <noreply@casm.invalid>",
            subject=f"Notice {i}",
            body=f"Body {i}\n",
            message_id=make_msgid(domain="casm.test"),
            available_at=now,
        )
        for i in range(count)
    )


def time_passes(**filters) -> int:
    """The next attempt of waiting messages comes: their ``available_at`` moved into the past."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    return Message.objects.filter(status=Message.Status.PENDING, **filters).update(available_at=past)


def received_ids(sink) -> list[str]:
    with sink.lock:
        return [message["Message-ID"] for message in sink.messages]


def received_to(sink) -> list[str]:
    with sink.lock:
        return [message["To"] for message in sink.messages]
