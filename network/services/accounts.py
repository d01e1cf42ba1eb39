"""Accounts: the rights they hold (staff, superuser, role groups), and mail about their address."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from casm.links import absolute_reverse
from network.models import AccountRoleChange, Member, User
from network.permissions import can_set_account_roles
from network.services.notify import member_language, send_email


def _roles_of(user: User) -> dict:
    return {
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }


def account_roles_set(
    *, actor, user: User, is_staff: bool, is_superuser: bool, groups, reason: str = ""
) -> AccountRoleChange | None:
    """Only a superuser grants or withdraws staff, superuser and group rights; each change is recorded.

    Returns the record of the change (who, when, before, after, why), or None when nothing changed.
    """
    if not can_set_account_roles(actor):
        raise PermissionDenied(
            _("Only a superuser may change an account's staff, superuser or group rights.")
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = _roles_of(user)
        user.is_staff, user.is_superuser = bool(is_staff), bool(is_superuser)
        user.full_clean()
        user.save(update_fields=["is_staff", "is_superuser"])
        user.groups.set(Group.objects.filter(pk__in=[group.pk for group in groups]))
        after = _roles_of(user)
        if after == before:
            return None
        return AccountRoleChange.objects.create(
            user=user, changed_by=actor, before=before, after=after, reason=reason[:200]
        )


def signup_address_taken_notify(*, email: str) -> None:
    """Someone tried to sign up with an address that already has an account or a member record.

    The sign-up page answers as for a new address (no enumeration of members); the owner of the
    address is told by mail, in their language, what to do if it was them. Nothing is created.
    """
    user = User.objects.filter(email__iexact=email).first()
    member = Member.objects.select_related("user").filter(email__iexact=email).first()
    if user is not None:
        language = user.preferred_language
    elif member is not None:
        language = member_language(member)
    else:
        language = "en"
    send_email(
        to=email,
        template="network/email/signup_attempt",
        context={
            "email": email,
            "has_account": user is not None,
            "login_url": absolute_reverse("account_login"),
            "password_reset_url": absolute_reverse("account_reset_password"),
        },
        language=language,
        kind="accounts",
    )
