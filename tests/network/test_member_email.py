"""Staff correct the address a member's mail goes to, on the member's record."""

import pytest
from django.urls import reverse

from network.models import Member
from tests.network.factories import MemberFactory


def _post(client, member, email, reason=""):
    return client.post(
        reverse("network:staff_member_email", args=[member.pk]),
        {"email-email": email, "email-reason": reason},
        follow=True,
    )


@pytest.mark.django_db
def test_staff_correct_a_members_address_and_history_keeps_it(staff_client, member):
    response = _post(staff_client, member, "new.address@example.org", "The member wrote to us")

    member.refresh_from_db()
    assert member.email == "new.address@example.org"
    assert "The address is saved" in response.content.decode()
    latest = member.history.first()
    assert latest.email == "new.address@example.org"
    assert latest.history_change_reason.startswith("Email address corrected.")


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["not-an-address", ""])
def test_a_malformed_address_is_refused_and_changes_nothing(staff_client, member, bad):
    before = member.email

    response = _post(staff_client, member, bad)

    member.refresh_from_db()
    assert member.email == before
    assert "Nothing was changed" in response.content.decode()


@pytest.mark.django_db
def test_another_members_address_is_refused_whatever_its_case(staff_client, member, sector):
    MemberFactory(email="Taken@Example.org", sector=sector)
    before = member.email

    response = _post(staff_client, member, "taken@example.ORG")

    member.refresh_from_db()
    assert member.email == before
    assert "Another member has this address." in response.content.decode()


@pytest.mark.django_db
def test_only_staff_with_a_second_factor_may_correct_an_address(member_client, member, client):
    before = member.email

    for visitor in (client, member_client):
        response = visitor.post(
            reverse("network:staff_member_email", args=[member.pk]), {"email-email": "x@example.org"}
        )
        assert response.status_code in (302, 403)

    assert Member.objects.get(pk=member.pk).email == before
