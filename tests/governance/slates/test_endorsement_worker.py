"""The close through a real Celery worker on Redis, against PostgreSQL: counted once, the outcome mailed once.

The worker is another process: it reads the committed test data (``transactional_db``), counts
the window in ``windows_close_due_task`` (sent twice: the second finds it counted), writes the
outcome notices in batches, and the outbox sends them over SMTP to the test's sink. Run with
DATABASE_URL (PostgreSQL) and REDIS_URL set.
"""

import datetime
import time
from collections import Counter

import pytest
from django.utils import timezone

from governance.slates.models import EndorsementWindow, Slate
from governance.slates.services import endorsement as services
from governance.slates.tasks import window_close_task, windows_close_due_task
from tests.governance.consultations.test_reminders_worker import worker  # noqa: F401 (fixture)
from tests.governance.slates.endorsement_factories import audience, open_window
from tests.network.factories import UserFactory
from tests.network.worker import wait_until

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def test_a_real_worker_counts_the_window_once_and_tells_the_audience_once(worker, smtp_sink):  # noqa: F811
    # A superuser counts as secretariat without the role group (which a flushed database may lack).
    staff = UserFactory(email="opener@example.org", is_superuser=True)
    audience((3, 2))
    window = open_window(staff, days=1, now=timezone.now() - datetime.timedelta(days=2))
    for invitation in list(window.invitations.order_by("member_id"))[:4]:
        services.window_answer_by_link(
            token=services.window_link_token(invitation), choice="endorse", now=window.opens_at
        )
    invited = window.invitations.count()

    windows_close_due_task.delay()
    window_close_task.delay(window.pk)  # the same window again, as a second beat run would

    wait_until(
        lambda: EndorsementWindow.objects.get(pk=window.pk).outcome_computed_at,
        timeout=60,
        message=f"the worker did not count the window:\n{worker.log()}",
    )
    wait_until(
        lambda: len(smtp_sink.messages) >= 2 * invited,  # the invitations, then the outcome
        timeout=60,
        message=f"the outcome mail did not arrive:\n{worker.log()}",
    )
    time.sleep(1)  # any duplicate would have arrived by now
    window.refresh_from_db()
    assert window.outcome == "endorsed" and window.slate.status == Slate.Status.ENDORSED
    assert window.history.filter(history_change_reason="Outcome counted at the close").count() == 1
    with smtp_sink.lock:
        outcome = Counter(m["To"] for m in smtp_sink.messages if "is endorsed" in m["Subject"])
    assert len(outcome) == invited and set(outcome.values()) == {1}
