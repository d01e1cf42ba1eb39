"""The survey of continued service: sending, answering by signed link or in the portal, reminders."""

import datetime
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casm.outbox.models import Message
from casm.signed_links import link_token
from governance.bodies.models import Survey, SurveyInvitation, SurveyReminderSent
from governance.bodies.services import survey as services
from tests.governance.bodies.factories import BodyFactory, SeatFactory
from tests.network.factories import MemberFactory, UserFactory

DAY = datetime.timedelta(days=1)
YES, NO, UNDECIDED = (
    SurveyInvitation.Answer.YES,
    SurveyInvitation.Answer.NO,
    SurveyInvitation.Answer.UNDECIDED,
)


@pytest.fixture
def smag(db):
    body = BodyFactory(name="Strategic Management Advisory Group", short_name="SMAG", slug="smag")
    ama = MemberFactory(full_name="Ama Mensah (fictional)")
    luc = MemberFactory(full_name="Luc Kabila (fictional)")
    SeatFactory(body=body, holder=ama, label="Seat 1")
    SeatFactory(body=body, holder=luc, label="Seat 2")
    SeatFactory(body=body, holder=ama, label="Seat 3")  # two seats: asked once
    SeatFactory(body=body, label="Vacant seat")
    return body


def _send(staff_user, body, *, deadline=None, offsets=None, **extra):
    return services.survey_send(
        actor=staff_user,
        body=body,
        deadline=deadline or timezone.now() + 14 * DAY,
        time_zone="Africa/Accra",
        reminder_offsets=offsets,
        **extra,
    )


def _invitation(survey, name):
    return survey.invitations.select_related("member__user").get(member__full_name=name)


def _token(invitation):
    return services.survey_link_token(invitation)


# ---------------------------------------------------------------- sending


@pytest.mark.django_db
def test_survey_send_asks_each_current_member_once_and_queues_their_mail(staff_user, smag):
    survey = _send(staff_user, smag, message="Please answer by the end of the month.")

    invitations = list(survey.invitations.select_related("member", "message"))
    assert sorted(i.member.full_name for i in invitations) == [
        "Ama Mensah (fictional)",
        "Luc Kabila (fictional)",
    ]
    assert all(i.message is not None and i.message.to == i.member.email for i in invitations)
    assert {i.message.notice.kind for i in invitations} == {"bodies.survey"}
    assert str(invitations[0].message.notice) == "Survey of continued service, SMAG"  # staff's mail page
    assert all(i.message.recipient_id == i.member_id for i in invitations)
    body = invitations[0].message.body
    assert "/bodies/surveys/link/" in body and "Please answer by the end of the month." in body
    assert len({i.nonce for i in invitations}) == 2
    assert survey.reminder_offsets == [7, 2]  # the default


@pytest.mark.django_db
def test_survey_send_leaves_history_with_who_sent_it(staff_user, smag):
    survey = _send(staff_user, smag)

    row = survey.history.get()
    assert (row.history_user, row.history_change_reason) == (staff_user, "Survey sent")
    invited = SurveyInvitation.history.filter(survey_id=survey.pk)
    assert {(r.history_user_id, r.history_change_reason) for r in invited} == {
        (staff_user.pk, "Invited to the survey")
    }


@pytest.mark.django_db
def test_survey_send_is_refused_to_a_member_and_changes_nothing(smag):
    member = MemberFactory()

    with pytest.raises(PermissionDenied):
        _send(member.user, smag)

    assert not Survey.objects.exists() and not Message.objects.exists()


@pytest.mark.django_db
def test_survey_send_refuses_a_past_deadline_and_a_body_without_members(staff_user, smag):
    with pytest.raises(ValidationError) as caught:
        _send(staff_user, smag, deadline=timezone.now() - DAY)
    assert "deadline" in caught.value.message_dict

    with pytest.raises(ValidationError):
        _send(staff_user, BodyFactory())

    assert not Survey.objects.exists() and not Message.objects.exists()


@pytest.mark.django_db
def test_survey_deadline_is_typed_in_its_zone_and_stored_in_utc(staff_user, smag):
    year = timezone.now().year + 1
    survey = services.survey_send(
        actor=staff_user,
        body=smag,
        deadline=datetime.datetime(year, 3, 10, 23, 59),
        time_zone="America/Sao_Paulo",
    )

    assert survey.deadline == datetime.datetime(year, 3, 11, 2, 59, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_the_mail_is_written_in_the_recipients_language(staff_user):
    body = BodyFactory(name="SMAG")
    french = MemberFactory(full_name="Awa Diop (fictional)", languages=["fr"])
    french.user.preferred_language = "fr"
    french.user.save()
    SeatFactory(body=body, holder=french)
    deadline = datetime.datetime(timezone.now().year + 1, 12, 10, 12, 0, tzinfo=datetime.UTC)

    survey = _send(staff_user, body, deadline=deadline)

    message = survey.invitations.get().message
    assert message.language == "fr"
    assert message.to == french.email
    assert "décembre" in message.body  # the deadline rendered in French (Django's own month names)


# ---------------------------------------------------------------- answering through the link


@pytest.mark.django_db
def test_an_answer_through_the_link_is_recorded_for_its_member_with_history(staff_user, smag):
    survey = _send(staff_user, smag)
    ama = _invitation(survey, "Ama Mensah (fictional)")

    services.survey_answer_by_link(token=_token(ama), answer=YES, comment="Happy to continue.")

    ama.refresh_from_db()
    assert (ama.answer, ama.comment, ama.answered_via) == (YES, "Happy to continue.", "link")
    row = ama.history.order_by("-history_date").first()
    assert (row.history_user, row.history_change_reason) == (
        ama.member.user,
        "Answered through the signed link",
    )
    assert not _invitation(survey, "Luc Kabila (fictional)").answer


@pytest.mark.django_db
def test_an_answer_can_be_changed_until_the_deadline_and_each_change_is_in_the_history(staff_user, smag):
    survey = _send(staff_user, smag)
    ama = _invitation(survey, "Ama Mensah (fictional)")

    services.survey_answer_by_link(token=_token(ama), answer=UNDECIDED)
    services.survey_answer_by_link(token=_token(ama), answer=NO, comment="Standing down.")

    ama.refresh_from_db()
    assert ama.answer == NO
    reasons = list(ama.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == [
        "Invited to the survey",
        "Answered through the signed link",
        "Answer changed through the signed link",
    ]


def _nothing_recorded(survey):
    return not survey.invitations.exclude(answer="").exists()


@pytest.mark.django_db
def test_forged_and_altered_links_are_refused_and_record_nothing(staff_user, smag):
    survey = _send(staff_user, smag)
    ama = _invitation(survey, "Ama Mensah (fictional)")
    luc = _invitation(survey, "Luc Kabila (fictional)")
    token = _token(ama)
    _payload, signature = token.split(":", 1)
    # Ama's signature on a payload naming Luc; Luc's ids with a nonce of someone else; another purpose.
    altered = signing.b64_encode(f'[{survey.pk},{luc.member_id},"{ama.nonce}"]'.encode()).decode()
    bad = [
        "forged-0123456789abcdef",
        token[:-3] + "abc",
        altered + ":" + signature,
        link_token(
            purpose=services.LINK_PURPOSE, object_id=survey.pk, member_id=luc.member_id, nonce=ama.nonce
        ),
        link_token(purpose="casm.other", object_id=survey.pk, member_id=ama.member_id, nonce=ama.nonce),
    ]
    for token in bad:
        with pytest.raises(ValidationError) as caught:
            services.survey_answer_by_link(token=token, answer=YES)
        assert caught.value.code == "invalid", token

    assert _nothing_recorded(survey)


@pytest.mark.django_db
def test_an_expired_link_is_refused_as_expired_and_records_nothing(staff_user, smag):
    survey = _send(staff_user, smag, deadline=timezone.now() + 800 * DAY)
    token = _token(_invitation(survey, "Ama Mensah (fictional)"))
    later = signing.time.time() + services.LINK_MAX_AGE.total_seconds() + 60

    with (
        mock.patch.object(signing.time, "time", return_value=later),
        pytest.raises(ValidationError) as caught,
    ):
        services.survey_answer_by_link(token=token, answer=YES)

    assert caught.value.code == "expired"
    assert _nothing_recorded(survey)


@pytest.mark.django_db
def test_a_link_used_while_logged_in_as_another_member_is_refused(staff_user, smag):
    survey = _send(staff_user, smag)
    ama = _invitation(survey, "Ama Mensah (fictional)")
    luc = _invitation(survey, "Luc Kabila (fictional)")

    with pytest.raises(ValidationError) as caught:
        services.survey_answer_by_link(token=_token(ama), answer=NO, actor=luc.member.user)

    assert caught.value.code == "other_member"
    assert _nothing_recorded(survey)
    # Staff without a member record, or Ama herself, may use it.
    services.survey_answer_by_link(token=_token(ama), answer=YES, actor=ama.member.user)
    assert SurveyInvitation.objects.get(pk=ama.pk).answer == YES


@pytest.mark.django_db
def test_a_link_of_an_earlier_survey_does_not_answer_a_later_one(staff_user, smag):
    first = _send(staff_user, smag)
    second = _send(staff_user, smag)
    token = _token(_invitation(first, "Ama Mensah (fictional)"))

    services.survey_answer_by_link(token=token, answer=YES)

    assert _invitation(first, "Ama Mensah (fictional)").answer == YES
    assert _nothing_recorded(second)


@pytest.mark.django_db
def test_an_answer_after_the_deadline_is_refused_and_records_nothing(staff_user, smag):
    survey = _send(staff_user, smag, deadline=timezone.now() + DAY)
    ama = _invitation(survey, "Ama Mensah (fictional)")

    with pytest.raises(ValidationError) as caught:
        services.survey_answer_by_link(
            token=_token(ama), answer=YES, now=survey.deadline + datetime.timedelta(seconds=1)
        )
    assert caught.value.code == "closed"
    with pytest.raises(ValidationError):
        services.survey_answer(actor=ama.member.user, survey=survey, answer=YES, now=survey.deadline + DAY)

    assert _nothing_recorded(survey)


# ---------------------------------------------------------------- answering in the portal


@pytest.mark.django_db
def test_a_member_answers_in_the_portal_and_the_history_names_them(staff_user, smag):
    survey = _send(staff_user, smag)
    luc = _invitation(survey, "Luc Kabila (fictional)")

    services.survey_answer(actor=luc.member.user, survey=survey, answer=NO, comment="Time to hand over.")

    luc.refresh_from_db()
    assert (luc.answer, luc.answered_via, luc.answered_by) == (NO, "portal", luc.member.user)
    row = luc.history.order_by("-history_date").first()
    assert (row.history_user, row.history_change_reason) == (luc.member.user, "Answered in the portal")


@pytest.mark.django_db
def test_someone_not_asked_cannot_answer_in_the_portal(staff_user, smag):
    survey = _send(staff_user, smag)

    for actor in (MemberFactory().user, staff_user, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.survey_answer(actor=actor, survey=survey, answer=YES)

    assert _nothing_recorded(survey)


@pytest.mark.django_db
def test_an_unknown_answer_is_refused(staff_user, smag):
    survey = _send(staff_user, smag)
    ama = _invitation(survey, "Ama Mensah (fictional)")

    with pytest.raises(ValidationError):
        services.survey_answer(actor=ama.member.user, survey=survey, answer="maybe")

    assert _nothing_recorded(survey)


# ---------------------------------------------------------------- reminders


@pytest.mark.django_db
def test_reminders_go_to_those_who_have_not_answered_at_the_nearest_offset(staff_user, smag):
    survey = _send(staff_user, smag, offsets=[7, 2])
    ama = _invitation(survey, "Ama Mensah (fictional)")
    luc = _invitation(survey, "Luc Kabila (fictional)")
    services.survey_answer(actor=ama.member.user, survey=survey, answer=YES)

    assert services.survey_reminders_due(survey=survey, now=survey.deadline - 8 * DAY) == []
    assert services.survey_reminders_due(survey=survey, now=survey.deadline - 6 * DAY) == [(luc.member_id, 7)]
    assert services.survey_reminders_due(survey=survey, now=survey.deadline - DAY) == [(luc.member_id, 2)]
    assert services.survey_reminders_due(survey=survey, now=survey.deadline + DAY) == []


@pytest.mark.django_db
def test_a_reminder_is_claimed_once_per_offset_and_person(staff_user, smag):
    survey = _send(staff_user, smag, offsets=[7, 2])
    now = survey.deadline - 6 * DAY
    dispatched = []

    def dispatch(survey_id, offset, member_ids):
        dispatched.append((offset, member_ids))
        services.survey_reminder_batch_send(
            survey_id=survey_id, offset=offset, member_ids=member_ids, now=now
        )

    assert services.survey_reminders_enqueue(survey=survey, now=now, dispatch=dispatch) == 2
    # The same batch delivered twice (a worker died before acknowledging it), and a second beat run:
    offset, member_ids = dispatched[0]
    assert (
        services.survey_reminder_batch_send(
            survey_id=survey.pk, offset=offset, member_ids=member_ids, now=now
        )
        == 0
    )
    assert services.survey_reminders_enqueue(survey=survey, now=now, dispatch=dispatch) == 0

    assert SurveyReminderSent.objects.filter(survey=survey, offset_days=7).count() == 2
    reminders = Message.objects.filter(notice__kind="bodies.survey_reminder")
    assert reminders.count() == 2
    assert all(r.message_id for r in SurveyReminderSent.objects.all())
    # At the next offset they are reminded once more.
    later = survey.deadline - DAY
    assert (
        services.survey_reminders_enqueue(
            survey=survey,
            now=later,
            dispatch=lambda s, o, m: services.survey_reminder_batch_send(
                survey_id=s, offset=o, member_ids=m, now=later
            ),
        )
        == 2
    )


@pytest.mark.django_db
def test_the_beat_task_queues_due_reminders_through_celery(staff_user, smag):
    survey = _send(staff_user, smag, offsets=[30])  # due at once: the deadline is 14 days away

    queued = services.survey_reminders_run_due()

    assert queued == 2
    assert SurveyReminderSent.objects.filter(survey=survey, offset_days=30).count() == 2


@pytest.mark.django_db
def test_staff_remind_by_hand_once_each_and_members_cannot(staff_user, smag):
    survey = _send(staff_user, smag, offsets=[])
    ama = _invitation(survey, "Ama Mensah (fictional)")
    services.survey_answer(actor=ama.member.user, survey=survey, answer=YES)

    with pytest.raises(PermissionDenied):
        services.survey_remind_now(actor=ama.member.user, survey=survey)
    assert services.survey_remind_now(actor=staff_user, survey=survey) == 1
    assert services.survey_remind_now(actor=staff_user, survey=survey) == 0

    claimed = SurveyReminderSent.objects.get(survey=survey)
    assert (claimed.member.full_name, claimed.offset_days) == ("Luc Kabila (fictional)", services.BY_HAND)


@pytest.mark.django_db
def test_no_reminder_after_the_deadline(staff_user, smag):
    survey = _send(staff_user, smag, offsets=[7])
    ids = list(survey.invitations.values_list("member_id", flat=True))

    sent = services.survey_reminder_batch_send(
        survey_id=survey.pk, offset=7, member_ids=ids, now=survey.deadline + DAY
    )

    assert sent == 0 and not SurveyReminderSent.objects.exists()
