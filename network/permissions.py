"""Who may see or do what in the network app. The one module of the app that decides access.

Roles are groups (``casm.roles``); secretariat staff must have multi-factor authentication
before any staff page opens.
"""

from functools import wraps
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from casm import roles

# What counts as a second factor. Recovery codes only come with one of these (allauth creates them
# when TOTP is set up), so they are not a factor of their own.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def _in_group(user, name: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_casm_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user.__dict__["_casm_groups"] = cache
    return name in cache


def is_secretariat(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    flag = getattr(user, "casm_is_secretariat", None)  # computed with the account (network.backends)
    return flag if flag is not None else _in_group(user, roles.SECRETARIAT)


def has_mfa(user) -> bool:
    """The account has a second factor set up: TOTP or WebAuthn (``SECOND_FACTORS``)."""
    flag = getattr(user, "casm_has_mfa", None)  # computed with the account (network.backends)
    return flag if flag is not None else is_mfa_enabled(user, types=SECOND_FACTORS)


def passed_second_factor(request) -> bool:
    """This session's account passed a second factor: allauth's MFA stage at login, or MFA re-authentication.

    allauth records each authentication step of the session (``get_authentication_records``); a
    session opened without the MFA stage (one that predates the account's TOTP, a forced login)
    has no "mfa" record.
    """
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def second_factor_redirect(request):
    """None when the account has a second factor and this session passed it; else where to go first.

    Without a factor set up: to set one up. With one, but not used in this session: to confirm it,
    coming back here after.
    """
    user = request.user
    if not has_mfa(user):
        messages.warning(
            request, _("Staff must set up two-factor authentication before using the administration.")
        )
        return redirect("mfa_activate_totp")
    if not passed_second_factor(request):
        messages.info(request, _("Enter a code from your authenticator app to open the administration."))
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
    return None


def can_administer_account(actor, account) -> bool:
    """Who may edit or delete an account in the admin (with the model right as well).

    Only a superuser touches an account that holds rights (staff, superuser, a role group):
    whoever could change its email or password could take its rights.
    """
    if actor is None or not actor.is_authenticated:
        return False
    if actor.is_superuser:
        return True
    if account is None:
        return True
    return not (account.is_staff or account.is_superuser or account.groups.exists())


def can_set_account_roles(actor) -> bool:
    """Staff, superuser and group rights are granted and withdrawn by superusers only."""
    return actor is not None and actor.is_authenticated and actor.is_active and actor.is_superuser


def member_of(user):
    """The member record of ``user``, or None (visitors, staff without a record)."""
    if user is None or not user.is_authenticated:
        return None
    # The reverse one-to-one raises a subclass of AttributeError when there is no record.
    return getattr(user, "member", None)


def link_check_user(member_id: int, user) -> None:
    """Refuse a member's signed link opened by someone logged in as another member: it is not
    theirs to answer (a ValidationError with code ``other_member``)."""
    member = member_of(user)
    if member is not None and member.pk != member_id:
        raise ValidationError(
            _(
                "This link was sent to another member. You are logged in as %(name)s: "
                "answer from your own page, or log out to use this link."
            )
            % {"name": member.full_name},
            code="other_member",
        )


def is_active_member(user) -> bool:
    member = member_of(user)
    if member is None:
        return False
    membership = getattr(member, "membership", None)
    return membership is not None and membership.status == membership.Status.ACTIVE


def can_administer_members(user) -> bool:
    return is_secretariat(user)


def require_secretariat(actor, message: str = "") -> None:
    """The guard of every staff service: the actor is secretariat staff, or nothing is changed.

    No actor is not "the system": a staff service always names who acts.
    """
    if not is_secretariat(actor):
        raise PermissionDenied(message or _("Only secretariat staff may do this."))


def can_view_directory(user) -> bool:
    """The members' directory is for active members and the secretariat."""
    return is_active_member(user) or is_secretariat(user)


def secretariat_required(view):
    """Staff pages: visitors log in, others get 403, staff without MFA set it up first."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_secretariat(user):
            raise PermissionDenied
        if not has_mfa(user):
            messages.warning(
                request,
                _("Secretariat staff must set up two-factor authentication before using staff pages."),
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper


def member_required(view):
    """Pages of one's own membership: log in first; an account without a member record gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if member_of(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def directory_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_directory(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
