"""Seats and terms of office: staff add seats, appoint a member to a seat for a term, end a term
early; Celery beat ends terms on their date.

A seat has at most one running term (a database constraint). ``Seat.holder``, ``role``,
``term_start`` and ``term_end`` mirror the running term, so whoever reads a body's current members
reads the seats; the terms keep who sat where, and when. Every change is saved with its author and
reason, also from the beat task (no author: the system).
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casm.history import save_with_history
from governance.bodies.models import Body, Seat, Term
from governance.bodies.services.bodies import STAFF_ONLY
from network.models import Chamber, Member, Membership, Sector
from network.permissions import require_secretariat

Role = Seat.Role


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months (31 January + 1 month → 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def seat_create(
    *,
    body: Body,
    actor,
    label: str = "",
    sector: Sector | None = None,
    chamber: Chamber | None = None,
    is_permanent: bool = False,
    role: str = Role.MEMBER,
) -> Seat:
    """A new, vacant seat on ``body``: for a sector, a chamber, or permanent (the World Bank's)."""
    require_secretariat(actor, STAFF_ONLY)
    if sector is not None and chamber is not None and sector.chamber_id != chamber.pk:
        raise ValidationError({"sector": _("This sector is not in the chosen chamber.")})
    seat = Seat(
        body=body,
        label=label.strip(),
        sector=sector,
        chamber=chamber or (sector.chamber if sector else None),
        is_permanent=is_permanent,
        role=role,
    )
    return save_with_history(seat, actor=actor, reason="Seat added")


def _check_role(body: Body, role: str, *, seat: Seat) -> None:
    """At most one chair and one vice-chair at a time, and only where the body has them."""
    names = {
        Role.CHAIR: ("has_chair", _("This body has no chair.")),
        Role.VICE_CHAIR: ("has_vice_chair", _("This body has no vice-chair.")),
    }
    if role not in names:
        return
    flag, message = names[role]
    if not getattr(body, flag):
        raise ValidationError({"role": message})
    taken = Term.objects.filter(seat__body=body, role=role, ended_on__isnull=True).exclude(seat=seat)
    if taken.exists():
        raise ValidationError(
            {"role": _("%(role)s is already held: end that term first.") % {"role": Role(role).label}}
        )


@transaction.atomic
def seat_appoint(
    *,
    seat: Seat,
    actor,
    member: Member,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    role: str = Role.MEMBER,
) -> Term:
    """Appoint ``member`` to a vacant ``seat`` for a term from ``starts_on``.

    Rules: the seat is vacant (end the running term first); the member has an active membership
    and holds no other seat of the body; one chair and one vice-chair at a time, where the body has
    them; the term ends after it starts — by default after the body's term of office
    (``term_months``), or never when the body sets none.
    """
    require_secretariat(actor, STAFF_ONLY)
    seat = Seat.objects.select_for_update().select_related("body").get(pk=seat.pk)
    body = seat.body
    if Term.objects.filter(seat=seat, ended_on__isnull=True).exists():
        raise ValidationError(_("This seat is held: end the current term before appointing someone else."))
    status = Membership.objects.filter(member=member).values_list("status", flat=True).first()
    if status != Membership.Status.ACTIVE:
        raise ValidationError({"member": _("Only active members of the network can hold a seat.")})
    if Term.objects.filter(seat__body=body, member=member, ended_on__isnull=True).exists():
        raise ValidationError({"member": _("%(name)s already holds a seat on this body.") % {"name": member}})
    _check_role(body, role, seat=seat)
    if ends_on is None and body.term_months:
        ends_on = add_months(starts_on, body.term_months)
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A term cannot end before it starts.")})
    term = save_with_history(
        Term(seat=seat, member=member, role=role, starts_on=starts_on, ends_on=ends_on),
        actor=actor,
        reason="Appointed to the seat",
    )
    seat.holder, seat.role, seat.term_start, seat.term_end = member, role, starts_on, ends_on
    save_with_history(seat, actor=actor, reason="Appointed to the seat")
    return term


def _end(term: Term, *, actor, on: datetime.date, reason: str, end_reason: str) -> Term:
    term.ended_on, term.end_reason = on, end_reason
    save_with_history(term, actor=actor, reason=reason)
    seat = Seat.objects.select_for_update().get(pk=term.seat_id)
    seat.holder, seat.term_start, seat.term_end = None, None, None
    if seat.role in (Role.CHAIR, Role.VICE_CHAIR):
        seat.role = Role.MEMBER  # the role was the holder's, not the seat's
    save_with_history(seat, actor=actor, reason=reason)
    return term


@transaction.atomic
def term_end(*, term: Term, actor, ended_on: datetime.date | None = None) -> Term:
    """End a running term early (today by default): the seat becomes vacant, the term is kept as past.

    The end date is neither before the term started nor in the future.
    """
    require_secretariat(actor, STAFF_ONLY)
    term = Term.objects.select_for_update().get(pk=term.pk)
    if term.ended_on is not None:
        raise ValidationError(_("This term has already ended."))
    today = timezone.localdate()
    ended_on = ended_on or today
    if ended_on > today:
        raise ValidationError(
            {"ended_on": _("A term can be ended today or on a past date, not in the future.")}
        )
    if ended_on < term.starts_on:
        raise ValidationError({"ended_on": _("A term cannot end before it starts.")})
    return _end(
        term, actor=actor, on=ended_on, reason="Term ended early", end_reason=Term.EndReason.ENDED_EARLY
    )


def terms_end_due(*, today: datetime.date | None = None) -> int:
    """End every running term whose date has come (``ends_on`` on or before ``today``); return how many.

    Run by Celery beat (``terms_end_due_task``). Each term ends in its own transaction, on its own
    date, with no author (the system); running it twice ends nothing twice.
    """
    today = today or timezone.localdate()
    ended = 0
    due = Term.objects.filter(ended_on__isnull=True, ends_on__lte=today).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            term = Term.objects.select_for_update().filter(pk=pk, ended_on__isnull=True).first()
            if term is None:
                continue
            _end(
                term,
                actor=None,
                on=term.ends_on,
                reason="Term of office ended on its date",
                end_reason=Term.EndReason.EXPIRED,
            )
            ended += 1
    return ended
