"""Reads of bodies, seats and terms, already joined for the pages that show them."""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casm.history import HistorySource, history_entries
from governance.bodies.models import Body, Seat, Term

VACANCY_HORIZON_DAYS = 90  # "seats falling vacant soon": the body's page and the staff dashboard

_MEMBER_JOINS = ("member__organisation", "member__sector__chamber", "member__sub_chamber")


def body_list_public():
    """Active bodies with the number of seats filled, for the public list (one query)."""
    return Body.objects.filter(is_active=True).annotate(
        seat_count=Count("seats"), filled=Count("seats", filter=Q(seats__holder__isnull=False))
    )


def body_list_for_staff() -> QuerySet[Body]:
    """Every body, active or not, with its parent and seat counts (one query)."""
    return Body.objects.select_related("parent").annotate(
        seat_count=Count("seats"), filled=Count("seats", filter=Q(seats__holder__isnull=False))
    )


def seats_with_current_terms() -> QuerySet[Seat]:
    """Seats with their holder's organisation and sector, and their running term as ``current``."""
    running = Term.objects.filter(ended_on__isnull=True)
    return Seat.objects.select_related(
        "chamber", "sector__chamber", "holder__organisation", "holder__sector__chamber", "holder__sub_chamber"
    ).prefetch_related(Prefetch("terms", queryset=running, to_attr="running_terms"))


def body_get_public(*, slug: str) -> Body:
    """One active body with its parent, its active children and its seats (four queries)."""
    children = Body.objects.filter(is_active=True)
    return get_object_or_404(
        Body.objects.filter(is_active=True)
        .select_related("parent")
        .prefetch_related(
            Prefetch("seats", queryset=seats_with_current_terms()), Prefetch("children", children)
        ),
        slug=slug,
    )


def body_get_for_staff(*, slug: str) -> Body:
    """One body, active or not, with its parent, children and seats (four queries)."""
    return get_object_or_404(
        Body.objects.select_related("parent").prefetch_related(
            Prefetch("seats", queryset=seats_with_current_terms()), "children"
        ),
        slug=slug,
    )


def body_past_terms(body: Body) -> QuerySet[Term]:
    """Ended terms of ``body``, the latest first, with member, organisation, sector and seat (one query)."""
    return (
        Term.objects.filter(seat__body=body, ended_on__isnull=False)
        .select_related("seat", *_MEMBER_JOINS)
        .order_by("-starts_on", "-ended_on", "member__full_name")
    )


def terms_ending_soon(
    *, body: Body | None = None, days: int = VACANCY_HORIZON_DAYS, today: datetime.date | None = None
) -> QuerySet[Term]:
    """Running terms due to end in the next ``days`` days (today included): seats falling vacant.

    Across active bodies, or on ``body``; soonest first, with body, seat and member joined (one query).
    """
    today = today or timezone.localdate()
    terms = Term.objects.filter(
        ended_on__isnull=True,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=days),
        seat__body__is_active=True,
    )
    if body is not None:
        terms = terms.filter(seat__body=body)
    return terms.select_related(
        "seat__body", "seat__chamber", "seat__sector__chamber", *_MEMBER_JOINS
    ).order_by("ends_on", "seat__body__order")


def current_terms(body: Body) -> QuerySet[Term]:
    """Running terms of ``body`` with their members joined (one query)."""
    return Term.objects.filter(seat__body=body, ended_on__isnull=True).select_related("seat", *_MEMBER_JOINS)


def body_history(body: Body, limit: int = 500) -> list[dict]:
    """Who changed the body and its rules, its seats and its terms (also deleted seats), newest first.

    Queries the historical tables: the body's rows, its seats' rows, their terms' rows with members.
    """
    body_rows = body.history.select_related("history_user").order_by("history_date")
    seat_rows = list(
        Seat.history.filter(body_id=body.pk).select_related("history_user").order_by("history_date")
    )
    term_rows = (
        Term.history.filter(seat_id__in={row.id for row in seat_rows})
        .select_related("history_user", "member")
        .order_by("history_date")
    )

    def member_name(row):
        try:
            return row.member.full_name
        except ObjectDoesNotExist:  # the member was deleted since
            return ""

    return history_entries(
        HistorySource(model=Body, rows=body_rows, describe=lambda row: row.name),
        HistorySource(model=Seat, rows=seat_rows, describe=lambda row: row.label),
        HistorySource(model=Term, rows=term_rows, describe=member_name),
        limit=limit,
    )
