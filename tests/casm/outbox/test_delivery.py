"""Delivery through Django's SMTP backend to a real SMTP server that accepts, refuses or defers."""

import datetime

import pytest
from django.utils import timezone

from casm.outbox.models import Message
from casm.outbox.services.delivery import outbox_send_due, retry_delay
from casm.testing import SmtpSink, _Handler, free_port
from tests.casm.outbox.support import queue, received_ids, received_to, time_passes

pytestmark = pytest.mark.django_db

S = Message.Status


def test_delivery_marks_each_message_sent_with_sent_at_over_one_connection_per_batch(smtp_sink, settings):
    settings.OUTBOX_BATCH_SIZE = 100
    queued = queue(250)
    before = timezone.now()

    report, more = outbox_send_due()

    after = timezone.now()
    assert (report.sent, report.failed, report.deferred, report.batches, more) == (250, 0, 0, 3, False)
    assert smtp_sink.connections == 3
    assert sorted(received_ids(smtp_sink)) == sorted(m.message_id for m in queued)
    messages = list(Message.objects.all())
    assert {m.status for m in messages} == {S.SENT}
    assert all(before <= m.sent_at <= after for m in messages)
    assert all(m.attempts == 1 and m.leased_until is None and m.failed_at is None for m in messages)


def test_a_run_with_nothing_due_opens_no_connection(smtp_sink):
    report, more = outbox_send_due()

    assert (report.sent, report.batches, more) == (0, 0, False)
    assert smtp_sink.connections == 0


def test_the_message_id_received_is_the_messages_and_stays_the_same_across_a_retry(smtp_sink):
    [message] = queue(1, to="later@example.org")
    smtp_sink.defer_recipients.add("later@example.org")

    report, _more = outbox_send_due()
    assert (report.sent, report.deferred) == (0, 1)
    assert smtp_sink.messages == []

    smtp_sink.defer_recipients.clear()
    time_passes()
    report, _more = outbox_send_due()

    assert report.sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (S.SENT, 2)
    [received] = smtp_sink.messages
    assert received["Message-ID"] == message.message_id
    assert received["To"] == "later@example.org"


def test_a_5xx_for_one_address_fails_that_message_only_with_the_servers_reason_never_retried(smtp_sink):
    first, unknown, last = queue(3, to="member{i}@example.org")
    smtp_sink.refuse_recipients.add(unknown.to)

    report, _more = outbox_send_due()

    assert (report.sent, report.failed, report.deferred, report.batches) == (2, 1, 0, 1)
    assert smtp_sink.connections == 1
    assert received_ids(smtp_sink) == [first.message_id, last.message_id]
    unknown.refresh_from_db()
    assert (unknown.status, unknown.attempts, unknown.sent_at) == (S.FAILED, 1, None)
    assert unknown.failed_at is not None
    assert "550" in unknown.last_error and "5.1.1" in unknown.last_error
    assert "mailbox unavailable" in unknown.last_error and unknown.to in unknown.last_error
    assert Message.objects.filter(status=S.SENT).count() == 2

    # Never again, even once its time would have come and the server would take it.
    smtp_sink.refuse_recipients.clear()
    Message.objects.filter(pk=unknown.pk).update(available_at=timezone.now() - datetime.timedelta(days=1))
    report, _more = outbox_send_due()

    assert report.sent == 0
    assert len(smtp_sink.messages) == 2
    unknown.refresh_from_db()
    assert (unknown.status, unknown.attempts) == (S.FAILED, 1)


def test_retry_delay_doubles_per_attempt_and_is_at_most_an_hour(settings):
    settings.OUTBOX_RETRY_SECONDS = 60

    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(20) == datetime.timedelta(hours=1)


def test_a_4xx_is_deferred_with_growing_back_off_and_sent_when_its_time_comes(smtp_sink, settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    [message] = queue(1, to="busy@example.org")
    smtp_sink.defer_recipients.add("busy@example.org")

    low = timezone.now() + retry_delay(1)
    report, more = outbox_send_due()
    high = timezone.now() + retry_delay(1)
    assert (report.sent, report.failed, report.deferred, more) == (0, 0, 1, False)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.leased_until) == (S.PENDING, 1, None)
    assert low <= message.available_at <= high
    assert "451" in message.last_error and "4.3.0 try later" in message.last_error
    first_next_attempt = message.available_at

    # Before its time nothing is tried: no attempt counted, no connection made.
    report, _more = outbox_send_due()
    assert report.batches == 0
    message.refresh_from_db()
    assert message.attempts == 1

    time_passes()
    low = timezone.now() + retry_delay(2)
    report, _more = outbox_send_due()
    high = timezone.now() + retry_delay(2)
    assert report.deferred == 1
    message.refresh_from_db()
    assert message.attempts == 2
    assert low <= message.available_at <= high
    assert message.available_at > first_next_attempt

    smtp_sink.defer_recipients.clear()
    time_passes()
    report, _more = outbox_send_due()

    assert report.sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (S.SENT, 3, "")
    assert message.sent_at is not None
    assert received_to(smtp_sink) == ["busy@example.org"]


def test_a_4xx_fails_with_its_reason_after_the_maximum_attempts(smtp_sink, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    [message, other] = queue(2, to="full{i}@example.org")
    smtp_sink.defer_recipients.add(message.to)

    for attempt in (1, 2):
        report, _more = outbox_send_due()
        assert report.deferred == 1
        message.refresh_from_db()
        assert (message.status, message.attempts) == (S.PENDING, attempt)
        time_passes()
    report, _more = outbox_send_due()

    assert (report.sent, report.failed, report.deferred) == (0, 1, 0)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (S.FAILED, 3)
    assert message.failed_at is not None and message.sent_at is None
    assert "451 4.3.0 try later" in message.last_error
    other.refresh_from_db()
    assert other.status == S.SENT  # the first run sent it; the deferral held only its neighbour back


def test_connection_refused_marks_nothing_sent_or_failed_and_all_go_when_the_server_is_back(
    smtp_sink, settings
):
    queued = queue(3)
    settings.EMAIL_PORT = free_port()  # nothing listens there

    report, more = outbox_send_due()

    assert (report.sent, report.failed, report.deferred, more) == (0, 0, 3, False)
    messages = list(Message.objects.all())
    assert {m.status for m in messages} == {S.PENDING}
    assert all(m.sent_at is None and m.failed_at is None and m.leased_until is None for m in messages)
    assert all(m.attempts == 1 and m.available_at > timezone.now() for m in messages)
    assert all("ConnectionRefusedError" in m.last_error for m in messages)
    assert smtp_sink.messages == []

    settings.EMAIL_PORT = smtp_sink.port
    time_passes()
    report, _more = outbox_send_due()

    assert report.sent == 3
    assert sorted(received_ids(smtp_sink)) == sorted(m.message_id for m in queued)
    assert set(Message.objects.values_list("status", flat=True)) == {S.SENT}


def test_connection_refused_on_the_last_attempt_fails_the_messages_and_reports_them_failed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.OUTBOX_MAX_ATTEMPTS = 1
    queue(2)

    report, _more = outbox_send_due()

    assert (report.sent, report.failed, report.deferred) == (0, 2, 0)
    assert set(Message.objects.values_list("status", flat=True)) == {S.FAILED}
    assert all("ConnectionRefusedError" in m.last_error for m in Message.objects.all())


class _ClosingHandler(_Handler):
    """The sink's handler, plus a server that goes away in the middle of a batch: at the recipient
    ``closing@…`` it answers 421 (closing the channel), at ``drop@…`` it drops the connection unanswered.
    """

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's
        if address.startswith("closing@"):
            return "421 4.3.2 service shutting down"
        if address.startswith("drop@"):
            server.transport.close()
            return "250 OK"  # never reaches the client
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


@pytest.fixture
def closing_sink(settings):
    from aiosmtpd.controller import Controller

    port = free_port()
    sink = SmtpSink(host="127.0.0.1", port=port)
    controller = Controller(_ClosingHandler(sink), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    yield sink
    controller.stop()


@pytest.mark.parametrize("goes_away_at", ["closing@example.org", "drop@example.org"])
def test_a_connection_lost_mid_batch_defers_that_message_and_releases_the_rest_at_once(
    closing_sink, goes_away_at
):
    [before] = queue(1, to="before@example.org")
    [lost] = queue(1, to=goes_away_at)
    rest = queue(2, to="after{i}@example.org")

    report, more = outbox_send_due()

    # The rest of the batch was never tried: released untouched, sent by the run's next batch.
    assert (report.sent, report.deferred, report.failed, report.batches, more) == (3, 1, 0, 2, False)
    assert closing_sink.connections == 2
    assert received_to(closing_sink) == ["before@example.org", "after0@example.org", "after1@example.org"]
    for message in [before, *rest]:
        message.refresh_from_db()
        assert (message.status, message.attempts, message.last_error) == (S.SENT, 1, "")
    lost.refresh_from_db()
    assert (lost.status, lost.attempts, lost.leased_until) == (S.PENDING, 1, None)
    assert lost.available_at > timezone.now() and lost.last_error
