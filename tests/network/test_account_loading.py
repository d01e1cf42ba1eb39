"""Every request loads the account with its role flags and member record, in one ORM query."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from casm import roles
from network.backends import AuthenticationBackend
from network.permissions import has_mfa, is_secretariat, member_of
from tests.network.factories import MemberFactory, UserFactory

BACKEND = AuthenticationBackend()


@pytest.mark.django_db
def test_staff_account_comes_with_its_flags_in_one_query(staff_user, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = BACKEND.get_user(staff_user.pk)
        assert is_secretariat(user) is True
        assert has_mfa(user) is True
        assert member_of(user) is None  # known to be absent: no query


@pytest.mark.django_db
def test_member_account_comes_with_its_member_record_and_membership_in_one_query(
    member, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = BACKEND.get_user(member.user_id)
        assert member_of(user).pk == member.pk
        assert user.member.membership.status == member.membership.status
        assert is_secretariat(user) is False and has_mfa(user) is False


@pytest.mark.django_db
def test_flags_follow_the_groups_at_once(plain_user):
    assert is_secretariat(BACKEND.get_user(plain_user.pk)) is False
    plain_user.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    assert is_secretariat(BACKEND.get_user(plain_user.pk)) is True
    plain_user.groups.clear()
    assert is_secretariat(BACKEND.get_user(plain_user.pk)) is False


@pytest.mark.django_db
def test_staff_pages_follow_the_groups_at_once(plain_user):
    """The next request after a change of groups sees it: nothing about the account is kept."""
    client = Client()
    client.force_login(plain_user)
    staff_home = reverse("network:staff_home")
    assert client.get(staff_home).status_code == 403
    plain_user.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    assert client.get(staff_home).status_code == 302  # staff now, sent to set up a second factor
    plain_user.groups.clear()
    assert client.get(staff_home).status_code == 403


@pytest.mark.django_db
def test_only_totp_or_webauthn_count_as_a_second_factor(plain_user):
    def flag():
        return has_mfa(BACKEND.get_user(plain_user.pk))

    assert flag() is False
    Authenticator.objects.create(user=plain_user, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert flag() is False
    assert has_mfa(plain_user) is False  # the same answer without the backend's flag
    Authenticator.objects.create(user=plain_user, type=Authenticator.Type.WEBAUTHN, data={})
    assert flag() is True
    assert has_mfa(plain_user) is True


@pytest.mark.django_db
@pytest.mark.parametrize("user_id", [987654321, "not-a-number", None, ""])
def test_unknown_or_malformed_account_id_loads_nothing(user_id):
    assert BACKEND.get_user(user_id) is None


@pytest.mark.django_db
def test_deactivated_account_is_not_logged_in():
    user = UserFactory(is_active=False)
    assert BACKEND.get_user(user.pk) is None
    assert BACKEND.get_user(MemberFactory(user=UserFactory()).user_id) is not None


@pytest.mark.django_db
def test_account_deactivated_during_a_session_is_logged_out(member):
    client = Client()
    client.force_login(member.user)
    assert client.get(reverse("network:me")).status_code == 200
    member.user.is_active = False
    member.user.save()
    response = client.get(reverse("network:me"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
