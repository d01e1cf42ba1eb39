"""Database constraints that must hold when two requests race (PostgreSQL, real connections)."""

import pytest
from django.db import IntegrityError, connection

from casm.testing import need, race
from network.models import Member, PledgeAffirmation
from tests.network.factories import MemberFactory, PledgeFactory, SectorFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_member_email_is_unique_under_concurrent_creation():
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    sector = SectorFactory()

    def create(i):
        # The same address in two spellings: the constraint compares lower-cased emails.
        email = "SAME@example.org" if i else "same@example.org"
        return Member.objects.create(full_name=f"Racer {i}", email=email, country="GH", sector=sector)

    results = race(create)

    assert Member.objects.filter(email__iexact="same@example.org").count() == 1
    assert sum(isinstance(r, IntegrityError) for r in results) == 1


def test_pledge_version_is_affirmed_once_under_concurrent_affirmations():
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    member = MemberFactory(user=UserFactory())
    pledge = PledgeFactory()

    results = race(lambda i: PledgeAffirmation.objects.create(member=member, pledge=pledge))

    assert PledgeAffirmation.objects.filter(member=member, pledge=pledge).count() == 1
    assert sum(isinstance(r, IntegrityError) for r in results) == 1
