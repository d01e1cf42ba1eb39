"""Members edit their own name, country and languages; a change of organisation is a request the
secretariat approves (the fee tier follows) or declines, all in the member's history."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from network.models import FeeTier, Organisation, OrganisationChangeRequest
from network.services.organisation_requests import organisation_change_approve, organisation_change_decline
from network.services.profile import organisation_change_request
from tests.network.factories import MeansTestRuleFactory, MemberFactory, OrganisationFactory

PROFILE = reverse("network:profile_edit")
ASK = reverse("network:organisation_change")


def _request_url(name, change):
    return reverse(f"network:staff_organisation_request{name}", args=[change.pk])


@pytest.fixture
def miners_coop(db):
    return OrganisationFactory(
        name="Kibali Miners Co-op", org_type=Organisation.Type.MINERS_GROUP, size=Organisation.Size.MICRO
    )


@pytest.fixture
def no_fee_for_miners(db):
    return MeansTestRuleFactory(
        name="Miners' groups", org_type=Organisation.Type.MINERS_GROUP, tier=FeeTier.NO_FEE
    )


# ---------------------------------------------------------------- the member's own profile


@pytest.mark.django_db
def test_member_edits_their_name_country_and_languages(member_client, member):
    response = member_client.post(
        PROFILE,
        {
            "full_name": "  Ama   Serwaa Mensah ",
            "country": "TZ",
            "languages": ["fr", "en"],
            "role": "",
            "preferred_language": "en",
        },
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.country.code, member.languages) == (
        "Ama Serwaa Mensah",
        "TZ",
        ["en", "fr"],
    )
    row = member.history.first()
    assert row.history_user == member.user and row.history_change_reason == "Profile updated by the member"


@pytest.mark.django_db
def test_a_blank_name_is_refused_and_changes_nothing(member_client, member):
    before = member.full_name

    response = member_client.post(
        PROFILE, {"full_name": " ", "country": "GH", "languages": ["en"], "preferred_language": "en"}
    )

    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    member.refresh_from_db()
    assert member.full_name == before


@pytest.mark.django_db
def test_the_profile_form_offers_no_organisation_field(member_client):
    form = member_client.get(PROFILE).context["form"]

    assert "organisation" not in form.fields
    assert {"full_name", "country", "languages"} <= set(form.fields)


# ---------------------------------------------------------------- asking


@pytest.mark.django_db
def test_asking_for_another_organisation_creates_a_request_and_changes_nothing_yet(
    member_client, member, miners_coop, no_fee_for_miners
):
    before = member.organisation_id

    response = member_client.post(ASK, {"organisation": miners_coop.pk, "note": "I moved to the co-op."})

    assert response.status_code == 302
    change = OrganisationChangeRequest.objects.get()
    assert (change.member, change.organisation, change.status) == (member, miners_coop, "pending")
    assert change.previous_organisation_id == before
    member.refresh_from_db()
    assert member.organisation_id == before
    assert member.membership.fee_tier == FeeTier.STANDARD
    assert change.history.get().history_user == member.user
    assert "Kibali Miners Co-op" in member_client.get(PROFILE).content.decode()


@pytest.mark.django_db
def test_asking_for_a_new_organisation_needs_its_name_type_country_and_size(member_client):
    incomplete = member_client.post(ASK, {"new_name": "Lake Miners"})
    nothing = member_client.post(ASK, {"note": ""})

    assert incomplete.status_code == 200
    assert {"new_org_type", "new_country", "new_size"} <= set(incomplete.context["form"].errors)
    assert nothing.context["form"].non_field_errors()
    assert not OrganisationChangeRequest.objects.exists()


@pytest.mark.django_db
def test_one_request_waits_at_a_time(member, miners_coop):
    organisation_change_request(member=member, actor=member.user, organisation=miners_coop)

    with pytest.raises(ValidationError):
        organisation_change_request(member=member, actor=member.user, organisation=OrganisationFactory())
    assert OrganisationChangeRequest.objects.count() == 1


@pytest.mark.django_db
def test_nobody_asks_on_another_members_behalf(member, miners_coop):
    other = MemberFactory()

    with pytest.raises(PermissionDenied):
        organisation_change_request(member=member, actor=other.user, organisation=miners_coop)
    assert not OrganisationChangeRequest.objects.exists()


# ---------------------------------------------------------------- the secretariat decides


@pytest.mark.django_db
def test_staff_approve_and_the_organisation_and_fee_tier_change_with_history(
    staff_client, staff_user, member, miners_coop, no_fee_for_miners, django_capture_on_commit_callbacks
):
    change = organisation_change_request(member=member, actor=member.user, organisation=miners_coop)
    page = staff_client.get(_request_url("", change))
    assert page.status_code == 200
    assert "No fee" in page.content.decode()  # the tier the change would give

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_request_url("_approve", change), {"approve-reason": "Confirmed."})

    assert response.status_code == 302
    member.refresh_from_db()
    member.membership.refresh_from_db()
    change.refresh_from_db()
    assert member.organisation == miners_coop
    assert member.membership.fee_tier == FeeTier.NO_FEE
    assert (change.status, change.decided_by, change.decision_reason) == (
        "approved",
        staff_user,
        "Confirmed.",
    )
    assert member.history.first().history_change_reason == "Organisation changed: request approved"
    assert member.history.first().history_user == staff_user
    assert member.membership.history.first().history_change_reason.startswith("Means test applied")
    assert change.history.first().history_change_reason == "Approved by the secretariat"
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "Kibali Miners Co-op" in mail.outbox[0].body
    record = staff_client.get(reverse("network:staff_member_detail", args=[member.pk])).content.decode()
    assert "Approved by the secretariat" in record and "Organisation changed: request approved" in record


@pytest.mark.django_db
def test_approving_a_new_organisation_creates_it(staff_user, member):
    change = organisation_change_request(
        member=member,
        actor=member.user,
        new_name="Lake Victoria Miners",
        new_org_type=Organisation.Type.MINERS_GROUP,
        new_country="TZ",
        new_size=Organisation.Size.MICRO,
    )

    organisation_change_approve(change=change, actor=staff_user)

    member.refresh_from_db()
    assert member.organisation.name == "Lake Victoria Miners"
    assert member.organisation.country.code == "TZ"


@pytest.mark.django_db
def test_staff_decline_with_a_reason_and_nothing_else_changes(
    staff_client, staff_user, member, miners_coop, django_capture_on_commit_callbacks
):
    before = member.organisation_id
    change = organisation_change_request(member=member, actor=member.user, organisation=miners_coop)

    without_reason = staff_client.post(_request_url("_decline", change), {"decline-reason": ""})
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            _request_url("_decline", change), {"decline-reason": "Not a member there."}
        )

    assert without_reason.status_code == 200
    assert response.status_code == 302
    change.refresh_from_db()
    member.refresh_from_db()
    assert (change.status, change.decision_reason) == ("declined", "Not a member there.")
    assert member.organisation_id == before
    assert len(mail.outbox) == 1 and "Not a member there." in mail.outbox[0].body
    with pytest.raises(ValidationError):
        organisation_change_approve(change=change, actor=staff_user)  # decided once


@pytest.mark.django_db
def test_another_member_or_a_visitor_cannot_see_or_act_on_a_request(client, member, miners_coop):
    change = organisation_change_request(member=member, actor=member.user, organisation=miners_coop)
    other = MemberFactory()
    client.force_login(other.user)

    for name in ("", "_approve", "_decline"):
        method = client.get if name == "" else client.post
        assert (
            method(_request_url(name, change), {"approve-reason": "x", "decline-reason": "x"}).status_code
            == 403
        )
    assert "Kibali Miners Co-op" not in client.get(PROFILE).content.decode()
    client.logout()
    for name in ("", "_approve", "_decline"):
        response = (
            client.get(_request_url(name, change)) if name == "" else client.post(_request_url(name, change))
        )
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    change.refresh_from_db()
    assert change.status == "pending"


@pytest.mark.django_db
def test_a_member_cannot_approve_even_their_own_request(member, miners_coop):
    change = organisation_change_request(member=member, actor=member.user, organisation=miners_coop)

    with pytest.raises(PermissionDenied):
        organisation_change_approve(change=change, actor=member.user)
    with pytest.raises(PermissionDenied):
        organisation_change_decline(change=change, actor=member.user, reason="no")
    member.refresh_from_db()
    assert member.organisation != miners_coop
