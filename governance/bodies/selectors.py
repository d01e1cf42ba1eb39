"""Reads of bodies, seats and terms, already joined for the pages that show them."""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casm.history import HistorySource, history_entries
from governance.bodies.models import Body, Seat, Survey, SurveyInvitation, SurveyReminderSent, Term

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


# ---------------------------------------------------------------- the survey of continued service


def survey_list_for_staff():
    """Every survey with its body and counts of the invited, the answered and each answer (one query)."""
    answer = SurveyInvitation.Answer

    def count(**filters):
        return Count("invitations", filter=Q(**{f"invitations__{k}": v for k, v in filters.items()}))

    return Survey.objects.select_related("body").annotate(
        invited=Count("invitations"),
        answered=count(answered_at__isnull=False),
        yes=count(answer=answer.YES),
        no=count(answer=answer.NO),
        undecided=count(answer=answer.UNDECIDED),
    )


def bodies_with_current_members():
    """Active bodies with the number of members holding a seat now (one query), for "send a survey"."""
    return Body.objects.filter(is_active=True).annotate(
        current=Count("seats__holder", distinct=True)
    )


def survey_get_for_staff(*, pk: int):
    return get_object_or_404(survey_list_for_staff(), pk=pk)


def survey_invitations_for_staff(survey):
    """The survey's invitations with member, organisation, sector, seat and mail joined (one query)."""
    return (
        SurveyInvitation.objects.filter(survey=survey)
        .select_related("member__organisation", "member__sector", "seat", "answered_by", "message")
        .order_by("member__full_name", "pk")
    )


def survey_reminder_log(survey):
    """Reminders claimed for the survey, newest first, with their member and mail (one query)."""
    return SurveyReminderSent.objects.filter(survey=survey).select_related("member", "message")


def survey_invitations_open_for(member):
    """The member's invitations to surveys not yet past their deadline, with the body (one query)."""
    return (
        SurveyInvitation.objects.filter(member=member, survey__deadline__gte=timezone.now())
        .select_related("survey__body")
        .order_by("survey__deadline")
    )


def survey_history(survey, invitations) -> list[dict]:
    """Who changed the survey and its invitations, and when (the shared history renderer)."""
    names = {invitation.pk: invitation.member.full_name for invitation in invitations}
    return history_entries(
        HistorySource(
            model=Survey, rows=survey.history.select_related("history_user").order_by("history_date")
        ),
        HistorySource(
            model=SurveyInvitation,
            rows=SurveyInvitation.history.filter(survey_id=survey.pk)
            .select_related("history_user")
            .order_by("history_date"),
            describe=lambda row: names.get(row.id, ""),
        ),
    )
