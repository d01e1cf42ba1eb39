"""Answers racing on PostgreSQL: the invitation is locked, so each answer is whole and in the history."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from casm.testing import need, race
from governance.bodies.models import SurveyInvitation
from governance.bodies.services import survey as services
from tests.governance.bodies.factories import BodyFactory, SeatFactory
from tests.network.factories import MemberFactory, make_staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_racing_answers_through_the_same_link_leave_one_whole_answer_and_both_in_the_history():
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    body = BodyFactory()
    SeatFactory(body=body, holder=MemberFactory())
    survey = services.survey_send(
        actor=make_staff(),
        body=body,
        deadline=timezone.now() + datetime.timedelta(days=5),
        time_zone="UTC",
    )
    invitation = survey.invitations.get()
    token = services.survey_link_token(invitation)
    answers = [
        (SurveyInvitation.Answer.YES, "Yes from the phone."),
        (SurveyInvitation.Answer.NO, "No from the laptop."),
    ]

    results = race(
        lambda i: services.survey_answer_by_link(token=token, answer=answers[i][0], comment=answers[i][1])
    )

    assert all(isinstance(result, SurveyInvitation) for result in results), results
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.comment) in answers  # never one's answer with the other's comment
    reasons = sorted(invitation.history.values_list("history_change_reason", flat=True))
    assert reasons == [
        "Answer changed through the signed link",
        "Answered through the signed link",
        "Invited to the survey",
    ]
    assert SurveyInvitation.objects.filter(survey=survey).count() == 1
