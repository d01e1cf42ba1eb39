"""allauth's sign-up form (which already carries JoinForm's fields), made all-or-nothing.

Kept apart from join.py: allauth builds its sign-up form on top of JoinForm, so this module
can only be imported once JoinForm's module is loaded.
"""

from allauth.account.forms import SignupForm
from django.db import IntegrityError, transaction

from network.models import Member


class AtomicSignupForm(SignupForm):
    """The account and the member record are created in one transaction, or neither is.

    An address that already has an account or a member record gets the same answer as a new one
    (allauth's enumeration prevention: "check your email"); its owner is told by mail instead.
    """

    def validate_unique_email(self, value):
        email = super().validate_unique_email(value)
        if not self.account_already_exists and Member.objects.filter(email__iexact=email).exists():
            self.account_already_exists = True
        return email

    def try_save(self, request):
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            # Another sign-up with this address committed first (the unique address of the
            # account or of the member record): answer as for any taken address.
            self.account_already_exists = True
            with transaction.atomic():
                return super().try_save(request)
