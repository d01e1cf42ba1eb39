"""Delivering the outbox: lease, hand to the SMTP server, mark sent — at least once, duplicates rare.

Leases
    A sender takes a batch of due messages (waiting, their ``available_at`` come, not leased by
    a live sender) by stamping them with its lease token and ``leased_until``. On PostgreSQL the
    candidates are locked with ``SKIP LOCKED``, so two workers take two different batches; the
    stamp's own conditions make it safe on any database. A worker that dies holding a lease
    leaves its messages waiting: when the lease expires, the next run takes them again.

Marks
    Each message is marked sent right after the SMTP server accepted it, one UPDATE per message,
    so the only window for a duplicate is a worker dying between the server's "250 OK" and that
    UPDATE (a few milliseconds). A retried message keeps its ``Message-ID``: the receiving server
    or mail client can drop a repeat.

Failures
    A permanent refusal (a 5xx answer to the recipient or the data: unknown mailbox, rejected
    content) fails that message with the server's reason, never retried; the batch goes on. A
    transient one (4xx, connection refused or dropped, a timeout) puts the message back with a
    growing delay (``OUTBOX_RETRY_SECONDS`` doubled per attempt, at most an hour), until
    ``OUTBOX_MAX_ATTEMPTS`` attempts, when it fails with the last reason. When the connection
    itself is lost, the rest of the batch is released at once for the next sender.

Rate and connections
    One SMTP connection per batch, and at most ``OUTBOX_RATE_LIMIT`` messages per second for all
    workers together (``services.rate``).
"""

import datetime
import logging
import smtplib
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casm.outbox.models import Message
from casm.outbox.services.rate import rate_chunk, rate_slots_take

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY = datetime.timedelta(hours=1)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    batches: int = 0

    def add(self, other: "DeliveryReport") -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.deferred += other.deferred
        self.batches += other.batches


class _ConnectionLost(Exception):
    """The SMTP connection cannot be used for the rest of the batch."""


def _due(now: datetime.datetime):
    return Message.objects.filter(status=Message.Status.PENDING, available_at__lte=now).filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    )


def messages_lease(*, limit: int, now: datetime.datetime | None = None) -> list[Message]:
    """Take up to ``limit`` due messages for this sender, oldest first; [] when none are due."""
    now = now or timezone.now()
    token = uuid.uuid4()
    lease_until = now + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        candidates = list(
            _due(now)
            .order_by("available_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not candidates:
            return []
        # The conditions again: on a database without row locks, a concurrent sender's stamp wins.
        _due(now).filter(pk__in=candidates).update(leased_until=lease_until, lease_token=token)
    return list(Message.objects.filter(lease_token=token, status=Message.Status.PENDING).order_by("pk"))


def _email(message: Message, connection) -> EmailMessage:
    headers = {**(message.headers or {}), "Message-ID": message.message_id}
    return EmailMessage(
        message.subject,
        message.body,
        message.from_email,
        [message.to],
        headers=headers,
        connection=connection,
    )


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        parts = []
        for address, (code, text) in error.recipients.items():
            text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
            parts.append(f"{code} {text} ({address})")
        return "; ".join(parts)
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}"[:1000]


def _is_permanent(error: Exception) -> bool:
    """A refusal of this message by the server (5xx to the recipient or the data)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def _is_connection_level(error: Exception) -> bool:
    """The connection (or the server's acceptance of us as a sender) is the problem, not the message."""
    # A 421 to the recipient or the data: the server is closing the connection, and smtplib closed it.
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code == 421 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code == 421
    return isinstance(error, smtplib.SMTPException | OSError)


def _mark_sent(message: Message) -> None:
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT,
        sent_at=timezone.now(),
        leased_until=None,
        last_error="",
        attempts=message.attempts + 1,
    )


def _mark_failed(message: Message, reason: str) -> None:
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.FAILED,
        failed_at=timezone.now(),
        leased_until=None,
        last_error=reason,
        attempts=message.attempts + 1,
    )
    logger.warning("Mail %s to %s failed for good: %s", message.message_id, message.to, reason)


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after ``attempts`` failed attempts: the base delay doubled each time, at most an hour."""
    base = datetime.timedelta(seconds=settings.OUTBOX_RETRY_SECONDS)
    return min(base * (2 ** max(0, attempts - 1)), MAX_RETRY_DELAY)


def _defer(message: Message, reason: str) -> bool:
    """Put the message back for a later attempt; fail it when it has had its attempts. True if deferred."""
    attempts = message.attempts + 1
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _mark_failed(message, reason)
        return False
    Message.objects.filter(pk=message.pk).update(
        attempts=attempts,
        available_at=timezone.now() + retry_delay(attempts),
        leased_until=None,
        last_error=reason,
    )
    return True


def _release(messages: list[Message]) -> None:
    """Give leased, untried messages back at once (no attempt counted)."""
    if messages:
        Message.objects.filter(pk__in=[m.pk for m in messages], status=Message.Status.PENDING).update(
            leased_until=None
        )


def _deliver_one(message: Message, connection, report: DeliveryReport) -> None:
    try:
        _email(message, connection).send()
    except Exception as error:  # classified below; nothing is swallowed unrecorded
        reason = _reason(error)
        if _is_permanent(error):
            _mark_failed(message, reason)
            report.failed += 1
            return
        if _defer(message, reason):
            report.deferred += 1
        else:
            report.failed += 1
        if _is_connection_level(error):
            raise _ConnectionLost(reason) from error
        logger.info("Mail %s to %s deferred: %s", message.message_id, message.to, reason)
        return
    _mark_sent(message)
    report.sent += 1


def batch_deliver(messages: list[Message]) -> DeliveryReport:
    """Send leased ``messages`` over one SMTP connection, marking each as the server answers."""
    report = DeliveryReport(batches=1)
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:
        reason = _reason(error)
        logger.warning("Cannot reach the mail server: %s", reason)
        for message in messages:
            if _defer(message, reason):
                report.deferred += 1
            else:
                report.failed += 1
        return report
    rate = settings.OUTBOX_RATE_LIMIT
    slots = 0
    try:
        for index, message in enumerate(messages):
            if slots == 0:
                slots, _waited = rate_slots_take(rate, min(rate_chunk(rate), len(messages) - index))
            slots -= 1
            try:
                _deliver_one(message, connection, report)
            except _ConnectionLost:
                _release(messages[index + 1 :])
                break
    finally:
        try:
            connection.close()
        except Exception:  # a connection already dropped by the server
            logger.debug("Closing the SMTP connection failed", exc_info=True)
    return report


def outbox_send_due(
    *, batch_size: int | None = None, seconds: float | None = None
) -> tuple[DeliveryReport, bool]:
    """Deliver due messages batch after batch for about ``seconds``; return the report and whether more wait.

    Several senders may run at once (two workers, a beat run beside a wake-up): each leases its
    own batches. Must run outside a transaction, as Celery runs it, so each mark commits at once.
    """
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    seconds = settings.OUTBOX_SEND_SECONDS if seconds is None else seconds
    stop_at = time.monotonic() + seconds
    report = DeliveryReport()
    while True:
        batch = messages_lease(limit=batch_size)
        if not batch:
            return report, False
        report.add(batch_deliver(batch))
        if time.monotonic() >= stop_at:
            return report, _due(timezone.now()).exists()
