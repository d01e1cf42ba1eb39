"""Member records as staff edit them: in the Django admin, and the address correction on the record page."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casm.history import save_with_history
from network.models import Member, Membership
from network.permissions import require_secretariat
from network.services.means_test import fee_tier_apply


@transaction.atomic
def member_save(*, member: Member, actor, reason: str) -> Member:
    """Staff save a member record as edited: validated (``Member.clean``: the sub-chamber belongs
    to the sector's chamber), with history. When the organisation or the country changed, the
    membership's fee tier follows the means test, as an import does.
    """
    require_secretariat(actor, _("Only secretariat staff may change memberships."))
    before = None
    if member.pk:
        before = (
            Member.objects.select_for_update()
            .filter(pk=member.pk)
            .values("organisation_id", "country")
            .first()
        )
    save_with_history(member, actor=actor, reason=reason)
    if before is None or (before["organisation_id"], before["country"]) == (
        member.organisation_id,
        member.country.code,
    ):
        return member
    membership = Membership.objects.select_for_update().filter(member=member).first()
    if membership is not None and fee_tier_apply(membership, member=member):
        save_with_history(
            membership, actor=actor, reason="Means test applied: organisation or country changed"
        )
    return member


@transaction.atomic
def member_email_correct(*, member: Member, email: str, actor, reason: str = "") -> Member:
    """Staff correct the address a member's mail goes to; no other member may have it (any case).

    The member's login address (their account) is theirs to change; this is the address of the
    network record, which notices, reminders and receipts use. Kept in the record's history.
    """
    require_secretariat(actor, _("Only secretariat staff may change memberships."))
    member = Member.objects.select_for_update().get(pk=member.pk)
    email = (email or "").strip()
    if email.lower() == (member.email or "").lower():
        raise ValidationError(_("This is already the member's address."))
    if Member.objects.filter(email__iexact=email).exclude(pk=member.pk).exists():
        raise ValidationError(_("Another member has this address."))
    member.email = email
    member.full_clean(validate_unique=False)
    note = (reason or "").strip()
    return member_save(member=member, actor=actor, reason=f"Email address corrected. {note}".strip())
