"""Reads of bodies and seats."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casm.history import HistorySource, history_entries
from governance.bodies.models import Body, Seat, Survey, SurveyInvitation, SurveyReminderSent


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
