import pytest
from django.core.management import call_command

from casm.demo import _smag_survey
from governance.bodies.models import Survey, SurveyInvitation
from network.models import User


@pytest.mark.django_db
def test_the_demo_surveys_the_smag_some_continue_some_stand_down_one_has_not_answered():
    call_command("load_demo", verbosity=0)
    _smag_survey(User.objects.get(email="secretariat@casm.example"))  # loading again adds no survey

    survey = Survey.objects.get(body__slug="smag")
    answers = list(survey.invitations.values_list("answer", flat=True))
    assert answers.count(SurveyInvitation.Answer.YES) >= 2
    assert answers.count(SurveyInvitation.Answer.NO) >= 1
    assert answers.count("") == 1
    assert survey.is_open()
    assert all(invitation.member.is_fictional for invitation in survey.invitations.select_related("member"))
