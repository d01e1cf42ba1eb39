"""allauth's sign-up form (which already carries JoinForm's fields), made all-or-nothing.

Kept apart from join.py: allauth builds its sign-up form on top of JoinForm, so this module
can only be imported once JoinForm's module is loaded.
"""

from allauth.account.forms import SignupForm
from django.db import transaction


class AtomicSignupForm(SignupForm):
    """The account and the member record are created in one transaction, or neither is."""

    def try_save(self, request):
        with transaction.atomic():
            return super().try_save(request)
