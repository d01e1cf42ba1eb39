"""The slates' pages: composing with the live check, bad input, the nominees' link and portal pages,
the member's panel, the public page, constitution pages, and query counts that do not grow."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.slates.models import Nominee, Slate, TaskGroup
from governance.slates.services import slates as services
from tests.governance.bodies.factories import BodyFactory, SeatFactory, TermFactory
from tests.governance.slates.factories import NomineeFactory, SlateFactory
from tests.network.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def board():
    return BodyFactory(name="Board", kind="board", max_per_country=1)


def test_the_slate_page_names_each_failing_rule_as_nominees_are_added(staff_client, board):
    slate = SlateFactory(body=board)
    url = reverse("slates:nominee_add", args=[slate.pk])
    first, second = MemberFactory(country="GH"), MemberFactory(country="GH")

    staff_client.post(url, {"email": first.email, "role": "member"})
    response = staff_client.post(url, {"member": second.pk, "role": "member"}, follow=True)

    problems = [str(p) for p in response.context["problems"]]
    assert any("at most 1" in p or "Ghana" in p for p in problems), problems
    assert sum("has not accepted" in p for p in problems) == 2
    assert set(slate.nominees.values_list("member", flat=True)) == {first.pk, second.pk}


@pytest.mark.parametrize(
    "data",
    [{"role": "member"}, {"email": "nobody@example.org", "role": "member"}, {"email": "x", "role": "member"}],
)
def test_bad_nominee_input_gives_form_errors_and_changes_nothing(staff_client, board, data):
    slate = SlateFactory(body=board)

    response = staff_client.post(reverse("slates:nominee_add", args=[slate.pk]), data)

    assert response.status_code == 200 and response.context["form"].errors
    assert not slate.nominees.exists()
    assert not Nominee.history.exists()


def test_a_member_already_on_the_slate_gets_a_form_error(staff_client, board):
    slate = SlateFactory(body=board)
    nominee = NomineeFactory(slate=slate)

    response = staff_client.post(
        reverse("slates:nominee_add", args=[slate.pk]), {"member": nominee.member_id, "role": "member"}
    )

    assert "member" in response.context["form"].errors
    assert slate.nominees.count() == 1


def test_bad_slate_input_gives_form_errors_and_changes_nothing(staff_client, board):
    response = staff_client.post(reverse("slates:slate_new"), {"body": board.pk, "title": ""})

    assert "title" in response.context["form"].errors
    assert not Slate.objects.exists()


def test_a_member_of_the_proposing_body_composes_from_the_pages(board):
    committee = BodyFactory(name="Interim Steering Committee")
    composer = TermFactory(seat=SeatFactory(body=committee)).member
    client = _client(composer.user)

    response = client.post(
        reverse("slates:slate_new"), {"body": board.pk, "proposed_by": committee.pk, "title": "First Board"}
    )
    slate = Slate.objects.get()
    client.post(
        reverse("slates:nominee_add", args=[slate.pk]), {"member": MemberFactory().pk, "role": "member"}
    )

    assert response.status_code == 302 and slate.proposed_by == committee
    assert slate.nominees.count() == 1
    assert client.get(reverse("slates:slate_detail", args=[slate.pk])).status_code == 200
    # asking the nominees stays with the secretariat
    assert client.post(reverse("slates:slate_ask", args=[slate.pk])).status_code == 403


def test_a_member_of_another_body_cannot_open_or_change_the_slate(board):
    committee = BodyFactory()
    slate = SlateFactory(body=board, proposed_by=committee)
    outsider = TermFactory(seat=SeatFactory(body=BodyFactory())).member
    client = _client(outsider.user)

    assert client.get(reverse("slates:slate_detail", args=[slate.pk])).status_code == 403
    response = client.post(
        reverse("slates:nominee_add", args=[slate.pk]), {"member": MemberFactory().pk, "role": "member"}
    )
    assert response.status_code == 403
    assert not slate.nominees.exists()
    # nor propose in the name of a body they do not sit on
    client.post(reverse("slates:slate_new"), {"body": board.pk, "proposed_by": committee.pk, "title": "x"})
    assert Slate.objects.count() == 1


def test_staff_ask_the_nominees_and_the_nominee_answers_through_the_link(staff_client, board, client):
    slate = SlateFactory(body=board)
    nominee = NomineeFactory(slate=slate)

    staff_client.post(reverse("slates:slate_ask", args=[slate.pk]))
    nominee.refresh_from_db()
    url = reverse("slates:nominee_answer_link", args=[services.nominee_link_token(nominee)])
    assert client.get(url).status_code == 200
    response = client.post(url, {"accept": "yes", "comment": "Happy to."})

    assert response.status_code == 302
    nominee.refresh_from_db()
    assert (nominee.status, nominee.comment) == (Nominee.Status.ACCEPTED, "Happy to.")


@pytest.mark.parametrize(
    ("token", "status", "heading"),
    [("forged-0123456789abcdef", 404, "This link is not valid"), (None, 403, "sent to another member")],
)
def test_refused_links_show_a_clear_page_and_record_nothing(board, token, status, heading):
    nominee = NomineeFactory(slate=SlateFactory(body=board), nonce="n" * 22)
    client = Client()
    if token is None:  # a genuine link, opened while logged in as another member
        token = services.nominee_link_token(nominee)
        client.force_login(MemberFactory().user)

    response = client.post(reverse("slates:nominee_answer_link", args=[token]), {"accept": "yes"})

    assert response.status_code == status
    assert heading in response.content.decode()
    assert "Nothing was recorded" in response.content.decode()
    assert Nominee.objects.get(pk=nominee.pk).status == Nominee.Status.PENDING


def test_the_member_answers_in_the_portal_and_sees_the_panel_on_their_page(board):
    nominee = NomineeFactory(slate=SlateFactory(body=board))
    client = _client(nominee.member.user)

    page = client.get(reverse("network:me")).content.decode()
    assert reverse("slates:nominee_answer", args=[nominee.pk]) in page
    client.post(reverse("slates:nominee_answer", args=[nominee.pk]), {"accept": "no", "comment": "Sorry."})

    assert Nominee.objects.get(pk=nominee.pk).status == Nominee.Status.DECLINED
    # another member's nomination is not theirs to see
    other = NomineeFactory(slate=nominee.slate)
    assert client.get(reverse("slates:nominee_answer", args=[other.pk])).status_code == 404


def test_the_public_page_shows_a_slate_sent_to_endorsement_but_never_a_draft(client, board):
    public = SlateFactory(body=board, status=Slate.Status.NOT_ENDORSED, title="First round")
    NomineeFactory(slate=public, member=MemberFactory(full_name="Ama Mensah"))
    draft = SlateFactory(body=board, title="Secret draft")

    page = client.get(reverse("slates:public_slate_detail", args=[public.pk])).content.decode()
    listing = client.get(reverse("slates:public_slate_list")).content.decode()

    assert "Ama Mensah" in page and "Not endorsed" in page
    assert "First round" in listing and "Secret draft" not in listing
    assert client.get(reverse("slates:public_slate_detail", args=[draft.pk])).status_code == 404


def test_both_rounds_are_listed_on_the_slate_page(staff_client, board):
    old = SlateFactory(body=board, status=Slate.Status.NOT_ENDORSED)
    NomineeFactory(slate=old)

    staff_client.post(reverse("slates:slate_revise", args=[old.pk]))
    revision = Slate.objects.get(previous=old)
    response = staff_client.get(reverse("slates:slate_detail", args=[revision.pk]))

    assert [s.round for s in response.context["rounds"]] == [1, 2]
    assert reverse("slates:slate_detail", args=[old.pk]) in response.content.decode()


def _make_slates(board, count):
    for _ in range(count):
        NomineeFactory(
            slate=SlateFactory(body=board, proposed_by=BodyFactory(), status=Slate.Status.ENDORSED)
        )


@pytest.mark.parametrize("name", ["slates:slate_list", "slates:public_slate_list"])
def test_list_pages_run_as_many_queries_for_one_slate_as_for_many(
    staff_client, client, board, name, django_assert_max_num_queries
):
    """The list is one query (slates with body, proposer and counts), whatever the number of rows;
    the rest is the session, the account and its groups."""
    page_client = staff_client if name == "slates:slate_list" else client
    _make_slates(board, 1)

    with CaptureQueriesContext(connection) as one:
        page_client.get(reverse(name))
    _make_slates(board, 30)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = page_client.get(reverse(name))
    assert len(response.context["slates"]) == 31


def test_constitution_pages_walk_from_the_slate_to_the_task_groups_consultation(
    staff_client, staff_user, board
):
    slate = SlateFactory(body=board, status=Slate.Status.ENDORSED)
    members = [MemberFactory(country=c) for c in ("GH", "PE")]
    for member in members:
        NomineeFactory(slate=slate, member=member, status=Nominee.Status.ACCEPTED)

    staff_client.post(reverse("slates:slate_constitute", args=[slate.pk]), {"starts_on": "2026-01-01"})
    staff_client.post(
        reverse("slates:chair_choose", args=[board.slug]),
        {"method": "vote", f"votes_{members[0].pk}": "2", f"votes_{members[1].pk}": "5"},
    )
    staff_client.post(
        reverse("slates:task_group_new", args=[board.slug]),
        {"name": "ASM issue analysis", "description": "Analyse the issues.", "members": [members[0].pk]},
    )
    group = TaskGroup.objects.get()
    form = staff_client.get(reverse("slates:task_group_consult", args=[group.pk])).context["form"]
    response = staff_client.post(
        reverse("slates:task_group_consult", args=[group.pk]),
        {
            "title": form.initial["title"],
            "introduction": form.initial["introduction"],
            "time_zone": "UTC",
            "opens_at": "2027-01-01T09:00",
            "closes_at": "2027-02-01T17:00",
        },
    )

    group.refresh_from_db()
    assert Slate.objects.get(pk=slate.pk).status == Slate.Status.CONSTITUTED
    assert board.chair_choices.get().member == members[1]
    assert group.consultation.title == "Conclusions of the ASM issue analysis"
    assert group.consultation.introduction == "Analyse the issues."
    assert response["Location"] == reverse(
        "consultations:staff_consultation_detail", args=[group.consultation.slug]
    )
    page = staff_client.get(reverse("slates:body_constitution", args=[board.slug])).content.decode()
    assert "ASM issue analysis" in page


def test_constituting_a_slate_not_endorsed_gives_a_form_error_and_changes_nothing(staff_client, board):
    slate = SlateFactory(body=board)
    NomineeFactory(slate=slate, status=Nominee.Status.ACCEPTED)

    response = staff_client.post(
        reverse("slates:slate_constitute", args=[slate.pk]), {"starts_on": "2026-01-01"}
    )

    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Slate.objects.get(pk=slate.pk).status == Slate.Status.DRAFT
    assert not board.seats.exists()


def test_a_bad_task_group_date_gives_a_form_error(staff_client, staff_user, board):
    group = TaskGroup.objects.create(body=BodyFactory(kind="task_group", parent=board), created_by=staff_user)

    response = staff_client.post(
        reverse("slates:task_group_consult", args=[group.pk]),
        {"title": "T", "time_zone": "UTC", "opens_at": "2027-02-01T09:00", "closes_at": "2027-01-01T17:00"},
    )

    assert response.status_code == 200 and response.context["form"].errors
    assert TaskGroup.objects.get(pk=group.pk).consultation is None
