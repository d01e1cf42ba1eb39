"""The secretariat decides on members' requests to change organisation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casm.history import save_with_history
from network.models import Member, Organisation, OrganisationChangeRequest
from network.permissions import require_secretariat
from network.services.members import member_save
from network.services.notify import notify_member

# What every staff service here answers someone who is not secretariat staff.
STAFF_ONLY = gettext_lazy("Only secretariat staff may decide on organisation changes.")

Status = OrganisationChangeRequest.Status


def _lock_pending(change: OrganisationChangeRequest) -> OrganisationChangeRequest:
    change = (
        OrganisationChangeRequest.objects.select_for_update(of=("self",))
        .select_related("member__user", "organisation")
        .get(pk=change.pk)
    )
    if change.status != Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    return change


def _requested_organisation(change: OrganisationChangeRequest, *, actor) -> Organisation:
    """The organisation asked for; a new one is created, or found when its name is already known
    in that country (names are unique per country, whatever the case)."""
    if change.organisation_id:
        return change.organisation
    existing = (
        Organisation.objects.annotate(lower_name=Lower("name"))
        .filter(lower_name=change.new_name.lower(), country=change.new_country)
        .first()
    )
    if existing is not None:
        return existing
    organisation = Organisation(
        name=change.new_name,
        org_type=change.new_org_type,
        country=change.new_country,
        size=change.new_size,
    )
    return save_with_history(organisation, actor=actor, reason="Created for a member's change request")


@transaction.atomic
def organisation_change_approve(
    *, change: OrganisationChangeRequest, actor, reason: str = ""
) -> OrganisationChangeRequest:
    """Staff approve: the member moves to the organisation asked for (created if new) through
    ``member_save``, so the fee tier follows the means test; the member is told by email."""
    require_secretariat(actor, STAFF_ONLY)
    change = _lock_pending(change)
    organisation = _requested_organisation(change, actor=actor)
    member = Member.objects.select_for_update(of=("self",)).get(pk=change.member_id)
    member.organisation = organisation
    member_save(member=member, actor=actor, reason="Organisation changed: request approved")
    change.organisation = organisation
    change.status = Status.APPROVED
    change.decided_by, change.decided_at = actor, timezone.now()
    change.decision_reason = (reason or "").strip()
    save_with_history(change, actor=actor, reason="Approved by the secretariat")
    notify_member(
        change.member, template="network/email/organisation_change_approved",
        context={"change": change},
        kind="network.organisation_request",
    )
    return change


@transaction.atomic
def organisation_change_decline(
    *, change: OrganisationChangeRequest, actor, reason: str
) -> OrganisationChangeRequest:
    """Staff decline, always with a reason the member is told by email; nothing else changes."""
    require_secretariat(actor, STAFF_ONLY)
    if not (reason or "").strip():
        raise ValidationError({"decision_reason": _("Give the member a reason.")})
    change = _lock_pending(change)
    change.status = Status.DECLINED
    change.decided_by, change.decided_at = actor, timezone.now()
    change.decision_reason = reason.strip()
    save_with_history(change, actor=actor, reason="Declined by the secretariat")
    notify_member(
        change.member, template="network/email/organisation_change_declined",
        context={"change": change},
        kind="network.organisation_request",
    )
    return change
