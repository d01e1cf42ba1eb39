"""Member records as staff edit them outside the secretariat's pages (the Django admin)."""

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
