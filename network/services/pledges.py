"""Pledges: versioned commitment texts that members affirm (§3 Option A)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casm.content import content_apply
from casm.history import save_with_history
from network import permissions
from network.models import Member, Pledge, PledgeAffirmation

Kind = Pledge.Kind


def current_pledges() -> dict[str, Pledge]:
    """The version in force of each kind: the newest published one."""
    latest = {}
    for pledge in Pledge.objects.order_by("kind", "-version"):
        latest.setdefault(pledge.kind, pledge)
    return latest


def required_kinds(member: Member) -> list[str]:
    """Everyone affirms participation; members of a miners' sector also affirm responsible mining."""
    kinds = [Kind.PARTICIPATION]
    if member.sector.requires_mining_pledge:
        kinds.append(Kind.RESPONSIBLE_MINING)
    return kinds


def pledges_pending_for(member: Member) -> list[Pledge]:
    """The versions in force that the member must affirm and has not affirmed yet."""
    current = current_pledges()
    wanted = [current[kind] for kind in required_kinds(member) if kind in current]
    affirmed = set(
        PledgeAffirmation.objects.filter(member=member, pledge__in=wanted).values_list("pledge_id", flat=True)
    )
    return [pledge for pledge in wanted if pledge.pk not in affirmed]


@transaction.atomic
def pledge_affirm(*, member: Member, pledges: list[Pledge], actor) -> list[PledgeAffirmation]:
    """The member affirms the given versions; only versions in force that apply to them count.

    Affirming twice is harmless: the second affirmation of a version is ignored.
    """
    if member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Members affirm pledges for themselves only."))
    pending = {pledge.pk: pledge for pledge in pledges_pending_for(member)}
    chosen = [pledge for pledge in pledges if pledge.pk in pending]
    if not chosen:
        raise ValidationError(_("There is nothing to affirm."))
    made = []
    for pledge in chosen:
        try:
            with transaction.atomic():
                made.append(PledgeAffirmation.objects.create(member=member, pledge=pledge))
        except IntegrityError:
            continue
    return made


@transaction.atomic
def pledge_publish(
    *,
    kind: str,
    title: str,
    text: str,
    actor,
    translations: dict | None = None,
    content_language: str = "en",
) -> Pledge:
    """Staff publish a new version of a pledge; every member it applies to is asked to affirm it.

    ``content_language`` is the language the title and text are written in; ``translations``
    (``{"fr": {"title": …, "text": …}}``) are checked against it by ``casm.content.content_apply``.
    """
    if not permissions.can_administer_members(actor):
        raise PermissionDenied(_("Only secretariat staff may publish pledges."))
    if not text.strip():
        raise ValidationError(_("The pledge needs a text."))
    # Lock the versions of this kind so two publishers cannot take the same number.
    last = max(
        Pledge.objects.select_for_update().filter(kind=kind).values_list("version", flat=True), default=0
    )
    pledge = Pledge(
        kind=kind,
        version=last + 1,
        title=title.strip(),
        text=text.strip(),
        published_by=actor,
    )
    content_apply(pledge, translations or {}, content_language)
    return save_with_history(pledge, actor=actor, reason=f"Published version {last + 1}")


def pledge_affirmations_for(member: Member):
    """The versions the member affirmed, newest first, each with its pledge (one query)."""
    return PledgeAffirmation.objects.filter(member=member).select_related("pledge").order_by("-affirmed_at")
