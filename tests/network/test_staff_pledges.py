"""Pledge versions: staff publish new texts and see who affirmed which version."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from network.models import Membership, Pledge, PledgeAffirmation
from network.services.pledges import pledge_publish, pledges_pending_for
from tests.network.factories import MemberFactory, PledgeFactory
from tests.network.staff_factories import assert_staff_only

Kind = Pledge.Kind
pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_pledge_pages_are_for_staff_with_mfa(role_clients):
    assert_staff_only(role_clients, "get", reverse("network:staff_pledges"))
    assert_staff_only(role_clients, "get", reverse("network:staff_pledge_publish"))
    data = {"kind": Kind.PARTICIPATION, "title": "T", "text": "Text"}
    assert_staff_only(role_clients, "post", reverse("network:staff_pledge_publish"), data)
    assert not Pledge.objects.exists()


def test_pledge_publish_numbers_versions_and_records_who(staff_user, pledges):
    pledge = pledge_publish(kind=Kind.PARTICIPATION, title=" V2 ", text=" New text ", actor=staff_user)

    assert (pledge.version, pledge.title, pledge.text, pledge.published_by) == (
        2,
        "V2",
        "New text",
        staff_user,
    )
    row = pledge.history.first()
    assert (row.history_user, row.history_change_reason) == (staff_user, "Published version 2")


def test_pledge_publish_refuses_non_staff_and_empty_texts(staff_user, member):
    with pytest.raises(PermissionDenied):
        pledge_publish(kind=Kind.PARTICIPATION, title="T", text="X", actor=member.user)
    with pytest.raises(ValidationError):
        pledge_publish(kind=Kind.PARTICIPATION, title="T", text="  ", actor=staff_user)
    assert not Pledge.objects.exists()


def test_staff_publish_a_new_version_and_members_must_affirm_again(staff_client, staff_user, member, pledges):
    PledgeAffirmation.objects.create(member=member, pledge=pledges["participation"])
    assert pledges_pending_for(member) == []
    assert staff_client.get(reverse("network:staff_pledge_publish")).status_code == 200

    response = staff_client.post(
        reverse("network:staff_pledge_publish"),
        {
            "kind": Kind.PARTICIPATION,
            "title": "Participation 2027",
            "text": "We will take part in good faith.",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("network:staff_pledges")
    assert "Version 2 of “Participation commitment” is published" in " ".join(_messages(response))
    new = Pledge.objects.get(kind=Kind.PARTICIPATION, version=2)
    assert new.published_by == staff_user
    assert pledges_pending_for(member) == [new]
    body = response.content.decode()
    assert "must affirm again" in body
    assert staff_user.email in body


def test_bad_pledge_input_shows_errors_and_publishes_nothing(staff_client):
    response = staff_client.post(
        reverse("network:staff_pledge_publish"), {"kind": "gossip", "title": "", "text": ""}
    )

    body = response.content.decode()
    for field in ("kind", "title", "text"):
        assert f'id="id_{field}_error"' in body
    assert not Pledge.objects.exists()


def test_pledge_list_shows_versions_counts_and_who_affirmed_which(
    staff_client, staff_user, sector, mining_sector
):
    v1 = PledgeFactory(kind=Kind.PARTICIPATION, version=1, title="Participation 2026")
    v2 = PledgeFactory(
        kind=Kind.PARTICIPATION, version=2, title="Participation 2027", published_by=staff_user
    )
    PledgeFactory(kind=Kind.RESPONSIBLE_MINING, version=1)
    current = MemberFactory(sector=sector, full_name="Ama Current")
    behind = MemberFactory(sector=sector, full_name="Bo Behind")
    never = MemberFactory(sector=mining_sector, full_name="Cy Never")
    left = MemberFactory(sector=sector, full_name="Di Left", status=Membership.Status.LEFT)
    PledgeAffirmation.objects.create(member=current, pledge=v1)
    PledgeAffirmation.objects.create(member=current, pledge=v2)
    PledgeAffirmation.objects.create(member=behind, pledge=v1)
    PledgeAffirmation.objects.create(member=left, pledge=v2)

    response = staff_client.get(reverse("network:staff_pledges"))

    assert response.status_code == 200
    participation, mining = response.context["kinds"]
    assert participation["current"] == v2
    assert [p.version for p in participation["versions"]] == [2, 1]
    assert (participation["bound_count"], participation["affirmed_count"]) == (3, 1)
    rows = {m.full_name: m.affirmed_version for m in participation["page"]}
    assert rows == {"Ama Current": 2, "Bo Behind": 1, "Cy Never": None}
    assert (mining["bound_count"], mining["affirmed_count"]) == (1, 0)
    assert [m.full_name for m in mining["page"]] == ["Cy Never"]
    body = response.content.decode()
    assert "Version 2 is in force: 1 of 3 members" in body
    assert "Participation 2027" in body and "Participation 2026" in body
    assert "Di Left" not in body
    assert never.full_name in body


def test_pledge_list_query_count_is_the_same_for_1_and_50_members(
    staff_client, sector, pledges, django_assert_max_num_queries
):
    """Session, user, groups, MFA, the viewer's member record, the pledges with their publishers,
    then per kind (two kinds): members bound (the paginator's count), how many affirmed the version
    in force, and one page of members with organisation, membership and newest version affirmed."""
    first = MemberFactory(sector=sector)
    PledgeAffirmation.objects.create(member=first, pledge=pledges["participation"])
    with django_assert_max_num_queries(12) as one:
        staff_client.get(reverse("network:staff_pledges"))
    for member in MemberFactory.create_batch(49, sector=sector):
        PledgeAffirmation.objects.create(member=member, pledge=pledges["participation"])
    with django_assert_max_num_queries(len(one)):
        response = staff_client.get(reverse("network:staff_pledges"))
    assert len(response.context["kinds"][0]["page"]) == 50


def test_pledge_list_paginates_each_kind(staff_client, sector, pledges, settings):
    settings.MEMBERS_PAGE_SIZE = 2
    MemberFactory.create_batch(3, sector=sector)

    response = staff_client.get(reverse("network:staff_pledges"), {"participation_page": 2})

    page = response.context["kinds"][0]["page"]
    assert (page.number, len(page)) == (2, 1)
    assert "?participation_page=1" in response.content.decode()


def test_pledge_title_with_html_is_escaped(staff_client, staff_user):
    PledgeFactory(kind=Kind.PARTICIPATION, version=1, title="<b>bold</b> pledge")
    body = staff_client.get(reverse("network:staff_pledges")).content.decode()
    assert "<b>bold</b>" not in body
    assert "&lt;b&gt;bold&lt;/b&gt; pledge" in body


def test_staff_publish_a_pledge_written_in_portuguese(staff_client, member, pledges):
    response = staff_client.post(
        reverse("network:staff_pledge_publish"),
        {
            "kind": Kind.PARTICIPATION,
            "title": "Compromisso de participação",
            "text": "Participaremos de boa-fé.",
            "content_language": "pt",
            "translation-en-title": "Participation commitment",
            "translation-en-text": "We will take part in good faith.",
        },
    )

    assert response.status_code == 302
    new = Pledge.objects.get(kind=Kind.PARTICIPATION, version=2)
    assert new.content_language == "pt"
    assert new.translations == {
        "en": {"title": "Participation commitment", "text": "We will take part in good faith."}
    }
    assert new.localized("text", "en").text == "We will take part in good faith."
    assert new.localized("text", "fr").language == "pt"
