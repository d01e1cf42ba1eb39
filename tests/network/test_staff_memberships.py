"""The member record page and its actions (status, term, fee tier), organisations, invitations, admin."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from casm.testing import log_in_with_second_factor
from network.models import FeeTier, Invitation, Member, Membership, User
from tests.network.factories import (
    CountryIncomeGroupFactory,
    MeansTestRuleFactory,
    MemberFactory,
    OrganisationFactory,
    PledgeFactory,
    SubChamberFactory,
    make_superuser,
)
from tests.network.staff_factories import assert_staff_only

Status = Membership.Status
pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _membership(member) -> Membership:
    return Membership.objects.get(member=member)


# ---------------------------------------------------------------- who may open the pages


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("network:staff_member_detail", "get", None),
        ("network:staff_membership_status", "post", {"status-status": "suspended", "status-reason": "x"}),
        (
            "network:staff_membership_term",
            "post",
            {"term-term_start": "2026-01-01", "term-term_end": "2027-01-01", "term-reason": "x"},
        ),
        ("network:staff_membership_fee_tier", "post", {}),
    ],
)
def test_member_pages_are_for_staff_with_mfa(role_clients, member, name, method, data):
    before = Membership.objects.filter(pk=member.membership.pk).values().get()

    assert_staff_only(role_clients, method, reverse(name, args=[member.pk]), data)

    assert Membership.objects.filter(pk=member.membership.pk).values().get() == before


def test_organisation_and_invite_pages_are_for_staff_with_mfa(role_clients, member, sector):
    assert_staff_only(
        role_clients, "get", reverse("network:staff_organisation_detail", args=[member.organisation_id])
    )
    assert_staff_only(role_clients, "get", reverse("network:staff_invite"))
    data = {"email": "new@example.org", "full_name": "New Person", "country": "GH", "sector": sector.pk}
    assert_staff_only(role_clients, "post", reverse("network:staff_invite"), data)
    assert not Member.objects.filter(email="new@example.org").exists()


# ---------------------------------------------------------------- the record page


def test_member_detail_shows_person_membership_pledges_and_history(staff_client, staff_user, sector):
    sub_chamber = SubChamberFactory(chamber=sector.chamber, name="West Africa")
    organisation = OrganisationFactory(name="Tarkwa Miners Cooperative (fictional)")
    member = MemberFactory(
        sector=sector, organisation=organisation, sub_chamber=sub_chamber, role="Treasurer"
    )
    rule = MeansTestRuleFactory(name="Cooperatives in low-income countries", tier=FeeTier.NO_FEE)
    Membership.objects.filter(member=member).update(fee_tier=FeeTier.NO_FEE, fee_rule=rule)
    old = PledgeFactory(kind="participation", version=1)
    PledgeFactory(kind="participation", version=2)
    member.affirmations.create(pledge=old)
    staff_client.post(
        reverse("network:staff_membership_status", args=[member.pk]),
        {"status-status": Status.SUSPENDED, "status-reason": "Fees unpaid for a year"},
    )

    response = staff_client.get(reverse("network:staff_member_detail", args=[member.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert member.full_name in body
    assert reverse("network:staff_organisation_detail", args=[organisation.pk]) in body
    for text in (
        sector.name,
        sector.chamber.name,
        "West Africa",
        "Treasurer",
        "Suspended",
        "Fees unpaid for a year",
    ):
        assert text in body
    assert "Cooperatives in low-income countries" in body
    assert "Participation commitment, version 1" in body  # affirmed
    assert response.context["pending_pledges"][0].version == 2  # to affirm again
    history = response.context["history"]
    assert {row["record"] for row in history} >= {"member", "membership", "organisation"}
    assert history[0]["user"] == staff_user
    assert history[0]["reason"] == "Fees unpaid for a year"
    assert staff_user.email in body
    assert "<strong>Reason for the last status change</strong>: — → Fees unpaid for a year" in body
    assert "Approve application" not in body


def test_status_form_offers_only_the_allowed_next_statuses(staff_client, member):
    response = staff_client.get(reverse("network:staff_member_detail", args=[member.pk]))
    choices = [value for value, _label in response.context["status_form"].fields["status"].choices]
    assert sorted(choices) == sorted([Status.LAPSED, Status.SUSPENDED, Status.LEFT])


# ---------------------------------------------------------------- status


def test_staff_change_a_members_status_with_a_reason(staff_client, staff_user, member):
    url = reverse("network:staff_member_detail", args=[member.pk])
    staff_client.get(url)

    response = staff_client.post(
        reverse("network:staff_membership_status", args=[member.pk]),
        {"status-status": Status.LEFT, "status-reason": "Resigned by letter"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url
    assert "The membership status was changed." in _messages(response)
    membership = _membership(member)
    assert (membership.status, membership.status_reason) == (Status.LEFT, "Resigned by letter")
    row = membership.history.first()
    assert (row.history_user, row.history_change_reason) == (staff_user, "Resigned by letter")


@pytest.mark.parametrize(
    "data",
    [
        {"status-status": Status.SUSPENDED, "status-reason": ""},  # no reason
        {"status-status": Status.APPLIED, "status-reason": "Why not"},  # illegal transition
        {"status-status": "deleted", "status-reason": "Why not"},  # not a status
    ],
)
def test_bad_status_changes_show_errors_and_change_nothing(staff_client, member, data):
    history = member.membership.history.count()

    response = staff_client.post(reverse("network:staff_membership_status", args=[member.pk]), data)

    assert response.status_code == 200
    assert "Nothing was changed" in " ".join(_messages(response))
    assert "errorlist" in response.content.decode()
    assert _membership(member).status == Status.ACTIVE
    assert member.membership.history.count() == history


def test_status_of_an_unknown_member_is_404(staff_client):
    response = staff_client.post(
        reverse("network:staff_membership_status", args=[424242]),
        {"status-status": Status.SUSPENDED, "status-reason": "x"},
    )
    assert response.status_code == 404


def test_status_html_in_the_reason_is_escaped(staff_client, member):
    staff_client.post(
        reverse("network:staff_membership_status", args=[member.pk]),
        {"status-status": Status.SUSPENDED, "status-reason": '<img src=x onerror="alert(1)">'},
    )
    body = staff_client.get(reverse("network:staff_member_detail", args=[member.pk])).content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body


# ---------------------------------------------------------------- term


def test_staff_set_a_members_term(staff_client, staff_user, member):
    response = staff_client.post(
        reverse("network:staff_membership_term", args=[member.pk]),
        {"term-term_start": "2026-01-01", "term-term_end": "2028-12-31", "term-reason": "Two-year fee paid"},
        follow=True,
    )

    assert "The membership term was changed." in _messages(response)
    membership = _membership(member)
    assert (membership.term_start, membership.term_end) == (
        datetime.date(2026, 1, 1),
        datetime.date(2028, 12, 31),
    )
    assert membership.history.first().history_change_reason == "Two-year fee paid"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"term-term_start": "2027-01-01", "term-term_end": "2026-01-01", "term-reason": "x"}, "term_end"),
        ({"term-term_start": "someday", "term-term_end": "2026-01-01", "term-reason": "x"}, "term_start"),
        ({"term-term_start": "2026-01-01", "term-term_end": "2027-01-01", "term-reason": ""}, "reason"),
    ],
)
def test_bad_terms_show_the_error_beside_the_field_and_change_nothing(staff_client, member, data, field):
    before = (member.membership.term_start, member.membership.term_end)

    response = staff_client.post(reverse("network:staff_membership_term", args=[member.pk]), data)

    assert f'id="id_term-{field}_error"' in response.content.decode()
    membership = _membership(member)
    assert (membership.term_start, membership.term_end) == before


# ---------------------------------------------------------------- fee tier


def test_staff_apply_the_means_test_to_one_member(staff_client, staff_user, member):
    CountryIncomeGroupFactory(country="GH", group="low")
    rule = MeansTestRuleFactory(name="Low income", income_group="low", tier=FeeTier.MEANS_TESTED)
    page = staff_client.get(reverse("network:staff_member_detail", args=[member.pk])).content.decode()
    assert "Apply the means test" in page

    response = staff_client.post(reverse("network:staff_membership_fee_tier", args=[member.pk]), follow=True)

    assert "The fee tier is now: Means-tested." in _messages(response)
    membership = _membership(member)
    assert (membership.fee_tier, membership.fee_rule) == (FeeTier.MEANS_TESTED, rule)
    assert membership.history.first().history_user == staff_user

    again = staff_client.post(reverse("network:staff_membership_fee_tier", args=[member.pk]), follow=True)
    assert "nothing changed" in " ".join(_messages(again))


def test_fee_tier_of_an_unknown_member_is_404(staff_client):
    assert staff_client.post(reverse("network:staff_membership_fee_tier", args=[424242])).status_code == 404


# ---------------------------------------------------------------- organisations


def test_organisation_detail_shows_facts_members_and_history(staff_client, sector):
    organisation = OrganisationFactory(
        name="Kivu Gold Traders (fictional)", country="CD", website="https://kivu.example"
    )
    first = MemberFactory(sector=sector, organisation=organisation)
    second = MemberFactory(sector=sector, organisation=organisation, status=Status.APPLIED)

    response = staff_client.get(reverse("network:staff_organisation_detail", args=[organisation.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Kivu Gold Traders (fictional)",
        "Congo",
        organisation.get_org_type_display(),
        "Applied",
        "Active",
    ):
        assert text in body
    assert reverse("network:staff_member_detail", args=[first.pk]) in body
    assert reverse("network:staff_member_detail", args=[second.pk]) in body
    assert response.context["history"][0]["type"] == "Created"


def test_organisation_detail_of_an_unknown_organisation_is_404(staff_client):
    assert staff_client.get(reverse("network:staff_organisation_detail", args=[424242])).status_code == 404


# ---------------------------------------------------------------- invitations


def test_staff_invite_someone_by_email(staff_client, staff_user, sector, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    assert staff_client.get(reverse("network:staff_invite")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("network:staff_invite"),
            {
                "email": "Amina@Example.org",
                "full_name": "Amina Mensah",
                "country": "GH",
                "sector": sector.pk,
                "organisation": organisation.pk,
                "role": "Coordinator",
                "languages": ["fr"],
            },
            follow=True,
        )

    member = Member.objects.get(email="amina@example.org")
    assert response.redirect_chain[-1][0] == reverse("network:staff_member_detail", args=[member.pk])
    assert "An invitation was sent to amina@example.org." in _messages(response)
    assert (member.full_name, member.organisation, member.role) == (
        "Amina Mensah",
        organisation,
        "Coordinator",
    )
    assert Invitation.objects.filter(member=member, invited_by=staff_user).exists()
    assert [message.to for message in mail.outbox] == [["amina@example.org"]]


def test_inviting_a_known_address_shows_the_error_and_creates_nothing(staff_client, member, sector):
    count = Member.objects.count()

    response = staff_client.post(
        reverse("network:staff_invite"),
        {"email": member.email, "full_name": "Someone", "country": "GH", "sector": sector.pk},
    )

    assert response.status_code == 200
    assert "already belongs to someone" in response.content.decode()
    assert Member.objects.count() == count
    assert mail.outbox == []


def test_invite_with_missing_fields_shows_errors_beside_them(staff_client):
    response = staff_client.post(reverse("network:staff_invite"), {"email": "not-an-address"})

    body = response.content.decode()
    for field in ("email", "full_name", "country", "sector"):
        assert f'id="id_{field}_error"' in body
    assert not Invitation.objects.exists()


# ---------------------------------------------------------------- Django admin


def test_admin_lists_the_network_and_governance_records_with_their_history(member, sector):
    client = Client()
    log_in_with_second_factor(client, make_superuser())
    models = [
        "network/user",
        "network/organisation",
        "network/countryincomegroup",
        "network/meanstestrule",
        "network/member",
        "network/membership",
        "network/pledge",
        "network/pledgeaffirmation",
        "network/invitation",
        "network/importjob",
        "network/chamber",
        "network/subchamber",
        "network/sector",
        "bodies/body",
        "bodies/seat",
    ]
    for model in models:
        assert client.get(f"/admin/{model}/").status_code == 200, model
    assert client.get(f"/admin/network/member/{member.pk}/change/").status_code == 200
    assert client.get(f"/admin/network/member/{member.pk}/history/").status_code == 200
    assert client.get(f"/admin/network/organisation/{member.organisation_id}/history/").status_code == 200
    assert client.get("/admin/network/user/add/").status_code == 200
    assert client.get("/admin/network/pledge/add/").status_code == 403


def test_admin_adds_a_user_by_email():
    client = Client()
    log_in_with_second_factor(client, make_superuser())

    client.post(
        "/admin/network/user/add/",
        {
            "email": "clerk@example.org",
            "usable_password": "true",
            "password1": "A-long-pass-phrase-42",
            "password2": "A-long-pass-phrase-42",
        },
    )

    assert User.objects.filter(email="clerk@example.org").exists()


def test_an_application_cannot_be_decided_through_the_status_form(staff_client, applicant):
    response = staff_client.post(
        reverse("network:staff_membership_status", args=[applicant.pk]),
        {"status-status": Status.ACTIVE, "status-reason": "Shortcut"},
    )

    assert "Nothing was changed" in " ".join(_messages(response))
    assert _membership(applicant).status == Status.APPLIED


def test_organisation_detail_query_count_is_the_same_for_1_and_50_members(
    staff_client, sector, django_assert_max_num_queries
):
    """Session, user, groups, MFA, the viewer's member record, the organisation, its history with
    users, and its members with membership, sector and chamber joined."""
    organisation = OrganisationFactory()
    MemberFactory(sector=sector, organisation=organisation)
    url = reverse("network:staff_organisation_detail", args=[organisation.pk])
    with django_assert_max_num_queries(8) as one:
        staff_client.get(url)
    MemberFactory.create_batch(49, sector=sector, organisation=organisation)
    with django_assert_max_num_queries(len(one)):
        response = staff_client.get(url)
    assert len(response.context["members"]) == 50
