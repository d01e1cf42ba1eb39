"""Constitution (§1, §8): an endorsed slate becomes its body's membership; the body chooses its chair
and appoints task groups, whose conclusions go back to the network as a consultation.

Seats and terms are the bodies' (``governance.bodies.services.seats``): each nominee is appointed
to a vacant seat of the body, matched by sector where one is free (then by chamber, then any seat
without either), and a seat is added where the body lacks one. The chair is a seat role: choosing
a chair ends the chosen member's running term and starts one as chair on the same seat (and the
previous chair's, as a member), and ``ChairChoice`` records how (appointed, or a vote with its
figures). Only the secretariat does any of this; every change is in the history, with who did it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casm.history import save_with_history
from governance.bodies.models import Body, Seat, Term
from governance.bodies.services.bodies import body_create
from governance.bodies.services.seats import seat_appoint, seat_create, term_end
from governance.consultations.models import Consultation
from governance.consultations.services.consultations import consultation_create
from governance.slates.models import ChairChoice, Slate, TaskGroup
from network.models import Member
from network.permissions import require_secretariat

STAFF_ONLY = gettext_lazy(
    "Only secretariat staff may constitute a body, choose its chair or appoint task groups."
)
Role = Seat.Role


def _free_seat(body: Body, member: Member, taken: set[int]) -> Seat | None:
    """A vacant seat of ``body`` for ``member``: of their sector, else their chamber, else open."""
    vacant = [
        s for s in Seat.objects.filter(body=body, holder__isnull=True).order_by("id") if s.pk not in taken
    ]
    sector = member.sector
    for fits in (
        lambda s: sector is not None and s.sector_id == sector.pk,
        lambda s: s.sector_id is None and sector is not None and s.chamber_id == sector.chamber_id,
        lambda s: s.sector_id is None and s.chamber_id is None and not s.is_permanent,
    ):
        for seat in vacant:
            if fits(seat):
                return seat
    return None


@transaction.atomic
def slate_constitute(*, actor, slate: Slate, starts_on: datetime.date) -> Slate:
    """Seat every nominee of an endorsed slate on its body for a term from ``starts_on``.

    Rules: secretariat staff; the slate is endorsed (any other status is refused). A nominee's
    chosen seat is used when it is vacant; otherwise a vacant seat matching their sector (or
    chamber), or a new one. The slate becomes constituted.
    """
    require_secretariat(actor, STAFF_ONLY)
    slate = Slate.objects.select_for_update(of=("self",)).select_related("body").get(pk=slate.pk)
    if slate.status != Slate.Status.ENDORSED:
        raise ValidationError(
            _("Only an endorsed slate can be constituted; this one is: %(status)s.")
            % {"status": slate.get_status_display()}
        )
    body = slate.body
    taken: set[int] = set()
    nominees = slate.nominees.select_related("member__sector", "seat").order_by("id")
    for nominee in nominees:
        seat = nominee.seat
        if seat is None or seat.holder_id is not None or seat.body_id != body.pk or seat.pk in taken:
            seat = _free_seat(body, nominee.member, taken)
        if seat is None:
            sector = nominee.member.sector
            seat = seat_create(body=body, actor=actor, sector=sector)
        taken.add(seat.pk)
        seat_appoint(seat=seat, actor=actor, member=nominee.member, starts_on=starts_on, role=nominee.role)
    slate.status = Slate.Status.CONSTITUTED
    slate.term_starts_on = starts_on
    slate.constituted_at = timezone.now()
    return save_with_history(slate, actor=actor, reason="Slate constituted: nominees seated")


def current_terms(body: Body) -> list[Term]:
    """The running terms of ``body`` with their members (one query)."""
    return list(
        Term.objects.filter(seat__body=body, ended_on__isnull=True)
        .select_related("member__organisation", "member__sector", "seat")
        .order_by("member__full_name", "id")
    )


def _reappoint(term: Term, *, actor, role: str, on: datetime.date) -> Term:
    ends_on = term.ends_on
    term_end(term=term, actor=actor, ended_on=on)
    return seat_appoint(
        seat=term.seat, actor=actor, member=term.member, starts_on=on, ends_on=ends_on, role=role
    )


@transaction.atomic
def chair_choose(
    *, actor, body: Body, member: Member | None = None, votes: dict[int, int] | None = None
) -> ChairChoice:
    """Make a current member of ``body`` its chair: appointed (``member``), or the winner of a vote
    (``votes``: member id → votes, every candidate a current member).

    Rules: secretariat staff; the body has a chair; a vote has a single winner (a tie is refused)
    and no negative figure; the terms have started. The previous chair goes on as a member.
    """
    require_secretariat(actor, STAFF_ONLY)
    if not body.has_chair:
        raise ValidationError(_("This body has no chair."))
    terms = {t.member_id: t for t in current_terms(body)}
    if (member is None) == (votes is None):
        raise ValidationError(_("Appoint a chair, or record a vote: one of the two."))
    method, figures = ChairChoice.Method.APPOINTED, {}
    if votes is not None:
        method = ChairChoice.Method.VOTE
        figures = {int(k): int(v) for k, v in votes.items() if v}
        if any(v < 0 for v in figures.values()):
            raise ValidationError({"votes": _("Votes are whole numbers, zero or more.")})
        if not figures or any(k not in terms for k in figures):
            raise ValidationError({"votes": _("Give the votes of at least one current member of the body.")})
        top = max(figures.values())
        winners = [k for k, v in figures.items() if v == top]
        if len(winners) > 1:
            raise ValidationError({"votes": _("The vote is tied: record the vote that broke the tie.")})
        member = terms[winners[0]].member
    if member.pk not in terms:
        raise ValidationError({"member": _("The chair is chosen among the body's current members.")})
    today = timezone.localdate()
    chosen = terms[member.pk]
    if chosen.starts_on > today:
        raise ValidationError(_("The chair can be chosen once the members' terms have started."))
    if chosen.role != Role.CHAIR:
        for term in terms.values():
            if term.role == Role.CHAIR:
                _reappoint(term, actor=actor, role=Role.MEMBER, on=today)
        _reappoint(chosen, actor=actor, role=Role.CHAIR, on=today)
    choice = ChairChoice(
        body=body,
        member=member,
        method=method,
        figures={str(k): v for k, v in figures.items()},
        chosen_on=today,
        recorded_by=actor,
    )
    return save_with_history(
        choice, actor=actor, reason="Chair appointed" if not figures else "Chair elected"
    )


@transaction.atomic
def task_group_create(
    *,
    actor,
    committee: Body,
    name: str,
    description: str = "",
    members=(),
    starts_on: datetime.date | None = None,
) -> TaskGroup:
    """The committee appoints a task group: a body of kind task group reporting to it, with members.

    Each member is seated on a new seat of the group from ``starts_on`` (today by default).
    """
    require_secretariat(actor, STAFF_ONLY)
    group = body_create(
        actor=actor, name=name, kind=Body.Kind.TASK_GROUP, parent=committee, description=description
    )
    starts_on = starts_on or timezone.localdate()
    for member in members:
        seat = seat_create(body=group, actor=actor, sector=member.sector)
        seat_appoint(seat=seat, actor=actor, member=member, starts_on=starts_on)
    return save_with_history(
        TaskGroup(body=group, created_by=actor), actor=actor, reason="Task group appointed"
    )


@transaction.atomic
def task_group_consult(*, actor, task_group: TaskGroup, **consultation) -> Consultation:
    """Put a task group's conclusions to the network: a consultation (unpublished, for staff to
    finish and publish), linked to the group. ``consultation`` are ``consultation_create``'s arguments."""
    require_secretariat(actor, STAFF_ONLY)
    task_group = TaskGroup.objects.select_for_update(of=("self",)).get(pk=task_group.pk)
    if task_group.consultation_id:
        raise ValidationError(_("This task group's conclusions are already out for consultation."))
    created = consultation_create(actor=actor, **consultation)
    task_group.consultation = created
    save_with_history(task_group, actor=actor, reason="Conclusions put to the network")
    return created
