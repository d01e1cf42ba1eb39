"""Staff retry failed mail after a correction: to the record's current address, with its Message-ID."""

import pytest

from casm.outbox.models import Message
from casm.outbox.selectors import address_failures
from casm.outbox.services.delivery import outbox_send_due
from casm.outbox.services.retry import messages_retry
from tests.casm.outbox.support import queue, received_to
from tests.network.factories import MemberFactory

pytestmark = pytest.mark.django_db

S = Message.Status


def test_messages_retry_sends_failed_mail_again_to_the_members_corrected_address(
    smtp_sink, staff_user, sector
):
    member = MemberFactory(sector=sector, email="ama@exmaple.org")  # a typo staff will correct
    [message] = queue(1, kind="test.reminder", to=member.email, recipient=member)
    [other_notices] = queue(1, kind="test.publication", to="nobody@exmaple.org")
    smtp_sink.refuse_recipients.update({"ama@exmaple.org", "nobody@exmaple.org"})
    outbox_send_due()
    message.refresh_from_db()
    assert message.status == S.FAILED
    assert set(address_failures(["ama@exmaple.org"])) == {"ama@exmaple.org"}  # flagged on the record

    member.email = "ama@example.org"
    member.save()
    count = messages_retry(notice=message.notice, actor=staff_user)

    assert count == 1
    message.refresh_from_db()
    assert (message.to, message.status, message.attempts) == ("ama@example.org", S.PENDING, 0)
    assert message.failed_at is None and message.leased_until is None
    other_notices.refresh_from_db()
    assert (other_notices.to, other_notices.status) == ("nobody@exmaple.org", S.FAILED)

    report, _more = outbox_send_due()

    assert report.sent == 1
    [received] = smtp_sink.messages
    assert received["To"] == "ama@example.org"
    assert received["Message-ID"] == message.message_id
    message.refresh_from_db()
    assert (message.status, message.last_error) == (S.SENT, "")
    assert address_failures(["ama@example.org", "ama@exmaple.org"]) == {}  # that mail has now arrived


def test_messages_retry_keeps_the_address_of_mail_to_an_address_without_a_record(smtp_sink, staff_user):
    [message] = queue(1, to="press@example.org")
    smtp_sink.refuse_recipients.add("press@example.org")
    outbox_send_due()
    smtp_sink.refuse_recipients.clear()

    assert messages_retry(notice=message.notice, actor=staff_user) == 1
    outbox_send_due()

    assert received_to(smtp_sink) == ["press@example.org"]


def test_messages_retry_of_chosen_messages_leaves_the_notices_other_failures(smtp_sink, staff_user):
    first, second = queue(2, to="gone{i}@example.org")
    smtp_sink.refuse_recipients.update({first.to, second.to})
    outbox_send_due()

    assert messages_retry(notice=first.notice, actor=staff_user, message_ids=[second.pk]) == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.FAILED, S.PENDING)


def test_messages_retry_leaves_sent_and_waiting_messages_alone(smtp_sink, staff_user):
    sent, waiting_one = queue(2)
    smtp_sink.defer_recipients.add(waiting_one.to)
    outbox_send_due()

    assert messages_retry(notice=sent.notice, actor=staff_user) == 0
    sent.refresh_from_db()
    waiting_one.refresh_from_db()
    assert (sent.status, waiting_one.status, waiting_one.attempts) == (S.SENT, S.PENDING, 1)
