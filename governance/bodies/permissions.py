"""Who may see or do what with bodies. The one module of the app that decides access.

Everyone may read an active body's public page; the secretariat (with a second factor, through
``secretariat_required``) creates and edits bodies, fills and vacates seats, sends the survey of
continued service, reads every answer and reminds. A member asked in a survey answers their own
invitation only. The services ask ``network.permissions.require_secretariat`` again, whoever calls them.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.bodies.models import Body, Seat, Survey, SurveyInvitation, Term
from governance.bodies.selectors import survey_get_for_staff
from network import permissions as network_permissions
from network.permissions import member_required, secretariat_required  # noqa: F401 - the views' guards


def can_manage_bodies(user) -> bool:
    return network_permissions.is_secretariat(user)


def can_run_surveys(user) -> bool:
    """Sending surveys, reading individual answers and reminding: the secretariat only."""
    return network_permissions.is_secretariat(user)


def get_seat_or_404(*, body: Body, pk: int) -> Seat:
    return get_object_or_404(Seat.objects.select_related("body", "sector", "holder"), body=body, pk=pk)


def get_term_or_404(*, body: Body, pk: int) -> Term:
    return get_object_or_404(
        Term.objects.select_related("seat__body", "member__organisation"), seat__body=body, pk=pk
    )


def get_own_invitation_or_404(user, survey_pk: int) -> SurveyInvitation:
    """The invitation of the logged-in member to survey ``survey_pk``; 404 for anyone not asked in it.

    Whoever was not asked may not know the survey exists: 404, as for a survey that does not.
    """
    member = network_permissions.member_of(user)
    invitations = SurveyInvitation.objects.select_related("survey__body")
    invitation = invitations.filter(survey_id=survey_pk, member=member).first() if member else None
    if invitation is None:
        raise Http404
    return invitation


def get_survey_for_staff_or_404(user, pk: int) -> Survey:
    if not can_run_surveys(user):
        raise Http404
    return survey_get_for_staff(pk=pk)
