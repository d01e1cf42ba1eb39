"""How allauth fits the portal: where each kind of account lands after logging in, the per-account
login limit that the owner can still pass, and sign-up mail that names no member."""

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter

# allauth has no public way to apply one rate of an action; its internal module is the one that
# applies them all, so the cache keys (and allauth's clearing of them on a password reset) match.
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from network.permissions import has_mfa, is_secretariat, member_of
from network.services.accounts import signup_address_taken_notify
from network.services.notify import account_mail_queue
from network.services.pledges import pledges_pending_for


def login_failed_rates() -> dict[str, str]:
    """The ``login_failed`` rates by what they count, in the configured order.

    ``"10/m/ip,5/5m/key"`` gives ``{"ip": "10/m/ip", "key": "5/5m/key"}``.
    """
    rates: dict[str, str] = {}
    for part in (account_settings.RATE_LIMITS.get("login_failed") or "").split(","):
        if part.strip():
            per = allauth_ratelimit.parse_rate(part.strip()).per
            rates[per] = ",".join(filter(None, [rates.get(per), part.strip()]))
    return rates


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many failed login attempts from your network. Try again in a few minutes."
        ),
        "account_locked": _(
            "Too many failed login attempts for this account. If it is yours, choose “Forgot your "
            "password?”: the link we email you works now, and your new password lets you in at once. "
            "Otherwise, try again in a few minutes."
        ),
    }

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

    # ------------------------------------------------------------ failed logins

    def pre_authenticate(self, request, **credentials):
        """Count the attempt against each ``login_failed`` rate; refuse at once only for the address.

        The per-address limit is strict. The per-account limit does not refuse here: anyone can
        exhaust it for any account, so ``authenticate`` still lets the owner in with the right
        password and a second factor (the MFA stage follows), and tells everyone else to use a
        password-reset link, which clears the limit.
        """
        key = self._get_login_attempts_cache_key(request, **credentials)
        usages = []
        self._account_locked = False
        for per, rates in login_failed_rates().items():
            usage = allauth_ratelimit.consume(
                request, app="allauth.account", action="login_failed", config={"login_failed": rates}, key=key
            )
            if usage is not None:
                usages.extend(usage.usage)
            elif per == "key":
                self._account_locked = True
            else:
                allauth_ratelimit.RateLimitUsage(usage=usages).rollback()
                raise self.validation_error("too_many_login_attempts")
        self._login_failed_rl_usage = allauth_ratelimit.RateLimitUsage(usage=usages)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if getattr(self, "_account_locked", False):
            if user is not None and has_mfa(user):
                return user
            # The same answer whether the password was right or not: the lock reveals nothing.
            raise self.validation_error("account_locked")
        return user

    # ------------------------------------------------------------ mail

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mail (address confirmation, password reset, security notices) goes through the
        outbox like every mail of the portal: written with the change, delivered by the workers."""
        context = {"email": email, **context}
        request = allauth_context.request
        if request is not None:
            context = {"request": request, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, context)
        account_mail_queue(
            to=email,
            subject=message.subject,
            body=message.body,
            headers=dict(message.extra_headers or {}),
            language=get_language() or "en",
        )

    # ------------------------------------------------------------ sign-up

    def send_account_already_exists_mail(self, email: str) -> None:
        # The sign-up page answered as for a new address; the owner hears of it, in their language.
        signup_address_taken_notify(email=email)
