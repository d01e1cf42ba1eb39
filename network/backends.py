"""The authentication backend: allauth's, loading with the account what every page asks of it.

Every request loads the account; one ORM query brings with it the person's member record and
membership (``select_related``) and the two flags ``network.permissions`` reads
(``casm_is_secretariat``, ``casm_has_mfa``) as ``EXISTS`` subqueries.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, QuerySet

from casm import roles
from network.models import User
from network.permissions import SECOND_FACTORS


def accounts_with_roles() -> QuerySet[User]:
    """Accounts with their member record, membership and role flags joined (one query for one)."""
    return User.objects.select_related("member__membership").annotate(
        casm_is_secretariat=Exists(
            User.groups.through.objects.filter(user=OuterRef("pk"), group__name=roles.SECRETARIAT)
        ),
        casm_has_mfa=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type__in=SECOND_FACTORS)),
    )


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        try:
            user = accounts_with_roles().get(pk=user_id)
        except (User.DoesNotExist, ValueError, TypeError):
            return None
        return user if self.user_can_authenticate(user) else None
