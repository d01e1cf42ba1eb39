"""Organisations: who speaks for them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casm.history import save_with_history
from network import permissions
from network.models import Member, Membership, Organisation


@transaction.atomic
def organisation_set_contact(*, organisation: Organisation, member: Member | None, actor) -> Organisation:
    """Staff name the organisation's official contact (or none): the one member who may answer
    consultations on its behalf. The contact must be an active member of that organisation."""
    if not permissions.can_administer_members(actor):
        raise PermissionDenied(_("Only secretariat staff may name an organisation's contact."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if member is not None:
        member = Member.objects.select_related("membership").get(pk=member.pk)
        if member.organisation_id != organisation.pk:
            raise ValidationError(_("The official contact must be a member of this organisation."))
        if (
            getattr(member, "membership", None) is None
            or member.membership.status != Membership.Status.ACTIVE
        ):
            raise ValidationError(_("The official contact must be an active member."))
    if organisation.contact_id == (member.pk if member else None):
        return organisation
    organisation.contact = member
    reason = f"Official contact: {member.full_name}" if member else "No official contact"
    return save_with_history(organisation, actor=actor, reason=reason)
