"""Who may see or do what in the bodies app. The one module of the app that decides access.

The bodies' public pages are open to all. The survey of continued service: the secretariat sends
it, reads every answer and reminds (its pages need the second factor, ``secretariat_required``);
a member asked in it answers their own invitation only.
"""

from django.http import Http404

from governance.bodies.models import Survey, SurveyInvitation
from governance.bodies.selectors import survey_get_for_staff
from network import permissions as network_permissions
from network.permissions import member_required, secretariat_required  # noqa: F401 - the views' guards


def can_run_surveys(user) -> bool:
    """Sending surveys, reading individual answers and reminding: the secretariat only."""
    return network_permissions.is_secretariat(user)


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
