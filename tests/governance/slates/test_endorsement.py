"""Endorsement by the network: opening a window, answering by link or in the portal, reminders, the close."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casm.outbox.models import Message
from governance.slates.models import EndorsementAnswer, EndorsementInvitation, EndorsementReminder, Slate
from governance.slates.services import endorsement as services
from governance.slates.tasks import windows_close_due_task
from tests.governance.slates.endorsement_factories import audience, open_window, ready_slate
from tests.governance.slates.factories import NomineeFactory, SlateFactory
from tests.network.factories import MemberFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _token(window, member):
    return services.window_link_token(EndorsementInvitation.objects.get(window=window, member=member))


def _link(window, member):
    return reverse("slates:endorsement_link", args=[_token(window, member)])


# ---------------------------------------------------------------- opening


def test_window_open_invites_the_audience_by_mail_in_their_language_with_a_signed_link(staff_user):
    members = audience((2, 1))
    members[0].user.preferred_language = "fr"
    members[0].user.save()
    slate = ready_slate()

    window = open_window(staff_user, slate)

    invitations = EndorsementInvitation.objects.filter(window=window)
    invited = {i.member_id: i for i in invitations}
    assert set(invited) >= {m.pk for m in members}
    assert invited[members[2].pk].chamber_id == members[2].sector.chamber_id
    assert all(i.message_id and i.nonce for i in invitations)
    french = Message.objects.get(pk=invited[members[0].pk].message_id)
    assert french.language == "fr" and french.to == members[0].email
    assert "/slates/endorsement/link/" in french.body
    slate.refresh_from_db()
    assert slate.status == Slate.Status.ENDORSEMENT
    assert window.history.get().history_change_reason == "Endorsement window opened"
    assert window.history.get().history_user == staff_user
    assert slate.history.latest().history_change_reason == "Sent to endorsement by the network"


def test_window_open_for_chosen_chambers_invites_only_their_active_members(staff_user):
    members = audience((2, 2))
    MemberFactory(sector=members[0].sector, status="suspended")

    window = open_window(staff_user, audience="chambers", chambers=[members[0].sector.chamber])

    assert set(window.invitations.values_list("member_id", flat=True)) == {members[0].pk, members[1].pk}


def test_a_large_audience_is_mailed_in_batches_after_the_commit(
    staff_user, django_capture_on_commit_callbacks
):
    audience((5,))

    with django_capture_on_commit_callbacks(execute=True):
        window = open_window(staff_user, batch_size=2)

    assert window.invitations.filter(message__isnull=True).count() == 0
    assert Message.objects.filter(notice__kind="slates.endorsement").count() == window.invitations.count()


def test_a_mail_batch_delivered_twice_writes_each_invitation_once(staff_user):
    members = audience((3,))
    window = open_window(staff_user)
    ids = [m.pk for m in members]

    assert services.window_mail_batch_send(window_id=window.pk, kind=services.INVITATION, member_ids=ids) == 0
    assert Message.objects.filter(notice__kind="slates.endorsement").count() == window.invitations.count()


@pytest.mark.parametrize("role", ["member", "plain_user"])
def test_window_open_is_refused_to_anyone_but_the_secretariat(request, role):
    audience()
    user = request.getfixturevalue(role)
    user = getattr(user, "user", user)
    slate = ready_slate()

    with pytest.raises(PermissionDenied):
        open_window(user, slate)

    slate.refresh_from_db()
    assert slate.status == Slate.Status.DRAFT and not EndorsementInvitation.objects.exists()


def test_window_open_refuses_a_slate_with_problems_and_lists_them(staff_user):
    audience()
    slate = ready_slate()
    NomineeFactory(slate=slate, member=MemberFactory(full_name="Kofi Boateng"))

    with pytest.raises(ValidationError) as refused:
        open_window(staff_user, slate)

    assert "Kofi Boateng has not accepted the nomination (Not answered yet)." in refused.value.messages
    assert not EndorsementInvitation.objects.exists() and not Message.objects.exists()


def test_window_open_refuses_a_slate_not_being_composed(staff_user):
    slate = ready_slate(status=Slate.Status.NOT_ENDORSED)

    with pytest.raises(ValidationError):
        open_window(staff_user, slate)


def test_window_open_refuses_a_close_in_the_past(staff_user):
    with pytest.raises(ValidationError) as refused:
        open_window(staff_user, days=-1)

    assert "closes_at" in refused.value.error_dict


def test_the_open_page_posted_for_a_slate_with_problems_opens_nothing(staff_client):
    slate = SlateFactory()  # no nominees

    response = staff_client.post(
        reverse("slates:staff_window_open", args=[slate.pk]),
        {
            "audience": "all_active",
            "time_zone": "UTC",
            "closes_at": "2099-01-01T12:00",
            "rule": "objection_threshold",
            "objection_share": "1/3",
            "min_turnout_percent": "0",
            "reminder_offsets": "7",
        },
    )

    assert response.status_code == 200
    assert "The slate has no nominees yet." in response.content.decode()
    slate.refresh_from_db()
    assert slate.status == Slate.Status.DRAFT and not hasattr(slate, "window")


def test_the_open_page_opens_a_window_for_a_ready_slate(staff_client):
    audience()
    slate = ready_slate()

    response = staff_client.post(
        reverse("slates:staff_window_open", args=[slate.pk]),
        {
            "audience": "all_active",
            "time_zone": "Africa/Accra",
            "closes_at": "2099-01-01T12:00",
            "rule": "majority_every_chamber",
            "objection_share": "1/2",
            "min_turnout_percent": "10",
            "reminder_offsets": "7, 1",
            "answers_can_change": "on",
        },
    )

    slate.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == reverse(
        "slates:staff_window_detail", args=[slate.window.pk]
    )
    assert (slate.window.objection_numerator, slate.window.objection_denominator) == (1, 2)
    assert slate.window.reminder_offsets == [7, 1]


# ---------------------------------------------------------------- answering by link


def test_opening_the_link_shows_the_form_and_records_nothing(client, staff_user):
    members = audience((1,))
    window = open_window(staff_user)

    response = client.get(_link(window, members[0]))

    assert response.status_code == 200 and 'name="choice"' in response.content.decode()
    assert not EndorsementAnswer.objects.exists()


def test_posting_the_link_records_the_answer_with_the_members_chamber(client, staff_user):
    members = audience((1,))
    window = open_window(staff_user)

    response = client.post(_link(window, members[0]), {"choice": "object", "comment": "Too few miners."})

    assert response.status_code == 302
    answer = EndorsementAnswer.objects.get()
    assert (answer.member_id, answer.chamber_id, answer.choice, answer.comment) == (
        members[0].pk,
        members[0].sector.chamber_id,
        "object",
        "Too few miners.",
    )


def test_a_used_link_cannot_answer_again_when_answers_cannot_change(client, staff_user):
    members = audience((1,))
    window = open_window(staff_user, answers_can_change=False)
    link = _link(window, members[0])
    client.post(link, {"choice": "endorse"})

    again = client.post(link, {"choice": "object"})

    assert again.status_code == 409 and "already answered" in again.content.decode()
    assert client.get(link).status_code == 409
    assert EndorsementAnswer.objects.get().choice == "endorse"


def test_a_changed_answer_replaces_the_first_when_the_window_allows_it(client, staff_user):
    members = audience((1,))
    window = open_window(staff_user, answers_can_change=True)
    link = _link(window, members[0])
    client.post(link, {"choice": "endorse"})

    client.post(link, {"choice": "abstain"})

    answer = EndorsementAnswer.objects.get()
    assert answer.choice == "abstain" and answer.changed_at is not None


def _altered(token):
    head, _sep, tail = token.rpartition(":")
    return f"{head}:{'A' if tail[0] != 'A' else 'B'}{tail[1:]}"


@pytest.mark.parametrize("attack", ["forged", "altered", "other_purpose", "stale_nonce"])
def test_a_forged_or_altered_link_is_refused_and_records_nothing(client, staff_user, attack):
    from casm.signed_links import link_token

    members = audience((1,))
    window = open_window(staff_user)
    invitation = EndorsementInvitation.objects.get(window=window, member=members[0])
    token = {
        "forged": "forged-0123456789abcdef",
        "altered": _altered(services.window_link_token(invitation)),
        "other_purpose": link_token(
            purpose="casm.bodies.survey-answer",
            object_id=window.pk,
            member_id=members[0].pk,
            nonce=invitation.nonce,
        ),
        "stale_nonce": link_token(
            purpose=services.LINK_PURPOSE, object_id=window.pk, member_id=members[0].pk, nonce="old-nonce"
        ),
    }[attack]

    response = client.post(reverse("slates:endorsement_link", args=[token]), {"choice": "endorse"})

    assert response.status_code == 404 and "This link is not valid" in response.content.decode()
    assert not EndorsementAnswer.objects.exists()


def test_an_expired_link_is_refused_and_records_nothing(client, staff_user, monkeypatch):
    members = audience((1,))
    window = open_window(staff_user)
    link = _link(window, members[0])
    monkeypatch.setattr(services, "LINK_MAX_AGE", datetime.timedelta(seconds=-1))

    response = client.post(link, {"choice": "endorse"})

    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not EndorsementAnswer.objects.exists()


def test_a_members_link_opened_while_logged_in_as_another_member_records_nothing(member_client, staff_user):
    members = audience((1,))
    window = open_window(staff_user)

    response = member_client.post(_link(window, members[0]), {"choice": "object"})

    assert response.status_code == 403
    assert not EndorsementAnswer.objects.exists()


def test_a_link_cannot_answer_for_another_window(client, staff_user):
    from casm.signed_links import link_token

    members = audience((1,))
    first = open_window(staff_user)
    second = open_window(staff_user)
    nonce = EndorsementInvitation.objects.get(window=first, member=members[0]).nonce
    token = link_token(
        purpose=services.LINK_PURPOSE, object_id=second.pk, member_id=members[0].pk, nonce=nonce
    )

    response = client.post(reverse("slates:endorsement_link", args=[token]), {"choice": "endorse"})

    assert response.status_code == 404 and not EndorsementAnswer.objects.exists()


def test_a_late_answer_is_refused_and_records_nothing(client, staff_user):
    members = audience((1,))
    window = open_window(staff_user)
    token = _token(window, members[0])

    with pytest.raises(ValidationError) as refused:
        services.window_answer_by_link(token=token, choice="endorse", now=window.closes_at)

    assert refused.value.error_list[0].code == "closed"
    window.closes_at = timezone.now() - DAY
    window.opens_at = window.closes_at - DAY
    window.save()
    response = client.post(reverse("slates:endorsement_link", args=[token]), {"choice": "endorse"})
    assert response.status_code == 410 and not EndorsementAnswer.objects.exists()


def test_a_bad_choice_is_refused(staff_user):
    members = audience((1,))
    window = open_window(staff_user)

    with pytest.raises(ValidationError):
        services.window_answer_by_link(token=_token(window, members[0]), choice="maybe")

    assert not EndorsementAnswer.objects.exists()


# ---------------------------------------------------------------- answering in the portal


def test_an_invited_member_answers_in_the_portal_and_sees_the_window_on_their_page(
    member, member_client, staff_user
):
    window = open_window(staff_user)
    me = member_client.get(reverse("network:me")).content.decode()
    assert reverse("slates:endorsement_answer", args=[window.pk]) in me

    response = member_client.post(
        reverse("slates:endorsement_answer", args=[window.pk]), {"choice": "endorse"}
    )

    assert response.status_code == 302
    assert EndorsementAnswer.objects.get().member_id == member.pk


def test_a_member_not_in_the_audience_cannot_answer_in_the_portal(member, member_client, staff_user):
    other = audience((1,))[0]
    window = open_window(staff_user, audience="chambers", chambers=[other.sector.chamber])

    assert member_client.get(reverse("slates:endorsement_answer", args=[window.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.window_answer(actor=member.user, window=window, choice="endorse")
    assert not EndorsementAnswer.objects.exists()


# ---------------------------------------------------------------- extending


def test_window_extend_moves_the_close_later_with_a_history_row(staff_user):
    window = open_window(staff_user)
    later = window.closes_at + DAY

    services.window_extend(actor=staff_user, window=window, closes_at=later)

    window.refresh_from_db()
    assert window.closes_at == later
    row = window.history.latest()
    assert (row.history_change_reason, row.history_user) == ("Close extended", staff_user)


def test_window_extend_after_the_close_is_refused(staff_user):
    window = open_window(staff_user)

    with pytest.raises(ValidationError) as refused:
        services.window_extend(
            actor=staff_user, window=window, closes_at=window.closes_at + DAY, now=window.closes_at
        )

    assert refused.value.error_list[0].code == "closed"
    assert window.history.count() == 1


def test_window_extend_once_counted_is_refused(staff_user):
    window = open_window(staff_user)
    services.window_close(window_id=window.pk, now=window.closes_at)

    with pytest.raises(ValidationError):
        services.window_extend(actor=staff_user, window=window, closes_at=window.closes_at + DAY)


def test_window_extend_refuses_an_earlier_close_and_non_staff(staff_user, member):
    window = open_window(staff_user)

    with pytest.raises(ValidationError):
        services.window_extend(actor=staff_user, window=window, closes_at=window.closes_at - DAY)
    with pytest.raises(PermissionDenied):
        services.window_extend(actor=member.user, window=window, closes_at=window.closes_at + DAY)
    window.refresh_from_db()
    assert window.history.count() == 1


# ---------------------------------------------------------------- reminders


def test_reminders_go_to_non_respondents_once_per_offset(staff_user):
    members = audience((3,))
    window = open_window(staff_user, reminder_offsets=[2])
    services.window_answer_by_link(token=_token(window, members[0]), choice="endorse")
    now = window.closes_at - DAY

    first = services.window_reminders_run_due(now=now)
    second = services.window_reminders_run_due(now=now)

    reminded = set(EndorsementReminder.objects.values_list("member_id", flat=True))
    assert first == window.invitations.count() - 1 and second == 0
    assert members[0].pk not in reminded and members[1].pk in reminded
    assert Message.objects.filter(notice__kind="slates.endorsement_reminder").count() == len(reminded)


# ---------------------------------------------------------------- the close


def _answer_all(window, choices):
    invitations = list(window.invitations.order_by("member_id"))
    for invitation, choice in zip(invitations, choices, strict=False):
        services.window_answer_by_link(token=services.window_link_token(invitation), choice=choice)


def test_window_close_records_the_outcome_with_figures_per_chamber_and_tells_the_audience(
    staff_user, django_capture_on_commit_callbacks
):
    audience((2, 2))
    window = open_window(staff_user, slate=ready_slate(), objection_share="1/3")
    _answer_all(window, ["endorse", "endorse", "object", "abstain"])  # 5 invited: the nominee too

    with django_capture_on_commit_callbacks(execute=True):
        assert services.window_close(window_id=window.pk, now=window.closes_at) is True

    window.refresh_from_db()
    assert (window.outcome, window.outcome_reason) == ("endorsed", "endorsed")
    totals = window.outcome_figures["totals"]
    assert (totals["eligible"], totals["endorsements"], totals["objections"], totals["abstentions"]) == (
        5,
        2,
        1,
        1,
    )
    assert sum(row["eligible"] for row in window.outcome_figures["chambers"]) == 5
    assert window.slate.status == Slate.Status.ENDORSED
    assert window.history.latest().history_change_reason == "Outcome counted at the close"
    assert Message.objects.filter(notice__kind="slates.endorsement_outcome").count() == 5


def test_objections_reaching_the_share_stop_the_slate(staff_user):
    audience((3,))
    window = open_window(staff_user, objection_share="1/3")
    _answer_all(window, ["endorse", "object"])

    services.window_close(window_id=window.pk, now=window.closes_at)

    window.refresh_from_db()
    assert (window.outcome, window.outcome_reason) == ("not_endorsed", "objections_reached_threshold")
    assert window.slate.status == Slate.Status.NOT_ENDORSED


def test_window_close_twice_records_once(staff_user):
    audience((2,))
    window = open_window(staff_user)
    _answer_all(window, ["endorse"])

    assert services.window_close(window_id=window.pk, now=window.closes_at) is True
    computed = type(window).objects.get(pk=window.pk).outcome_computed_at
    assert services.window_close(window_id=window.pk, now=window.closes_at + DAY) is False

    window.refresh_from_db()
    assert window.outcome_computed_at == computed
    assert window.history.filter(history_change_reason="Outcome counted at the close").count() == 1


def test_window_close_before_the_close_does_nothing(staff_user):
    window = open_window(staff_user)

    assert services.window_close(window_id=window.pk) is False
    assert windows_close_due_task.delay().get() == 0
    window.refresh_from_db()
    assert window.outcome_computed_at is None


def test_the_beat_task_closes_due_windows(staff_user):
    window = open_window(staff_user, days=1, now=timezone.now() - 2 * DAY)

    assert windows_close_due_task.delay().get() == 1

    window.refresh_from_db()
    assert window.outcome == "not_endorsed"  # nobody answered


def test_window_figures_is_one_query(staff_user, django_assert_num_queries):
    audience((3, 3))
    window = open_window(staff_user)
    _answer_all(window, ["endorse", "object", "abstain"])

    with django_assert_num_queries(1):
        figures = services.window_figures(window)

    assert sum(f.eligible for _pk, f in figures) == 7 and sum(f.answers for _pk, f in figures) == 3


# ---------------------------------------------------------------- pages


def test_the_outcome_page_shows_figures_per_chamber_only_after_the_close(client, staff_user):
    members = audience((2,))
    window = open_window(staff_user)
    _answer_all(window, ["endorse", "endorse"])
    url = reverse("slates:endorsement_outcome", args=[window.pk])

    before = client.get(url).content.decode()
    services.window_close(window_id=window.pk, now=window.closes_at)
    after = client.get(url).content.decode()

    assert "still open" in before and members[0].sector.chamber.name not in before
    assert "The network endorsed the slate." in after and members[0].sector.chamber.name in after


def test_the_staff_window_page_shows_turnout_by_chamber_not_who_said_what(staff_client, staff_user):
    members = audience((2, 1))
    window = open_window(staff_user)
    services.window_answer_by_link(token=_token(window, members[0]), choice="object", comment="SECRET-REASON")

    page = staff_client.get(reverse("slates:staff_window_detail", args=[window.pk])).content.decode()

    assert members[0].sector.chamber.name in page
    assert "SECRET-REASON" not in page and members[0].full_name not in page
    for word in ("object", "endorse", "abstain", "objected", "endorsed", "abstained"):
        assert not re.search(rf"\b{word}\b", page, re.IGNORECASE), word


@pytest.mark.parametrize("role", ["member", "applicant", "visitor", "staff_no_mfa"])
def test_the_staff_window_pages_are_refused_to_other_roles(role_clients, staff_user, role):
    window = open_window(staff_user)
    if role == "staff_no_mfa":
        client = Client()
        client.force_login(_staff_no_mfa())
    else:
        client = role_clients[role]

    for name in ("staff_window_detail", "staff_window_extend"):
        response = client.get(reverse(f"slates:{name}", args=[window.pk]))
        assert response.status_code in (302, 403)
        assert "SECRET" not in response.content.decode()
    before = window.closes_at
    client.post(reverse("slates:staff_window_extend", args=[window.pk]), {"closes_at": "2099-01-01T00:00"})
    window.refresh_from_db()
    assert window.closes_at == before


def _staff_no_mfa():
    from django.contrib.auth.models import Group

    from casm import roles
    from tests.network.factories import UserFactory

    user = UserFactory(email="nomfa@example.org")
    user.groups.add(Group.objects.get_or_create(name=roles.SECRETARIAT)[0])
    return user


def test_the_staff_window_page_costs_the_same_queries_with_one_or_many_invitations(
    staff_client, staff_user, django_assert_num_queries
):
    """Queries: session and user, the window (slate, body, opener), its chambers, turnout (two), failed
    mail, reminders, and the two histories — whatever the audience."""
    small = open_window(staff_user)
    audience((6, 6))
    large = open_window(staff_user)
    services.window_reminders_run_due(now=large.closes_at - DAY)

    def count(window):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert (
                staff_client.get(reverse("slates:staff_window_detail", args=[window.pk])).status_code == 200
            )
        return len(queries)

    assert count(small) == count(large)


def test_the_outcome_and_turnout_name_chambers_in_the_readers_language(client, staff_client, staff_user):
    members = audience((2,))
    chamber = members[0].sector.chamber
    chamber.translations = {"fr": {"name": "Chambre des mineurs"}}
    chamber.save()
    window = open_window(staff_user)
    _answer_all(window, ["endorse", "endorse"])
    staff_user.preferred_language = "fr"
    staff_user.save()
    turnout = staff_client.get(reverse("slates:staff_window_detail", args=[window.pk])).content.decode()
    services.window_close(window_id=window.pk, now=window.closes_at)

    outcome = client.get(
        reverse("slates:endorsement_outcome", args=[window.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    assert "Chambre des mineurs" in turnout and "Chambre des mineurs" in outcome
