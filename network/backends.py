"""The authentication backend: allauth's, loading with the account what every page asks of it."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef

from casm import roles
from network.models import User


def user_with_roles():
    """Accounts with their member record and membership joined, and two flags computed in SQL:
    ``casm_is_secretariat`` (in the secretariat group) and ``casm_has_mfa`` (an authenticator set up).
    network.permissions reads the flags when they are there, so a page costs no extra queries for them.
    """
    memberships = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=roles.SECRETARIAT)
    return User._default_manager.select_related("member__membership").annotate(
        casm_is_secretariat=Exists(memberships),
        casm_has_mfa=Exists(Authenticator.objects.filter(user_id=OuterRef("pk"))),
    )


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        user = user_with_roles().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
