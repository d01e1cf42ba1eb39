"""The secretariat's landing page, the applications queue and the review of one application."""

import pytest
from django.core import mail
from django.urls import reverse

from network.models import Membership
from tests.network.staff_factories import assert_staff_only, make_applicant, make_applicants

Status = Membership.Status
pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# ---------------------------------------------------------------- who may open the pages


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("network:staff_home", "get"),
        ("network:staff_applications", "get"),
    ],
)
def test_staff_pages_are_for_staff_with_mfa(role_clients, name, method):
    assert_staff_only(role_clients, method, reverse(name))


@pytest.mark.parametrize(
    "name",
    [
        "network:staff_membership_approve",
        "network:staff_membership_reject",
        "network:staff_membership_request_information",
    ],
)
def test_review_actions_are_for_staff_with_mfa(role_clients, applicant, name):
    assert_staff_only(role_clients, "post", reverse(name, args=[applicant.pk]), {"reject-reason": "x"})
    assert Membership.objects.get(member=applicant).status == Status.APPLIED


def test_review_actions_accept_post_only(staff_client, applicant):
    response = staff_client.get(reverse("network:staff_membership_approve", args=[applicant.pk]))
    assert response.status_code == 405


# ---------------------------------------------------------------- landing page


def test_staff_home_counts_open_and_waiting_applications(staff_client, applicant):
    make_applicant(question="Which site?")
    make_applicant(question="Which site?", reply="Site 4")

    response = staff_client.get(reverse("network:staff_home"))

    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts["applications"], counts["awaiting_reply"], counts["replied"]) == (3, 1, 1)
    body = response.content.decode()
    assert "3 open applications" in body
    for name in (
        "staff_directory",
        "staff_imports",
        "staff_import_new",
        "staff_export",
        "staff_invite",
        "staff_pledges",
        "staff_means_test",
        "staff_applications",
    ):
        assert reverse(f"network:{name}") in body


# ---------------------------------------------------------------- the queue


def test_applications_lists_open_applications_oldest_first_with_information_state(staff_client, member):
    oldest, asked, replied = make_applicants(1) + [
        make_applicant(question="Which site?"),
        make_applicant(question="Which site?", reply="Site 4"),
    ]

    response = staff_client.get(reverse("network:staff_applications"))

    assert response.status_code == 200
    rows = list(response.context["page"])
    assert rows[0].member == oldest
    assert {row.member for row in rows} == {oldest, asked, replied}
    body = response.content.decode()
    assert member.full_name not in body  # active members are not in the queue
    assert "Asked, waiting for reply" in body
    assert "Applicant replied" in body


def test_applications_query_count_is_the_same_for_1_and_50_rows(staff_client, django_assert_max_num_queries):
    """Seven: session, user, the user's groups, the MFA check, the viewer's member record (menu),
    the paginator's count and one page of memberships joined with member, organisation, sector,
    chamber and sub-chamber."""
    make_applicants(1)
    with django_assert_max_num_queries(7) as one:
        staff_client.get(reverse("network:staff_applications"))
    make_applicants(49)
    with django_assert_max_num_queries(len(one)) as fifty:
        response = staff_client.get(reverse("network:staff_applications"))
    assert len(response.context["page"]) == 50
    assert len(fifty) == len(one)


# ---------------------------------------------------------------- one application


def test_member_detail_of_an_application_offers_the_review_actions(staff_client):
    applicant = make_applicant(question="Which site do you work?", reply="Site 4 near Tarkwa")

    response = staff_client.get(reverse("network:staff_member_detail", args=[applicant.pk]))

    body = response.content.decode()
    assert "Approve application" in body
    assert "Ask for information" in body
    assert "Reject" in body
    assert "Which site do you work?" in body
    assert "Site 4 near Tarkwa" in body
    assert "Change status" not in body


def test_staff_approve_an_application(
    staff_client, staff_user, applicant, django_capture_on_commit_callbacks
):
    url = reverse("network:staff_member_detail", args=[applicant.pk])
    assert staff_client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("network:staff_membership_approve", args=[applicant.pk]),
            {"approve-reason": "References checked"},
            follow=True,
        )

    assert response.redirect_chain[-1][0] == url
    assert "The application was approved" in " ".join(_messages(response))
    membership = Membership.objects.get(member=applicant)
    assert membership.status == Status.ACTIVE
    assert membership.status_reason == "References checked"
    assert membership.history.first().history_user == staff_user
    assert len(mail.outbox) == 1


def test_staff_approve_without_a_note_uses_the_default_reason(staff_client, applicant):
    staff_client.post(reverse("network:staff_membership_approve", args=[applicant.pk]), {})
    membership = Membership.objects.get(member=applicant)
    assert (membership.status, membership.status_reason) == (Status.ACTIVE, "Application approved")


def test_approving_twice_shows_an_error_and_changes_nothing(staff_client, member):
    history = member.membership.history.count()

    response = staff_client.post(
        reverse("network:staff_membership_approve", args=[member.pk]), {}, follow=True
    )

    assert "Only an application can be approved." in " ".join(_messages(response))
    assert member.membership.history.count() == history


def test_staff_reject_an_application_with_a_reason(
    staff_client, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("network:staff_membership_reject", args=[applicant.pk]),
            {"reject-reason": "Outside the scope of the network"},
            follow=True,
        )

    assert "rejected" in " ".join(_messages(response))
    membership = Membership.objects.get(member=applicant)
    assert (membership.status, membership.status_reason) == (
        Status.REJECTED,
        "Outside the scope of the network",
    )
    assert "Outside the scope of the network" in mail.outbox[0].body


def test_reject_without_a_reason_shows_the_error_beside_the_field_and_changes_nothing(
    staff_client, applicant
):
    response = staff_client.post(
        reverse("network:staff_membership_reject", args=[applicant.pk]), {"reject-reason": " "}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_reject-reason_error"' in body
    assert "This field is required." in body
    assert "Nothing was changed" in " ".join(_messages(response))
    assert Membership.objects.get(member=applicant).status == Status.APPLIED
    assert mail.outbox == []


def test_staff_ask_for_information(staff_client, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("network:staff_membership_request_information", args=[applicant.pk]),
            {"information-question": "Which mine site do you represent?"},
            follow=True,
        )

    assert "Your question was sent" in " ".join(_messages(response))
    membership = Membership.objects.get(member=applicant)
    assert membership.awaiting_reply
    assert membership.information_request == "Which mine site do you represent?"
    assert "Waiting for the applicant" in response.content.decode()
    assert "Which mine site do you represent?" in mail.outbox[0].body


def test_ask_for_information_without_a_question_changes_nothing(staff_client, applicant):
    response = staff_client.post(
        reverse("network:staff_membership_request_information", args=[applicant.pk]),
        {"information-question": ""},
    )
    assert 'id="id_information-question_error"' in response.content.decode()
    assert Membership.objects.get(member=applicant).information_request == ""


def test_review_actions_on_an_unknown_member_are_404(staff_client):
    for name in (
        "staff_membership_approve",
        "staff_membership_reject",
        "staff_membership_request_information",
    ):
        assert (
            staff_client.post(reverse(f"network:{name}", args=[999999]), {"reject-reason": "x"}).status_code
            == 404
        )
    assert staff_client.get(reverse("network:staff_member_detail", args=[999999])).status_code == 404


def test_script_typed_in_a_rejection_reason_is_shown_escaped(staff_client, applicant):
    staff_client.post(
        reverse("network:staff_membership_reject", args=[applicant.pk]),
        {"reject-reason": "<script>alert('x')</script>"},
    )

    body = staff_client.get(reverse("network:staff_member_detail", args=[applicant.pk])).content.decode()

    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
