"""Publication notices through a real Celery worker on Redis, against PostgreSQL: nobody gets two mails.

As ``test_reminders_worker``: the worker is another process, reads the committed test data, writes
the claims and their outbox messages, and the outbox task sends the mail over SMTP to the test's
sink. Run with DATABASE_URL (PostgreSQL) and REDIS_URL set.
"""

import time
from collections import Counter

import pytest
from django.db import transaction

from casm.outbox.models import Message
from governance.consultations.models import Consultation, PublicationNoticeSent
from governance.consultations.services import consultations as builder
from governance.consultations.services import publication
from governance.consultations.tasks import publication_notice_batch_send_task
from tests.governance.consultations.factories import SectionFactory
from tests.governance.consultations.reminder_factories import invited_consultation
from tests.governance.consultations.test_reminders_worker import (  # noqa: F401 (fixture)
    _sent,
    claimed_by_a_worker_that_died,
    worker,
)
from tests.network.factories import MemberFactory, UserFactory
from tests.network.worker import wait_until

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def _recipients(sink) -> Counter:
    with sink.lock:
        return Counter(message["To"] for message in sink.messages)


def test_publishing_tells_the_audience_through_a_real_worker_once_each_despite_redelivery_and_republication(
    worker,  # noqa: F811
    smtp_sink,
    monkeypatch,
):
    # A superuser counts as secretariat without the role group (which a flushed database may lack).
    staff = UserFactory(email="publisher@example.org", is_superuser=True)
    consultation, members = invited_consultation(25, title="Revitalising CASM")
    Consultation.objects.filter(pk=consultation.pk).update(is_published=False)
    SectionFactory(consultation=consultation, mode="comment")

    with transaction.atomic():  # committed: the publication's on-commit hook queues the fan-out
        builder.consultation_publish(consultation=consultation, actor=staff)

    wait_until(
        lambda: _sent(PublicationNoticeSent) == 25,
        timeout=60,
        message=f"the worker did not send the 25 notices:\n{worker.log()}",
    )
    wait_until(lambda: len(smtp_sink.messages) == 25, timeout=15, message="25 mails did not arrive")

    # A batch delivered again. Late joiners, one of whom was claimed by a batch whose worker died
    # right after its commit (the mail waits in the outbox); unpublished and published again.
    publication_notice_batch_send_task.delay(consultation.pk, [m.pk for m in members[:10]])
    late = [MemberFactory(sector=members[0].sector) for _ in range(3)]
    consultation.invitees.add(*late)
    claimed_by_a_worker_that_died(
        monkeypatch,
        lambda: publication.publication_notice_batch_send(
            consultation_id=consultation.pk, member_ids=[late[0].pk]
        ),
    )
    assert PublicationNoticeSent.objects.get(member=late[0]).message is not None  # committed with its claim
    builder.consultation_unpublish(consultation=consultation, actor=staff)
    with transaction.atomic():
        builder.consultation_publish(consultation=consultation, actor=staff)

    wait_until(
        lambda: _sent(PublicationNoticeSent) == 28,
        timeout=60,
        message=f"the worker did not tell the late joiners:\n{worker.log()}",
    )
    time.sleep(1)  # any duplicate would have arrived by now

    received = _recipients(smtp_sink)
    assert sum(received.values()) == 28
    assert max(received.values()) == 1, [to for to, n in received.items() if n > 1]
    # The crashed batch's person was told once: by the outbox, not by a second claim.
    assert received[late[0].email] == 1
    assert set(received) == {m.email for m in [*members, *late]}
    assert PublicationNoticeSent.objects.count() == 28
    assert not PublicationNoticeSent.objects.exclude(message__status=Message.Status.SENT).exists()
    message = smtp_sink.wait_for(members[0].email, "New consultation")
    assert f"/consultations/{consultation.slug}/respond/" in smtp_sink.body(message)
