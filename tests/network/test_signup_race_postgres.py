"""Twenty sign-ups with the same new address at once: one account, and the normal answer for all."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from casm.testing import need, race
from network.models import Member, User
from tests.network.factories import SectorFactory
from tests.network.test_join import join_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_sign_ups_with_one_new_address_make_one_account_and_no_server_error():
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    sector = SectorFactory()
    data = join_data(sector, email="racer@example.org")

    def sign_up(i):
        client = Client(raise_request_exception=False, REMOTE_ADDR=f"198.51.100.{i + 1}")
        response = client.post(reverse("account_signup"), data)
        return response.status_code, response.get("Location")

    results = race(sign_up, n=20)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert [status for status, _location in results].count(500) == 0, results
    assert set(results) == {(302, reverse("account_email_verification_sent"))}
    assert User.objects.filter(email__iexact="racer@example.org").count() == 1
    assert Member.objects.filter(email__iexact="racer@example.org").count() == 1
