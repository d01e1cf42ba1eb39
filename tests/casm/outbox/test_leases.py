"""Leases: a sender's batch is its own while its lease lives, and goes again once it expired."""

import datetime

import pytest
from django.utils import timezone

from casm.outbox.models import Message
from casm.outbox.services.delivery import messages_lease, outbox_send_due
from tests.casm.outbox.support import queue, received_ids

pytestmark = pytest.mark.django_db


def _pks(messages) -> list[int]:
    return [m.pk for m in messages]


def test_a_lease_held_by_a_live_sender_is_respected_by_the_next_lease():
    queued = queue(5)

    first = messages_lease(limit=3)
    second = messages_lease(limit=10)
    third = messages_lease(limit=10)

    assert _pks(first) == _pks(queued[:3])  # oldest first
    assert _pks(second) == _pks(queued[3:])
    assert third == []
    assert len({m.lease_token for m in first + second}) == 2
    assert all(m.leased_until > timezone.now() for m in first + second)


def test_a_sender_delivers_nothing_another_live_sender_holds(smtp_sink):
    queued = queue(4)
    held = messages_lease(limit=2)  # a sender still at work on these

    report, more = outbox_send_due()

    assert report.sent == 2
    assert sorted(received_ids(smtp_sink)) == sorted(m.message_id for m in queued[2:])
    assert more is False
    for message in held:
        message.refresh_from_db()
        assert message.status == Message.Status.PENDING and message.attempts == 0


def test_an_expired_lease_is_taken_again_by_the_next_run(smtp_sink):
    queued = queue(3)
    dead_senders_batch = messages_lease(limit=3)  # its sender died without a mark
    assert messages_lease(limit=10) == []

    Message.objects.filter(pk__in=_pks(dead_senders_batch)).update(
        leased_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    report, _more = outbox_send_due()

    assert report.sent == 3
    assert sorted(received_ids(smtp_sink)) == sorted(m.message_id for m in queued)
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}


def test_an_expired_lease_is_stamped_with_the_new_senders_token():
    queue(2)
    old = messages_lease(limit=2)
    Message.objects.update(leased_until=timezone.now() - datetime.timedelta(seconds=1))

    new = messages_lease(limit=2)

    assert _pks(new) == _pks(old)
    assert {m.lease_token for m in new} != {m.lease_token for m in old}
    assert all(m.leased_until > timezone.now() for m in new)
