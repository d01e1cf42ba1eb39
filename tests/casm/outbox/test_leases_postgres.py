"""Senders in parallel on PostgreSQL (real connections, one per thread): leases never overlap."""

import pytest
from django.db import connection

from casm.outbox.models import Message
from casm.outbox.services.delivery import messages_lease, outbox_send_due
from casm.testing import need, race
from tests.casm.outbox.support import received_ids, waiting

# Only the outbox tables are emptied after each test (a flush of the whole schema takes seconds).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, available_apps=["casm.outbox"])]


def test_parallel_leases_on_postgresql_never_overlap():
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    waiting(300)

    def lease(i):
        return [(m.pk, m.lease_token) for m in messages_lease(limit=50)]

    results = race(lease, n=4)

    assert not any(isinstance(r, Exception) for r in results), results
    batches = [{pk for pk, _token in result} for result in results]
    assert all(len(batch) == 50 for batch in batches)
    assert len(set().union(*batches)) == 200  # no message in two batches
    tokens = {token for result in results for _pk, token in result}
    assert len(tokens) == 4
    for result in results:
        [token] = {token for _pk, token in result}
        assert set(Message.objects.filter(lease_token=token).values_list("pk", flat=True)) == {
            pk for pk, _token in result
        }


def test_parallel_senders_on_postgresql_deliver_each_message_once(smtp_sink, settings):
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    settings.OUTBOX_BATCH_SIZE = 20
    queued = waiting(150)

    results = race(lambda i: outbox_send_due()[0], n=3)

    assert not any(isinstance(r, Exception) for r in results), results
    assert sum(report.sent for report in results) == 150
    assert all(report.batches >= 1 for report in results)  # each sender took its own share
    assert sorted(received_ids(smtp_sink)) == sorted(m.message_id for m in queued)  # none twice
    assert smtp_sink.connections == sum(report.batches for report in results)
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
