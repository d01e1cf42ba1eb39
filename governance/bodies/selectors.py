"""Reads of bodies and seats."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from governance.bodies.models import Body, Seat


def body_list_public():
    """Active bodies with the number of seats filled, for the public list (one query)."""
    return Body.objects.filter(is_active=True).annotate(
        seat_count=Count("seats"), filled=Count("seats", filter=Q(seats__holder__isnull=False))
    )


def body_get_public(*, slug: str) -> Body:
    """One active body with its seats and their holders' organisations (two queries)."""
    seats = Seat.objects.select_related(
        "chamber", "sector__chamber", "holder__organisation", "holder__sector"
    )
    return get_object_or_404(
        Body.objects.filter(is_active=True).prefetch_related(Prefetch("seats", queryset=seats)), slug=slug
    )
