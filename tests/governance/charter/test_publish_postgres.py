"""Versions published at the same moment get consecutive numbers, on PostgreSQL."""

import pytest
from django.db import connection

from casm.testing import need, race
from governance.charter import services
from governance.charter.models import Document, DocumentVersion
from tests.governance.bodies.factories import BodyFactory
from tests.network.factories import make_staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("first", [True, False], ids=["first-versions", "later-versions"])
def test_concurrent_publishers_get_consecutive_numbers(first):
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    staff = make_staff()
    body = BodyFactory()
    if not first:
        services.ground_rules_publish(actor=staff, body=body, title="Rules", text="Version one.")

    results = race(
        lambda i: services.ground_rules_publish(actor=staff, body=body, title="Rules", text=f"Racer {i}."),
        n=3,
    )

    assert all(isinstance(result, DocumentVersion) for result in results), results
    numbers = sorted(DocumentVersion.objects.values_list("number", flat=True))
    assert numbers == ([1, 2, 3] if first else [1, 2, 3, 4])
    assert Document.objects.count() == 1
