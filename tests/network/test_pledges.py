"""A member's own pages: my membership, pledges to affirm, profile, the reply to the secretariat."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from network.models import Membership, Pledge, PledgeAffirmation
from network.services.pledges import pledge_affirmations_for, pledge_publish, pledges_pending_for
from network.services.profile import member_update_profile
from tests.network.factories import MemberFactory, PledgeFactory

MEMBER_PAGES = ["network:me", "network:pledges", "network:profile_edit"]


# ---------------------------------------------------------------- access


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*MEMBER_PAGES, "network:reply_information"])
def test_visitor_is_sent_to_log_in(client, name):
    url = reverse(name)
    response = client.post(url) if name == "network:reply_information" else client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_account_without_member_record_is_refused(client, plain_user, name):
    client.force_login(plain_user)

    assert client.get(reverse(name)).status_code == 403


@pytest.mark.django_db
def test_account_without_member_record_cannot_reply(client, plain_user):
    client.force_login(plain_user)

    assert client.post(reverse("network:reply_information"), {"reply": "x"}).status_code == 403


# ---------------------------------------------------------------- my membership


@pytest.mark.django_db
def test_me_shows_status_term_fee_tier_and_pending_pledges(member_client, member, pledges):
    html = member_client.get(reverse("network:me")).content.decode()

    assert 'class="badge active"' in html
    assert "Active" in html
    assert "Standard" in html
    assert member.membership.term_end.strftime("%Y") in html
    assert reverse("network:pledges") in html
    assert "1 commitment is waiting" in html or "One commitment is waiting" in html
    assert reverse("network:profile_edit") in html


@pytest.mark.django_db
def test_me_lists_affirmed_versions(member_client, member, pledges):
    PledgeAffirmation.objects.create(member=member, pledge=pledges["participation"])

    response = member_client.get(reverse("network:me"))

    assert response.context["pending_pledges"] == []
    assert pledges["participation"].title in response.content.decode()


@pytest.mark.django_db
def test_me_query_count_does_not_grow_with_affirmations(member_client, member, django_assert_num_queries):
    """Queries: the account with its role flags, member record and membership (the session comes
    from the cache), member with its joins, pledges in force, pending affirmations, affirmed
    versions with their pledges; the panels other apps register (consultations: one; bodies' surveys:
    one; slates' nominations: one; slates' endorsement windows: one)."""
    PledgeAffirmation.objects.create(member=member, pledge=PledgeFactory(version=1))
    with django_assert_num_queries(9) as one:
        member_client.get(reverse("network:me"))
    for version in range(2, 40):
        PledgeAffirmation.objects.create(member=member, pledge=PledgeFactory(version=version))
    with django_assert_num_queries(len(one.captured_queries)):
        member_client.get(reverse("network:me"))


# ---------------------------------------------------------------- pledges


@pytest.mark.django_db
def test_pledge_page_shows_texts_in_force_and_affirming_records_them(member_client, member, pledges):
    page = member_client.get(reverse("network:pledges"))
    assert pledges["participation"].text in page.content.decode()
    assert page.context["pending"] == [pledges["participation"]]  # not a miners' sector

    response = member_client.post(reverse("network:pledges"), {f"affirm_{pledges['participation'].pk}": "on"})

    assert response.status_code == 302
    assert response.url == reverse("network:me")
    assert list(member.affirmations.values_list("pledge", flat=True)) == [pledges["participation"].pk]
    assert pledges_pending_for(member) == []


@pytest.mark.django_db
def test_miners_affirm_both_commitments(client, mining_sector, pledges):
    miner = MemberFactory(sector=mining_sector)
    client.force_login(miner.user)
    data = {f"affirm_{pledge.pk}": "on" for pledge in pledges.values()}

    client.post(reverse("network:pledges"), data)

    assert miner.affirmations.count() == 2


@pytest.mark.django_db
def test_pledges_not_ticked_are_refused_and_nothing_is_recorded(client, mining_sector, pledges):
    miner = MemberFactory(sector=mining_sector)
    client.force_login(miner.user)

    response = client.post(reverse("network:pledges"), {f"affirm_{pledges['participation'].pk}": "on"})

    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    assert miner.affirmations.count() == 0


@pytest.mark.django_db
def test_a_new_version_asks_members_to_affirm_again(member_client, member, pledges, staff_user):
    PledgeAffirmation.objects.create(member=member, pledge=pledges["participation"])
    new = pledge_publish(
        kind=Pledge.Kind.PARTICIPATION, title="Participation v2", text="New text", actor=staff_user
    )

    stale = member_client.post(reverse("network:pledges"), {f"affirm_{pledges['participation'].pk}": "on"})
    assert member.affirmations.count() == 1  # the old version's box does not affirm the new text
    assert "New text" in stale.content.decode()

    member_client.post(reverse("network:pledges"), {f"affirm_{new.pk}": "on"})
    assert set(member.affirmations.values_list("pledge__version", flat=True)) == {1, 2}


@pytest.mark.django_db
def test_nothing_to_affirm_says_so(member_client, member, pledges):
    PledgeAffirmation.objects.create(member=member, pledge=pledges["participation"])

    page = member_client.get(reverse("network:pledges"))
    posted = member_client.post(reverse("network:pledges"), {})

    assert "You have affirmed every commitment" in page.content.decode()
    assert posted.status_code == 200
    assert member.affirmations.count() == 1


@pytest.mark.django_db
def test_pledge_text_is_escaped(member_client, member):
    PledgeFactory(title="<i>Title</i>", text="<script>alert('x')</script>", version=1)

    html = member_client.get(reverse("network:pledges")).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "&lt;i&gt;Title&lt;/i&gt;" in html


@pytest.mark.django_db
def test_login_sends_members_with_pending_pledges_to_the_pledge_page(client, member, pledges):
    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": "correct horse battery staple"}
    )

    assert response.status_code == 302
    assert response.url == reverse("network:pledges")


@pytest.mark.django_db
def test_login_without_pending_pledges_goes_to_my_membership(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": "correct horse battery staple"}
    )

    assert response.url == reverse("network:me")


@pytest.mark.django_db
def test_pledge_affirmations_for_lists_versions_in_one_query(member, pledges, django_assert_num_queries):
    PledgeAffirmation.objects.create(member=member, pledge=pledges["participation"])
    with django_assert_num_queries(1):
        rows = [(a.pledge.kind, a.pledge.version) for a in pledge_affirmations_for(member)]
    assert rows == [("participation", 1)]


# ---------------------------------------------------------------- the secretariat's question


@pytest.mark.django_db
def test_applicant_reads_the_question_and_replies(client, applicant):
    Membership.objects.filter(member=applicant).update(information_request="<b>Which mine?</b>")
    client.force_login(applicant.user)

    page = client.get(reverse("network:me")).content.decode()
    response = client.post(reverse("network:reply_information"), {"reply": "The Tarkwa pit"})

    assert "&lt;b&gt;Which mine?&lt;/b&gt;" in page
    assert 'name="reply"' in page
    assert response.status_code == 302
    membership = Membership.objects.get(member=applicant)
    assert membership.information_reply == "The Tarkwa pit"
    assert membership.history.first().history_change_reason == "Applicant replied"
    assert "The Tarkwa pit" in client.get(reverse("network:me")).content.decode()


@pytest.mark.django_db
def test_empty_reply_is_refused(client, applicant):
    Membership.objects.filter(member=applicant).update(information_request="Which mine?")
    client.force_login(applicant.user)

    response = client.post(reverse("network:reply_information"), {"reply": "  "})

    assert response.status_code == 200
    assert "Write your reply" in response.content.decode()
    assert Membership.objects.get(member=applicant).information_reply == ""


@pytest.mark.django_db
def test_reply_without_an_open_question_is_refused(member_client, member):
    response = member_client.post(reverse("network:reply_information"), {"reply": "Hello"}, follow=True)

    assert "There is no open question" in response.content.decode()
    assert Membership.objects.get(member=member).information_reply == ""


@pytest.mark.django_db
def test_reply_needs_post(member_client):
    assert member_client.get(reverse("network:reply_information")).status_code == 405


# ---------------------------------------------------------------- profile


@pytest.mark.django_db
def test_member_edits_their_profile(member_client, member):
    page = member_client.get(reverse("network:profile_edit"))
    assert page.context["form"].initial["languages"] == ["en"]

    response = member_client.post(
        reverse("network:profile_edit"),
        {"languages": ["pt", "fr"], "role": "<em>Chair</em>", "preferred_language": "pt"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.languages == ["fr", "pt"]
    assert member.role == "<em>Chair</em>"
    assert member.listed_in_directory is False
    assert member.user.preferred_language == "pt"
    assert member.history.first().history_change_reason == "Profile updated by the member"
    assert member.history.first().history_user == member.user
    html = member_client.get(reverse("network:me")).content.decode()
    assert "&lt;em&gt;Chair&lt;/em&gt;" in html


@pytest.mark.django_db
def test_bad_profile_input_changes_nothing(member_client, member):
    response = member_client.post(
        reverse("network:profile_edit"), {"languages": ["xx"], "role": "r" * 300, "preferred_language": "en"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "languages" in errors and "role" in errors
    member.refresh_from_db()
    assert member.languages == ["en"] and member.role == ""


@pytest.mark.django_db
def test_member_update_profile_is_for_oneself_only(member):
    other = MemberFactory()
    with pytest.raises(PermissionDenied):
        member_update_profile(member=member, actor=other.user, languages=["en"])


@pytest.mark.django_db
def test_member_update_profile_refuses_unknown_languages(member):
    with pytest.raises(ValidationError):
        member_update_profile(member=member, actor=member.user, languages=["klingon"])
    member.refresh_from_db()
    assert member.languages == ["en"]


@pytest.mark.django_db
def test_member_update_profile_without_change_leaves_no_history(member):
    before = member.history.count()
    member_update_profile(
        member=member, actor=member.user, languages=["en"], role="", listed_in_directory=True
    )
    assert member.history.count() == before


@pytest.mark.django_db
def test_pledge_page_query_count_does_not_grow_with_affirmations(
    member_client, member, django_assert_num_queries
):
    """Queries: the account with its role flags, member record and membership (the session comes
    from the cache), member with its joins, pledges in force, pending affirmations, affirmed
    versions with their pledges."""
    PledgeFactory(version=1)
    with django_assert_num_queries(5):
        member_client.get(reverse("network:pledges"))
    for version in range(2, 40):
        PledgeAffirmation.objects.create(member=member, pledge=PledgeFactory(version=version))
    PledgeFactory(version=40)
    with django_assert_num_queries(5):
        member_client.get(reverse("network:pledges"))


@pytest.mark.django_db
@pytest.mark.parametrize("status", Membership.Status.values)
def test_the_login_redirect_and_the_staff_counts_use_the_same_pledge_bound_statuses(
    client, sector, pledges, status
):
    """Which statuses must affirm the pledges is defined once (Membership.PLEDGE_BOUND_STATUSES): the
    login redirect and the staff's affirmation counts agree for every status."""
    from network.selectors import members_bound_by_pledge

    member = MemberFactory(sector=sector, status=status)
    bound = status in Membership.PLEDGE_BOUND_STATUSES

    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": "correct horse battery staple"}
    )

    assert Membership.objects.get(member=member).bound_by_pledges is bound
    assert (response.url == reverse("network:pledges")) is bound
    assert members_bound_by_pledge(Pledge.Kind.PARTICIPATION).filter(pk=member.pk).exists() is bound
    assert set(Membership.PLEDGE_BOUND_STATUSES) == {Membership.Status.APPLIED, Membership.Status.ACTIVE}


@pytest.mark.django_db
def test_affirm_without_ticking_says_what_is_missing_at_the_top_and_beside_the_box(
    client, mining_sector, pledges
):
    miner = MemberFactory(sector=mining_sector)
    client.force_login(miner.user)

    response = client.post(reverse("network:pledges"), {})

    html = response.content.decode()
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Nothing was recorded: tick the box under each commitment to affirm it."
    ]
    assert html.index('class="messages"') < html.index("pledge-text")
    assert html.count("Tick the box to affirm this commitment.") == 2
    assert "novalidate" in html  # the browser submits, so the server's explanation is shown
    assert miner.affirmations.count() == 0


# ---------------------------------------------------------------- where each role lands after logging in


def _log_in_with_the_form(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": "correct horse battery staple"})


@pytest.mark.django_db
def test_staff_land_on_the_staff_home_after_the_login_form_and_their_second_factor(client, staff_user):
    from casm.testing import totp_code

    first = _log_in_with_the_form(client, staff_user.email)
    assert first.url == reverse("mfa_authenticate")

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(staff_user)})

    assert response.status_code == 302
    assert response.url == reverse("network:staff_home")
    assert client.get(response.url).status_code == 200


@pytest.mark.django_db
def test_an_account_without_member_record_lands_on_the_home_page(client, plain_user):
    response = _log_in_with_the_form(client, plain_user.email)

    assert response.url == reverse("network:home")
    assert client.get(response.url).status_code == 200


@pytest.mark.django_db
def test_a_member_lands_on_their_membership_page(client, member):
    response = _log_in_with_the_form(client, member.user.email)

    assert response.url == reverse("network:me")
    assert client.get(response.url).status_code == 200


@pytest.mark.django_db
def test_next_still_wins_over_the_role_home(client, member):
    response = client.post(
        reverse("account_login") + "?next=" + reverse("network:profile_edit"),
        {"login": member.user.email, "password": "correct horse battery staple"},
    )

    assert response.url == reverse("network:profile_edit")


@pytest.mark.django_db
def test_pledge_text_wrapped_by_its_editor_reads_as_one_paragraph(client, mining_sector):
    PledgeFactory(kind=Pledge.Kind.PARTICIPATION, version=1, text="I join the network to work\nwith miners.")
    miner = MemberFactory(sector=mining_sector)
    client.force_login(miner.user)

    html = client.get(reverse("network:pledges")).content.decode()

    assert "<p>I join the network to work with miners.</p>" in html
