"""Database constraints that must hold when two requests race (PostgreSQL, real connections)."""

import threading

import pytest
from django.db import IntegrityError, connection, connections

from casm.testing import need
from network.models import Member, PledgeAffirmation
from tests.network.factories import MemberFactory, PledgeFactory, SectorFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(worker, n=2):
    """Run ``worker`` in n threads released at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = worker(i)
        except Exception as exc:  # the race's loser raises; the test inspects it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_member_email_is_unique_under_concurrent_creation():
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    sector = SectorFactory()

    def create(i):
        # The same address in two spellings: the constraint compares lower-cased emails.
        email = "SAME@example.org" if i else "same@example.org"
        return Member.objects.create(full_name=f"Racer {i}", email=email, country="GH", sector=sector)

    results = _race(create)

    assert Member.objects.filter(email__iexact="same@example.org").count() == 1
    assert sum(isinstance(r, IntegrityError) for r in results) == 1


def test_pledge_version_is_affirmed_once_under_concurrent_affirmations():
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    member = MemberFactory(user=UserFactory())
    pledge = PledgeFactory()

    results = _race(lambda i: PledgeAffirmation.objects.create(member=member, pledge=pledge))

    assert PledgeAffirmation.objects.filter(member=member, pledge=pledge).count() == 1
    assert sum(isinstance(r, IntegrityError) for r in results) == 1
