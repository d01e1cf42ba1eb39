"""The authentication backend: allauth's, loading the person's member record with their account."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from network.models import User


class AuthenticationBackend(AllauthBackend):
    """Every request loads the account; its member record and membership come in the same query,
    since the menu and most permission checks need them."""

    def get_user(self, user_id):
        user = User._default_manager.select_related("member__membership").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
