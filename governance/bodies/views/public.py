"""Public pages of bodies: who sits on them, vacancies, past members by term, seats falling vacant."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from governance.bodies import selectors


@require_GET
def body_list(request):
    return render(request, "bodies/body_list.html", {"bodies": selectors.body_list_public()})


@require_GET
def body_detail(request, slug):
    """Queries, whatever the number of seats and terms: the body with its parent; its seats with
    holders, organisations and sectors; their running terms; its children; its past terms; the terms
    ending in the next 90 days (plus the session's, for a logged-in reader)."""
    body = selectors.body_get_public(slug=slug)
    seats = body.seats.all()
    context = {
        "body": body,
        "seats": seats,
        "held": [seat for seat in seats if seat.holder_id],
        "vacant": [seat for seat in seats if not seat.holder_id],
        "children": body.children.all(),
        "past_terms": selectors.body_past_terms(body),
        "ending_soon": selectors.terms_ending_soon(body=body),
        "horizon_days": selectors.VACANCY_HORIZON_DAYS,
    }
    return render(request, "bodies/body_detail.html", context)
