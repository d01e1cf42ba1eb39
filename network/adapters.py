"""How allauth fits the portal: after logging in, members with pledges to affirm go there first."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from network.permissions import member_of
from network.services.pledges import pledges_pending_for


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        member = member_of(request.user)
        membership = getattr(member, "membership", None) if member is not None else None
        if membership is not None and membership.bound_by_pledges and pledges_pending_for(member):
            return reverse("network:pledges")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        # A new applicant's next step is always the commitments (the page says when none apply).
        return reverse("network:pledges")
