"""Staff retry failed mail after a correction: the message goes again, to the record's current address."""

import logging

from django.db import transaction
from django.utils import timezone

from casm.outbox.models import Message, Notice
from casm.outbox.tasks import outbox_send_task

logger = logging.getLogger(__name__)


def _current_address(message: Message) -> str:
    """The address to retry: the recipient record's address now (staff may have corrected it)."""
    recipient = message.recipient if message.recipient_type_id else None
    address = getattr(recipient, "email", "") if recipient is not None else ""
    return address or message.to


@transaction.atomic
def messages_retry(*, notice: Notice, actor, message_ids: list[int] | None = None) -> int:
    """Put a notice's failed messages (all, or those of ``message_ids``) back in the outbox; return how many.

    Each keeps its Message-ID and goes to its recipient's current address. The caller checks that
    ``actor`` may do this (the staff mail page); the retry is logged with who asked.
    """
    # Only the messages are locked (the recipients are read by prefetch, after the lock).
    failed = Message.objects.select_for_update(of=("self",)).filter(
        notice=notice, status=Message.Status.FAILED
    )
    if message_ids is not None:
        failed = failed.filter(pk__in=message_ids)
    # The recipients in one query per kind of record (a member, an account), not one per message.
    messages = list(failed.prefetch_related("recipient"))
    now = timezone.now()
    for message in messages:
        message.to = _current_address(message)
        message.status = Message.Status.PENDING
        message.attempts = 0
        message.available_at = now
        message.leased_until = None
        message.failed_at = None
    Message.objects.bulk_update(
        messages, ["to", "status", "attempts", "available_at", "leased_until", "failed_at"]
    )
    if messages:
        logger.info(
            "%s put %s failed message(s) of notice %s back in the outbox", actor, len(messages), notice.key
        )
        transaction.on_commit(outbox_send_task.delay)
    return len(messages)
