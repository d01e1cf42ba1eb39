"""The authentication backend: allauth's, loading with the account what every page asks of it.

Every request loads the account. One short SQL statement reads it with two flags
(``casm_is_secretariat``, ``casm_has_mfa``, read by network.permissions) and the id of the
person's member record; the member record, with its membership, comes in a second query only
for accounts that have one. An ORM query joining all of it cost PostgreSQL more to plan than to
run (about 2.5 ms against 0.5 ms for this one, measured on the bench database).
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.db import connection

from casm import roles
from network.models import Member, User


def _account_sql() -> str:
    quote = connection.ops.quote_name
    user_table = quote(User._meta.db_table)
    user_groups = User.groups.through
    group = user_groups._meta.get_field("group").related_model
    return (
        f"SELECT u.*,"
        f" EXISTS(SELECT 1 FROM {quote(user_groups._meta.db_table)} ug"
        f" JOIN {quote(group._meta.db_table)} g ON g.id = ug.group_id"
        f" WHERE ug.user_id = u.id AND g.name = %s) AS casm_is_secretariat,"
        f" EXISTS(SELECT 1 FROM {quote(Authenticator._meta.db_table)} a"
        f" WHERE a.user_id = u.id) AS casm_has_mfa,"
        f" (SELECT m.id FROM {quote(Member._meta.db_table)} m WHERE m.user_id = u.id) AS casm_member_id"
        f" FROM {user_table} u WHERE u.id = %s"
    )


def account_with_roles(user_id) -> User | None:
    """The account ``user_id`` with its role flags and member record (None if there is no account)."""
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    rows = list(User._default_manager.raw(_account_sql(), [roles.SECRETARIAT, pk]))
    if not rows:
        return None
    user = rows[0]
    user.casm_is_secretariat = bool(user.casm_is_secretariat)
    user.casm_has_mfa = bool(user.casm_has_mfa)
    member = None
    if user.casm_member_id is not None:
        member = Member.objects.select_related("membership").get(pk=user.casm_member_id)
        member._state.fields_cache["user"] = user
    # Cached even when None, so that asking for the member record of an account without one
    # costs no query.
    user._state.fields_cache["member"] = member
    return user


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        user = account_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
