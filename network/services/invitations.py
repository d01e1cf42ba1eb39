"""Invitations: staff invite a person by email; the link lets them set a password and opens their record."""

import datetime
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casm.history import save_with_history
from casm.links import absolute_reverse
from network import permissions
from network.models import Invitation, Member, Membership
from network.services.means_test import fee_tier_for
from network.services.membership import membership_term_start
from network.services.notify import send_email

INVALID, EXPIRED, USED = "invalid", "expired", "used"


class InvitationError(ValidationError):
    """The link cannot be used. ``code`` says why: ``invalid`` (unknown), ``expired`` or ``used``."""


def hash_token(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def _split_name(full_name: str) -> tuple[str, str]:
    first, _sep, last = full_name.strip().partition(" ")
    return first[:150], last.strip()[:150]


def _language_of(languages) -> str:
    known = dict(settings.LANGUAGES)
    return next((code for code in languages or [] if code in known), settings.LANGUAGE_CODE)


@transaction.atomic
def invitation_send(
    *,
    actor,
    email: str,
    full_name: str,
    country: str,
    sector,
    organisation=None,
    role: str = "",
    languages: list[str] | None = None,
) -> Invitation:
    """Staff invite a person: their member record with an active membership and a link by email.

    Staff vouch for the invitee, so the membership starts active for a new term. An address already
    known to the network (a member or an account) is refused. Only a hash of the token is stored.
    """
    if not permissions.can_administer_members(actor):
        raise PermissionDenied(_("Only secretariat staff may invite people."))
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError(_("Give the email address of the person to invite."))
    if (
        Member.objects.filter(email__iexact=email).exists()
        or get_user_model().objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError(_("This email address already belongs to someone in the network."))
    known = dict(settings.LANGUAGES)
    languages = [code for code in languages or [] if code in known]
    member = Member(
        full_name=(full_name or "").strip(),
        email=email,
        organisation=organisation,
        country=country,
        sector=sector,
        languages=languages,
        role=(role or "").strip(),
    )
    reason = "Invited by the secretariat"
    save_with_history(member, actor=actor, reason=reason)
    tier, rule = fee_tier_for(member=member)
    now = timezone.now()
    membership = Membership(
        member=member,
        status=Membership.Status.ACTIVE,
        status_reason=reason,
        status_changed_at=now,
        applied_at=now,
        fee_tier=tier,
        fee_rule=rule,
    )
    membership_term_start(membership=membership)
    save_with_history(membership, actor=actor, reason=reason)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        member=member,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    link = absolute_reverse("network:invitation_accept", token)
    send_email(
        to=email,
        template="network/email/invitation",
        context={"member": member, "link": link, "invited_by": actor, "expires_at": invitation.expires_at},
        language=_language_of(languages),
        kind="network.invitation",
        recipient=member,
    )
    return invitation


def _check(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid."), code=INVALID)
    if invitation.accepted_at is not None or invitation.member.user_id is not None:
        raise InvitationError(_("This invitation has already been used."), code=USED)
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation has expired. Ask the secretariat to send you a new one."), code=EXPIRED
        )
    return invitation


def invitation_get_valid(token: str) -> Invitation:
    """The open invitation of ``token``; raises InvitationError (invalid, expired or used) otherwise."""
    invitation = Invitation.objects.select_related("member").filter(token_hash=hash_token(token)).first()
    return _check(invitation)


@transaction.atomic
def invitation_accept(*, token: str, password: str):
    """The invitee sets a password: an account with a verified address, linked to their member record.

    Following the emailed link proves the address, so it is verified at once. A link works once.
    """
    invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
    invitation = _check(invitation)
    member = Member.objects.select_for_update().get(pk=invitation.member_id)
    User = get_user_model()  # noqa: N806 - the model class
    if User.objects.filter(email__iexact=member.email).exists():
        raise ValidationError(_("An account with this email address already exists. Log in instead."))
    first_name, last_name = _split_name(member.full_name)
    user = User(
        email=member.email.lower(),
        first_name=first_name,
        last_name=last_name,
        preferred_language=_language_of(member.languages),
    )
    password_validation.validate_password(password, user=user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    member.user = user
    save_with_history(member, actor=user, reason="Accepted the invitation")
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return user
