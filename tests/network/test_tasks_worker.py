"""Celery tasks through a real worker process on Redis, against PostgreSQL.

A worker in another process cannot see an in-memory SQLite test database nor the test's open
transaction: these tests need PostgreSQL and commit their data (``transactional_db``).
"""

import datetime
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from casm import roles
from casm.testing import need
from network.imports.services import import_job_create
from network.models import ImportJob, Member, Membership
from network.tasks import membership_lapse_due_task
from tests.network.factories import MemberFactory, SectorFactory, make_staff
from tests.network.worker import celery_worker, use_queue, wait_until

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def _redis_reachable() -> bool:
    url = urlparse(settings.REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def worker(transactional_db):
    need(bool(settings.REDIS_URL), "REDIS_URL is not set: no Redis broker for a real worker")
    need(_redis_reachable(), f"Redis at {settings.REDIS_URL} is not reachable")
    need(connection.vendor == "postgresql", "DATABASE_URL does not point to PostgreSQL")
    need(not settings.CELERY_TASK_ALWAYS_EAGER, "Celery runs tasks eagerly (REDIS_URL unset?)")
    with celery_worker() as running, use_queue(running.queue):
        yield running


def test_lapse_check_runs_through_a_real_worker(worker):
    member = MemberFactory()
    Membership.objects.filter(member=member).update(
        term_start=timezone.localdate() - datetime.timedelta(days=400),
        term_end=timezone.localdate() - datetime.timedelta(days=1),
    )
    current = MemberFactory()

    membership_lapse_due_task.delay()

    wait_until(
        lambda: Membership.objects.get(member=member).status == Membership.Status.LAPSED,
        timeout=30,
        message=f"the worker did not lapse the membership:\n{worker.log()}",
    )
    lapsed = Membership.objects.get(member=member)
    assert lapsed.status_reason.startswith("Term ended on")
    assert lapsed.history.first().history_change_reason == "Term ended: lapsed by the lapse check"
    assert Membership.objects.get(member=current).status == Membership.Status.ACTIVE


def test_an_import_runs_through_a_real_worker(worker):
    # A transactional test before this one emptied the tables, the groups of the data migration too.
    Group.objects.get_or_create(name=roles.SECRETARIAT)
    staff = make_staff(email="importer@example.org")
    SectorFactory(code="civil-society", name="Civil society")
    content = (
        "email,full_name,country,sector,languages\n"
        + "".join(f"p{n}@example.org,Person {n},GH,civil-society,en;fr\n" for n in range(50))
    ).encode()

    job = import_job_create(actor=staff, filename="worker.csv", raw_bytes=content)  # on_commit: sent

    done = wait_until(
        lambda: ImportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(),
        timeout=30,
        message=f"the worker did not finish the import:\n{worker.log()}",
    )
    assert (done.status, done.created_count, done.errors) == ("done", 50, [])
    assert Member.objects.filter(email__endswith="@example.org", full_name__startswith="Person").count() == 50
    assert (
        Member.history.filter(history_user=staff, history_change_reason="Imported from worker.csv").count()
        == 50
    )
