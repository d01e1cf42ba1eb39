"""Membership: applying, the secretariat's review, status changes with reasons, terms and lapse."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casm.history import save_with_history, stamp
from network.models import Member, Membership, Organisation
from network.permissions import require_secretariat
from network.services.means_test import apply_means_test, fee_tier_apply, fee_tier_for, means_test_context
from network.services.notify import notify_member

# What every staff service here answers someone who is not secretariat staff.
STAFF_ONLY = gettext_lazy("Only secretariat staff may change memberships.")

Status = Membership.Status

# Which status may follow which, by the secretariat's hand. Lapse is also set by the lapse check.
ALLOWED_TRANSITIONS = {
    Status.APPLIED: {Status.ACTIVE, Status.REJECTED},
    Status.ACTIVE: {Status.LAPSED, Status.SUSPENDED, Status.LEFT},
    Status.LAPSED: {Status.ACTIVE, Status.LEFT},
    Status.SUSPENDED: {Status.ACTIVE, Status.LEFT},
    Status.LEFT: {Status.ACTIVE},
    Status.REJECTED: {Status.APPLIED},
}


def membership_term_start(*, membership: Membership, today: datetime.date | None = None) -> Membership:
    """A membership becoming active: a new term starts unless the current one still runs, and any
    open question to the applicant is closed.

    The one place a term starts, for approval, renewal, invitations and imports alike. It changes
    ``membership`` in memory only: the caller saves it (with history), alone or in bulk.
    """
    today = today or timezone.localdate()
    if membership.term_end is None or membership.term_end < today:
        membership.term_start = today
        membership.term_end = today + datetime.timedelta(days=settings.MEMBERSHIP_TERM_DAYS)
    membership.information_request = ""
    return membership


def organisation_get_or_create(*, name: str, org_type: str, country: str, size: str, actor) -> Organisation:
    """The organisation of that name in that country, created if new (names compare case-insensitively)."""
    existing = Organisation.objects.filter(name__iexact=name.strip(), country=country).first()
    if existing:
        return existing
    organisation = Organisation(name=name.strip(), org_type=org_type, country=country, size=size)
    return save_with_history(organisation, actor=actor, reason="Created with a membership application")


@transaction.atomic
def membership_apply(
    *,
    user,
    full_name: str,
    country: str,
    sector,
    organisation: Organisation | None = None,
    new_organisation: dict | None = None,
    sub_chamber=None,
    languages: list[str] | None = None,
    role: str = "",
    listed_in_directory: bool = False,
) -> Member:
    """A person applies to join: a member record with an applied membership and its fee tier.

    One account, one member record: an email already known to the network is refused.
    """
    if Member.objects.filter(email__iexact=user.email).exists():
        raise ValidationError(_("This email address already belongs to a member of the network."))
    if new_organisation:
        organisation = organisation_get_or_create(
            name=new_organisation["name"],
            org_type=new_organisation["org_type"],
            country=new_organisation.get("country") or country,
            size=new_organisation["size"],
            actor=user,
        )
    member = Member(
        user=user,
        full_name=full_name,
        email=user.email,
        organisation=organisation,
        country=country,
        sector=sector,
        sub_chamber=sub_chamber,
        languages=languages or [],
        role=role,
        listed_in_directory=listed_in_directory,
    )
    save_with_history(member, actor=user, reason="Applied to join")
    tier, rule = fee_tier_for(member=member)
    membership = Membership(
        member=member,
        status=Status.APPLIED,
        applied_at=timezone.now(),
        status_changed_at=timezone.now(),
        status_reason="Application submitted",
        fee_tier=tier,
        fee_rule=rule,
    )
    save_with_history(membership, actor=user, reason="Application submitted")
    return member


def _set_status(membership: Membership, *, status: str, reason: str, actor) -> Membership:
    if not reason or not reason.strip():
        raise ValidationError(_("Give a reason for the change."))
    if status not in Status.values:
        raise ValidationError(_("Choose a valid status."))
    if status not in ALLOWED_TRANSITIONS.get(membership.status, set()):
        raise ValidationError(
            _("A membership that is %(old)s cannot become %(new)s.")
            % {"old": membership.get_status_display().lower(), "new": Status(status).label.lower()}
        )
    membership.status = status
    membership.status_reason = reason.strip()
    membership.status_changed_at = timezone.now()
    if status == Status.ACTIVE:
        membership_term_start(membership=membership)
    return save_with_history(membership, actor=actor, reason=reason.strip())


@transaction.atomic
def membership_approve(*, membership: Membership, actor, reason: str = "") -> Membership:
    """Staff approve an application: the membership becomes active for a new term."""
    require_secretariat(actor, STAFF_ONLY)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.APPLIED:
        raise ValidationError(_("Only an application can be approved."))
    _set_status(membership, status=Status.ACTIVE, reason=reason or "Application approved", actor=actor)
    notify_member(
        membership.member,
        template="network/email/membership_approved",
        kind="network.membership",
        context={"membership": membership},
    )
    return membership


@transaction.atomic
def membership_reject(*, membership: Membership, actor, reason: str) -> Membership:
    """Staff reject an application, always with a reason the applicant is told."""
    require_secretariat(actor, STAFF_ONLY)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.APPLIED:
        raise ValidationError(_("Only an application can be rejected."))
    _set_status(membership, status=Status.REJECTED, reason=reason, actor=actor)
    notify_member(
        membership.member,
        template="network/email/membership_rejected",
        kind="network.membership",
        context={"membership": membership},
    )
    return membership


@transaction.atomic
def membership_request_information(*, membership: Membership, actor, question: str) -> Membership:
    """Staff ask an applicant for more information; the application stays open."""
    require_secretariat(actor, STAFF_ONLY)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.APPLIED:
        raise ValidationError(_("Information can only be requested on an open application."))
    if not question.strip():
        raise ValidationError(_("Say what information you need."))
    membership.information_request = question.strip()
    membership.information_reply = ""
    save_with_history(membership, actor=actor, reason="Information requested")
    notify_member(
        membership.member,
        template="network/email/information_requested",
        kind="network.membership",
        context={"membership": membership},
    )
    return membership


@transaction.atomic
def membership_reply_information(*, membership: Membership, actor, reply: str) -> Membership:
    """The applicant answers the secretariat's question."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.member.user_id != actor.pk:
        raise PermissionDenied
    if not membership.awaiting_reply:
        raise ValidationError(_("There is no open question on this application."))
    if not reply.strip():
        raise ValidationError(_("Write your reply."))
    membership.information_reply = reply.strip()
    return save_with_history(membership, actor=actor, reason="Applicant replied")


@transaction.atomic
def membership_change_status(*, membership: Membership, actor, status: str, reason: str) -> Membership:
    """Staff set a membership's status (active, lapsed, suspended, left…) with a reason."""
    require_secretariat(actor, STAFF_ONLY)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    return _set_status(membership, status=status, reason=reason, actor=actor)


@transaction.atomic
def membership_set_term(*, membership: Membership, actor, term_start, term_end, reason: str) -> Membership:
    """Staff set the term of a membership."""
    require_secretariat(actor, STAFF_ONLY)
    if term_start and term_end and term_end < term_start:
        raise ValidationError(_("The term cannot end before it starts."))
    if not reason or not reason.strip():
        raise ValidationError(_("Give a reason for the change."))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    membership.term_start, membership.term_end = term_start, term_end
    return save_with_history(membership, actor=actor, reason=reason.strip())


@transaction.atomic
def membership_recompute_fee_tier(*, membership: Membership, actor) -> Membership:
    """Apply the current means-test rules to one membership."""
    require_secretariat(actor, STAFF_ONLY)
    # Lock the membership row only: PostgreSQL refuses FOR UPDATE on the nullable organisation join.
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("member__organisation")
        .get(pk=membership.pk)
    )
    if not fee_tier_apply(membership):
        return membership
    return save_with_history(membership, actor=actor, reason="Means test applied")


@transaction.atomic
def membership_recompute_fee_tiers_all(*, actor) -> int:
    """Apply the current means-test rules to every membership; returns how many changed tier or rule.

    Three reads whatever the number of memberships (rules, income groups, memberships with their
    organisations), then one bulk update and one bulk history insert for those that changed.
    """
    require_secretariat(actor, STAFF_ONLY)
    rules, income_groups = means_test_context()
    memberships = Membership.objects.select_for_update(of=("self",)).select_related("member__organisation")
    return apply_means_test(
        memberships, rules=rules, income_groups=income_groups, actor=actor, reason="Means test applied to all"
    )


def membership_lapse_due(*, today: datetime.date | None = None) -> int:
    """Active memberships whose term has ended become lapsed. Run by Celery beat; safe to repeat."""
    today = today or timezone.localdate()
    lapsed = 0
    due = Membership.objects.filter(status=Status.ACTIVE, term_end__lt=today).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            membership = Membership.objects.select_for_update().get(pk=pk)
            if (
                membership.status != Status.ACTIVE
                or membership.term_end is None
                or membership.term_end >= today
            ):
                continue
            membership.status = Status.LAPSED
            membership.status_reason = f"Term ended on {membership.term_end.isoformat()}"
            membership.status_changed_at = timezone.now()
            stamp(membership, actor=None, reason="Term ended: lapsed by the lapse check")
            membership.save()
            lapsed += 1
    return lapsed
