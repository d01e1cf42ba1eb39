"""How allauth fits the portal: after logging in, each kind of account lands on its own home."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from network.permissions import is_secretariat, member_of
from network.services.pledges import pledges_pending_for


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Where a login without ``?next=`` lands.

        Members with pledges to affirm go there first; secretariat staff to the staff home;
        other members to their membership page; an account with neither (no member record,
        not staff) to the home page, never to a page that would refuse it.
        """
        user = request.user
        member = member_of(user)
        membership = getattr(member, "membership", None) if member is not None else None
        if membership is not None and membership.bound_by_pledges and pledges_pending_for(member):
            return reverse("network:pledges")
        if is_secretariat(user):
            return reverse("network:staff_home")
        if member is not None:
            return reverse("network:me")
        return reverse("network:home")

    def get_signup_redirect_url(self, request):
        # A new applicant's next step is always the commitments (the page says when none apply).
        return reverse("network:pledges")
