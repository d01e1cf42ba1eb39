"""The survey's pages, driven by a client as each person: staff send and read, members answer."""

import datetime
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from casm.testing import deliver_mail
from governance.bodies.models import Survey, SurveyInvitation, SurveyReminderSent
from governance.bodies.services import survey as services
from tests.governance.bodies.factories import BodyFactory, SeatFactory
from tests.network.factories import MemberFactory

DAY = datetime.timedelta(days=1)
YES, NO = SurveyInvitation.Answer.YES, SurveyInvitation.Answer.NO


@pytest.fixture
def smag(db, member):
    """The SMAG: the ``member`` fixture and another member hold its seats."""
    body = BodyFactory(name="Strategic Management Advisory Group", short_name="SMAG", slug="smag")
    SeatFactory(body=body, holder=member, label="Civil society seat 1")
    SeatFactory(body=body, holder=MemberFactory(full_name="Luc Kabila (fictional)"), label="Seat 2")
    return body


@pytest.fixture
def survey(staff_user, smag):
    return services.survey_send(
        actor=staff_user, body=smag, deadline=timezone.now() + 14 * DAY, time_zone="Africa/Accra"
    )


def _link(survey, member):
    return reverse(
        "bodies:survey_answer_link", args=[services.survey_link_token(survey.invitations.get(member=member))]
    )


def _answers(survey):
    return list(survey.invitations.exclude(answer="").values_list("answer", flat=True))


# ---------------------------------------------------------------- staff


@pytest.mark.django_db
def test_staff_send_a_survey_from_its_page(staff_client, smag, member):
    new = reverse("bodies:staff_survey_new", args=["smag"])
    page = staff_client.get(new).content.decode()
    assert member.full_name in page and "Luc Kabila (fictional)" in page

    year = timezone.now().year + 1
    response = staff_client.post(
        new,
        {
            "time_zone": "Africa/Accra",
            "deadline": f"{year}-01-31T17:00",
            "reminder_offsets": "7, 1",
            "message": "",
        },
    )

    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "bodies:staff_survey_detail", args=[survey.pk]
    )
    assert survey.reminder_offsets == [7, 1]
    assert survey.deadline == datetime.datetime(year, 1, 31, 17, 0, tzinfo=datetime.UTC)
    assert survey.invitations.count() == 2
    sent = deliver_mail()
    assert sorted(m.to[0] for m in sent) == sorted(survey.invitations.values_list("member__email", flat=True))


@pytest.mark.django_db
def test_staff_form_errors_are_shown_and_nothing_is_sent(staff_client, smag):
    response = staff_client.post(
        reverse("bodies:staff_survey_new", args=["smag"]),
        {"time_zone": "Africa/Accra", "deadline": "2001-01-01T10:00", "reminder_offsets": "x"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "The deadline must be in the future." in html or "is not a whole number" in html
    assert not Survey.objects.exists()


@pytest.mark.django_db
def test_staff_see_answers_and_who_has_not_answered(staff_client, survey, member):
    services.survey_answer(actor=member.user, survey=survey, answer=NO, comment="Time for new faces.")

    html = staff_client.get(reverse("bodies:staff_survey_detail", args=[survey.pk])).content.decode()

    answers, rest = html.split("Not answered yet", 1)
    assert (
        member.full_name in answers
        and "No, I will stand down" in answers
        and "Time for new faces." in answers
    )
    assert "Luc Kabila (fictional)" in rest.split("Reminders", 1)[0]
    assert "1 of 2" in html
    assert "Answered in the portal" in html  # the history
    assert "7 days before" in html and "2 days before" in html  # when the reminders fall due


@pytest.mark.django_db
def test_staff_remind_from_the_page(staff_client, survey, member):
    services.survey_answer(actor=member.user, survey=survey, answer=YES)

    response = staff_client.post(reverse("bodies:staff_survey_remind", args=[survey.pk]), follow=True)

    assert "A reminder is on its way to 1 member." in response.content.decode()
    assert SurveyReminderSent.objects.get().member.full_name == "Luc Kabila (fictional)"
    assert "by hand" in response.content.decode()


@pytest.mark.django_db
def test_the_staff_survey_list_shows_the_counts(staff_client, survey, member):
    services.survey_answer(actor=member.user, survey=survey, answer=YES)

    html = staff_client.get(reverse("bodies:staff_survey_list")).content.decode()

    assert "Strategic Management Advisory Group" in html and "1 of 2" in html


@pytest.mark.django_db
def test_staff_survey_page_queries_do_not_grow_with_members(
    staff_client, staff_user, django_assert_max_num_queries
):
    """Queries: session, account and its groups and factor (4); the survey with counts; the invitations
    with member, organisation, sector, seat and mail; the reminders; the two histories (5); margin 3."""

    def survey_of(n):
        body = BodyFactory()
        for _ in range(n):
            SeatFactory(body=body, holder=MemberFactory())
        survey = services.survey_send(
            actor=staff_user, body=body, deadline=timezone.now() + 14 * DAY, time_zone="UTC"
        )
        for invitation in survey.invitations.select_related("member__user")[: n // 2]:
            services.survey_answer(actor=invitation.member.user, survey=survey, answer=YES, comment="Yes")
        services.survey_remind_now(actor=staff_user, survey=survey)
        return survey

    one, many = survey_of(1), survey_of(30)
    staff_client.get(reverse("bodies:staff_survey_detail", args=[one.pk]))  # warm the session

    with django_assert_max_num_queries(12) as with_one:
        assert staff_client.get(reverse("bodies:staff_survey_detail", args=[one.pk])).status_code == 200
    with django_assert_max_num_queries(12) as with_many:
        assert staff_client.get(reverse("bodies:staff_survey_detail", args=[many.pk])).status_code == 200
    assert len(with_many.captured_queries) == len(with_one.captured_queries)


# ---------------------------------------------------------------- the signed link


@pytest.mark.django_db
def test_the_link_in_the_mail_answers_without_logging_in(client, survey, member):
    deliver_mail()
    from django.core import mail

    body = next(m.body for m in mail.outbox if m.to == [member.email])
    path = re.search(r"https?://[^/\s]+(/bodies/surveys/link/\S+)", body).group(1)

    page = client.get(path)  # a mail scanner opening the link records nothing
    assert page.status_code == 200 and "Will you continue to serve?" in page.content.decode()
    assert _answers(survey) == []

    response = client.post(path, {"answer": YES, "comment": "Glad to."}, follow=True)

    assert "Thank you: your answer is recorded." in response.content.decode()
    invitation = survey.invitations.get(member=member)
    assert (invitation.answer, invitation.comment, invitation.answered_via) == (YES, "Glad to.", "link")


@pytest.mark.django_db
def test_a_changed_answer_replaces_the_earlier_one_before_the_deadline(client, survey, member):
    link = _link(survey, member)

    client.post(link, {"answer": YES})
    client.post(link, {"answer": NO, "comment": "Changed my mind."})

    assert _answers(survey) == [NO]
    assert "Your answer now: No, I will stand down." in client.get(link).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_and_altered_links_get_a_clear_page_and_record_nothing(client, survey, member, method):
    token = services.survey_link_token(survey.invitations.get(member=member))
    for bad in ("forged-0123456789abcdef", token[:-4] + "abcd", token.replace(":", ":x", 1)):
        response = getattr(client, method)(reverse("bodies:survey_answer_link", args=[bad]), {"answer": YES})
        assert response.status_code == 404, bad
        assert "This link is not valid" in response.content.decode()
        assert "Nothing was recorded." in response.content.decode()
    assert _answers(survey) == []


@pytest.mark.django_db
def test_an_expired_link_gets_a_clear_page_and_records_nothing(client, survey, member, monkeypatch):
    link = _link(survey, member)
    later = signing.time.time() + services.LINK_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)

    response = client.post(link, {"answer": YES})

    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    assert _answers(survey) == []


@pytest.mark.django_db
def test_a_link_opened_by_another_logged_in_member_is_refused(client, survey, member):
    luc = survey.invitations.get(member__full_name="Luc Kabila (fictional)").member
    client.force_login(member.user)

    for method in ("get", "post"):
        response = getattr(client, method)(_link(survey, luc), {"answer": NO})
        assert response.status_code == 403
        assert "This link was sent to another member" in response.content.decode()
    assert _answers(survey) == []


@pytest.mark.django_db
def test_after_the_deadline_the_link_and_the_page_say_the_survey_is_closed(
    client, member_client, survey, member
):
    link = _link(survey, member)
    Survey.objects.filter(pk=survey.pk).update(deadline=timezone.now() - DAY)

    for c, url in ((client, link), (member_client, reverse("bodies:survey_answer", args=[survey.pk]))):
        response = c.post(url, {"answer": YES})
        assert response.status_code == 410 and "This survey is closed" in response.content.decode()
    assert _answers(survey) == []


# ---------------------------------------------------------------- in the portal


@pytest.mark.django_db
def test_a_member_sees_the_survey_on_their_page_and_answers_it(member_client, survey, member):
    me = member_client.get(reverse("network:me")).content.decode()
    url = reverse("bodies:survey_answer", args=[survey.pk])
    assert url in me and "You have not answered yet." in me

    response = member_client.post(url, {"answer": YES, "comment": ""}, follow=True)

    assert "Thank you: your answer is recorded." in response.content.decode()
    assert survey.invitations.get(member=member).answered_by == member.user
    assert (
        "Your answer: Yes, I will continue to serve."
        in member_client.get(reverse("network:me")).content.decode()
    )


@pytest.mark.django_db
def test_a_member_not_asked_gets_404_and_no_panel(client, survey):
    other = MemberFactory()
    client.force_login(other.user)

    assert client.get(reverse("bodies:survey_answer", args=[survey.pk])).status_code == 404
    assert client.post(reverse("bodies:survey_answer", args=[survey.pk]), {"answer": YES}).status_code == 404
    assert "my-surveys-panel" not in client.get(reverse("network:me")).content.decode()
    assert _answers(survey) == []


@pytest.mark.django_db
def test_an_empty_answer_shows_the_form_again_and_records_nothing(member_client, survey):
    response = member_client.post(reverse("bodies:survey_answer", args=[survey.pk]), {"comment": "?"})

    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert _answers(survey) == []
