"""The secretariat creates and edits bodies and their rules, adds seats, fills and vacates them.

Every view is behind ``secretariat_required`` (staff with MFA). Views validate a form, call one
service and redirect with a message; the rules live in ``governance.bodies.services``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from governance.bodies import selectors
from governance.bodies.forms.staff import AppointForm, BodyForm, SeatForm, TermEndForm
from governance.bodies.permissions import get_seat_or_404, get_term_or_404, secretariat_required
from governance.bodies.services import bodies as body_services
from governance.bodies.services import seats as seat_services
from governance.bodies.services.composition import composition_failures


def _add_errors(form, error: ValidationError, fields: dict | None = None) -> None:
    """A service's ValidationError beside the fields it names (``fields`` maps a service's argument
    to the form's field), or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = (fields or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def _detail(body):
    return redirect("bodies:staff_body_detail", body.slug)


@secretariat_required
def body_list(request):
    """Every body with its parent and seats filled; then the seats falling vacant soon.

    Queries, whatever the number of rows: the viewer's session, account, groups and MFA; the bodies
    with their parents and counts; the terms ending soon with body, seat and member.
    """
    context = {
        "bodies": selectors.body_list_for_staff(),
        "ending_soon": selectors.terms_ending_soon(),
        "horizon_days": selectors.VACANCY_HORIZON_DAYS,
    }
    return render(request, "bodies/staff/body_list.html", context)


@secretariat_required
def body_new(request):
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = body_services.body_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The body was created. Add its seats next."))
            return _detail(body)
    return render(request, "bodies/staff/body_form.html", {"form": form, "body": None})


@secretariat_required
def body_edit(request, slug):
    body = selectors.body_get_for_staff(slug=slug)
    form = BodyForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            body = body_services.body_update(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The body was saved."))
            return _detail(body)
    return render(request, "bodies/staff/body_form.html", {"form": form, "body": body})


@secretariat_required
def body_detail(request, slug):
    """The body's seats with their holders and terms, whether its current members meet its rules,
    and the forms to add seats, appoint and end terms."""
    body = selectors.body_get_for_staff(slug=slug)
    seats = body.seats.all()
    holders = [seat.holder for seat in seats if seat.holder is not None and not seat.is_permanent]
    context = {
        "body": body,
        "seats": seats,
        "failures": composition_failures(body=body, nominees=holders),
        "past_terms": selectors.body_past_terms(body),
        "seat_form": SeatForm(),
    }
    return render(request, "bodies/staff/body_detail.html", context)


@secretariat_required
def seat_new(request, slug):
    body = selectors.body_get_for_staff(slug=slug)
    form = SeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seat_services.seat_create(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The seat was added."))
            return _detail(body)
    return render(request, "bodies/staff/seat_form.html", {"form": form, "body": body})


@secretariat_required
def seat_appoint(request, slug, pk):
    body = selectors.body_get_for_staff(slug=slug)
    seat = get_seat_or_404(body=body, pk=pk)
    form = AppointForm(request.POST or None, initial={"role": seat.role})
    if request.method == "POST" and form.is_valid():
        try:
            seat_services.seat_appoint(seat=seat, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error, {"member": "email"})
        else:
            messages.success(request, _("%(name)s was appointed.") % {"name": form.cleaned_data["member"]})
            return _detail(body)
    return render(request, "bodies/staff/seat_appoint.html", {"form": form, "body": body, "seat": seat})


@secretariat_required
def term_end(request, slug, pk):
    body = selectors.body_get_for_staff(slug=slug)
    term = get_term_or_404(body=body, pk=pk)
    form = TermEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seat_services.term_end(term=term, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The term was ended: the seat is vacant."))
            return _detail(body)
    return render(request, "bodies/staff/term_end.html", {"form": form, "body": body, "term": term})


@secretariat_required
def body_history(request, slug):
    """Who changed the body, its rules, seats and terms, and when."""
    body = selectors.body_get_for_staff(slug=slug)
    return render(
        request, "bodies/staff/body_history.html", {"body": body, "history": selectors.body_history(body)}
    )
