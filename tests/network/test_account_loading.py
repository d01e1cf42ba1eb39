"""Every request loads the account with its role flags and member record: one short statement.

On PostgreSQL the statement is prepared once per database connection; these tests hold it to
returning what the ORM would, on both databases, and to surviving new connections.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from casm import roles
from casm.testing import need
from network.backends import STATEMENT_NAME, AuthenticationBackend, account_with_roles
from network.models import User
from network.permissions import member_of
from tests.network.factories import MemberFactory, UserFactory


@pytest.mark.django_db
def test_account_comes_with_its_flags_in_one_query(staff_user, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = account_with_roles(staff_user.pk)
        assert user.casm_is_secretariat is True
        assert user.casm_has_mfa is True
        assert member_of(user) is None  # known to be absent: no query


@pytest.mark.django_db
def test_account_has_the_values_the_orm_reads(staff_user):
    """Every column, converted as the ORM converts it (booleans and times on SQLite)."""
    loaded = account_with_roles(staff_user.pk)
    expected = User.objects.get(pk=staff_user.pk)
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert isinstance(loaded.is_active, bool) and isinstance(loaded.is_staff, bool)


@pytest.mark.django_db
def test_member_account_brings_its_member_record_and_membership(member, django_assert_num_queries):
    with django_assert_num_queries(2):
        user = account_with_roles(member.user_id)
        assert user.casm_member_id == member.pk
        assert user.member.pk == member.pk
        assert user.member.membership.status == member.membership.status
        assert user.member.user is user
    assert user.casm_is_secretariat is False and user.casm_has_mfa is False


@pytest.mark.django_db
def test_flags_follow_the_groups_at_once(plain_user):
    assert account_with_roles(plain_user.pk).casm_is_secretariat is False
    plain_user.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    assert account_with_roles(plain_user.pk).casm_is_secretariat is True
    plain_user.groups.clear()
    assert account_with_roles(plain_user.pk).casm_is_secretariat is False


@pytest.mark.django_db
@pytest.mark.parametrize("user_id", [987654321, "not-a-number", None, ""])
def test_unknown_or_malformed_account_id_loads_nothing(user_id):
    assert account_with_roles(user_id) is None


@pytest.mark.django_db
def test_deactivated_account_is_not_logged_in():
    user = UserFactory(is_active=False)
    assert AuthenticationBackend().get_user(user.pk) is None
    assert AuthenticationBackend().get_user(MemberFactory(user=UserFactory()).user_id) is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_statement_is_prepared_once_per_connection_and_again_on_a_new_one():
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    user = UserFactory()

    def prepared_here():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [STATEMENT_NAME])
            return cursor.fetchone()[0]

    connection.close()
    assert prepared_here() == 0  # a new connection starts without it
    assert account_with_roles(user.pk).pk == user.pk
    assert prepared_here() == 1
    assert account_with_roles(user.pk).pk == user.pk  # executed, not prepared again
    assert prepared_here() == 1

    # The statement is on the server but the mark of it was lost: found, not prepared twice.
    del connection.casm_account_prepared_on
    assert account_with_roles(user.pk).pk == user.pk

    connection.close()
    assert account_with_roles(user.pk).pk == user.pk
    assert prepared_here() == 1
