"""Who a consultation is for, and until when each of them may respond."""


def consultation_audience(consultation):
    """The members who may respond: active members, narrowed to chosen chambers or named invitees.

    A suspended, lapsed or departed member is never in the audience.
    """
    from governance.consultations.models import Consultation
    from network.selectors import active_members

    if consultation.audience == Consultation.Audience.CHAMBERS:
        return active_members(chambers=consultation.chambers.all())
    members = active_members()
    if consultation.audience == Consultation.Audience.INVITEES:
        members = members.filter(consultation_invitations=consultation)
    return members


def is_in_audience(consultation, member) -> bool:
    if member is None:
        return False
    return consultation_audience(consultation).filter(pk=member.pk).exists()


def deadline_for(consultation, member):
    """The respondent's own deadline: the consultation's, or a later one granted by the secretariat."""
    from governance.consultations.models import ExtensionRequest

    if member is None:
        return consultation.closes_at
    granted = (
        ExtensionRequest.objects.filter(
            consultation=consultation, member=member, status=ExtensionRequest.Status.GRANTED
        )
        .order_by("-granted_until")
        .values_list("granted_until", flat=True)
        .first()
    )
    return max(consultation.closes_at, granted) if granted else consultation.closes_at


def personal_deadlines(consultation) -> dict:
    """Member id → granted deadline later than the consultation's, for all members at once (one query)."""
    from django.db.models import Max

    from governance.consultations.models import ExtensionRequest

    rows = (
        ExtensionRequest.objects.filter(
            consultation=consultation,
            status=ExtensionRequest.Status.GRANTED,
            granted_until__gt=consultation.closes_at,
        )
        .values("member_id")
        .annotate(until=Max("granted_until"))
        .order_by()
    )
    return {row["member_id"]: row["until"] for row in rows}
