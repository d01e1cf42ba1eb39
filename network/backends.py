"""The authentication backend: allauth's, loading with the account what every page asks of it.

Every request loads the account. One short SQL statement reads it with two flags
(``casm_is_secretariat``, ``casm_has_mfa``, read by network.permissions) and the id of the
person's member record; the member record, with its membership, comes in a second query only
for accounts that have one.

PostgreSQL spends longer planning that statement than running it (about 0.3 ms against 0.1 ms on
the bench database; an ORM query joining the same tables took 2.5 ms to plan). So on PostgreSQL it
is a prepared statement: prepared once per database connection, then only executed. It names its
columns, so a column added to the accounts table by a later migration does not change what it
returns. The row becomes a User the way the ORM makes one (``Model.from_db``).
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.db import connection

from casm import roles
from network.models import Member, User

STATEMENT_NAME = "casm_account_with_roles"


def _account_sql(first: str, second: str) -> str:
    """The statement, with ``first`` (the secretariat's group name) and ``second`` (the account id)."""
    quote = connection.ops.quote_name
    user_groups = User.groups.through
    group = user_groups._meta.get_field("group").related_model
    columns = ", ".join(f"u.{quote(field.column)}" for field in User._meta.concrete_fields)
    return (
        f"SELECT {columns},"
        f" EXISTS(SELECT 1 FROM {quote(user_groups._meta.db_table)} ug"
        f" JOIN {quote(group._meta.db_table)} g ON g.id = ug.group_id"
        f" WHERE ug.user_id = u.id AND g.name = {first}) AS casm_is_secretariat,"
        f" EXISTS(SELECT 1 FROM {quote(Authenticator._meta.db_table)} a"
        f" WHERE a.user_id = u.id) AS casm_has_mfa,"
        f" (SELECT m.id FROM {quote(Member._meta.db_table)} m WHERE m.user_id = u.id) AS casm_member_id"
        f" FROM {quote(User._meta.db_table)} u WHERE u.id = {second}"
    )


def _prepare_on_this_connection() -> None:
    """Prepare the statement on the current PostgreSQL connection unless it already is.

    Prepared statements belong to a database session and outlive transactions, so this runs once
    per connection. It goes through the driver's own cursor: it is set-up of the connection, like
    the time zone Django sets on it, not one of the page's queries.
    """
    connection.ensure_connection()
    raw = connection.connection
    if getattr(connection, "casm_account_prepared_on", None) is raw:
        return
    with raw.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [STATEMENT_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f"PREPARE {STATEMENT_NAME} (text, bigint) AS {_account_sql('$1', '$2')}")
    connection.casm_account_prepared_on = raw


def _account_row(pk: int):
    if connection.vendor == "postgresql":
        _prepare_on_this_connection()
        sql = f"EXECUTE {STATEMENT_NAME}(%s, %s)"
    else:
        sql = _account_sql("%s", "%s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [roles.SECRETARIAT, pk])
        return cursor.fetchone()


_converters_by_vendor: dict[str, list] = {}


def _converters() -> list:
    """The ORM's converters of the account's columns on this database (booleans and dates on SQLite)."""
    converters = _converters_by_vendor.get(connection.vendor)
    if converters is None:
        converters = []
        for index, field in enumerate(User._meta.concrete_fields):
            column = field.get_col(User._meta.db_table)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                converters.append((index, found, column))
        _converters_by_vendor[connection.vendor] = converters
    return converters


def account_with_roles(user_id) -> User | None:
    """The account ``user_id`` with its role flags and member record (None if there is no account)."""
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    row = _account_row(pk)
    if row is None:
        return None
    fields = User._meta.concrete_fields
    values = list(row[: len(fields)])
    for index, converters, column in _converters():
        for converter in converters:
            values[index] = converter(values[index], column, connection)
    user = User.from_db(connection.alias, None, values)
    is_secretariat, has_mfa, member_id = row[len(fields) :]
    user.casm_is_secretariat = bool(is_secretariat)
    user.casm_has_mfa = bool(has_mfa)
    user.casm_member_id = member_id
    member = None
    if member_id is not None:
        member = Member.objects.select_related("membership").get(pk=member_id)
        member._state.fields_cache["user"] = user
    # Cached even when None, so that asking for the member record of an account without one
    # costs no query.
    user._state.fields_cache["member"] = member
    return user


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        user = account_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
