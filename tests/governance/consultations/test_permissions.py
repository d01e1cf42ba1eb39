"""Views fetch consultations and what they hold through ``permissions.get_<entity>_or_404``: one place
decides 404 (you may not know it exists) against 403 (you know of it, but may not do this)."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from guardian.shortcuts import assign_perm

from casm import roles
from governance.consultations import permissions
from governance.consultations.permissions import (
    ANALYSE,
    ANALYSIS_PERMISSION,
    MANAGE,
    VIEW,
    get_consultation_or_404,
    get_option_or_404,
    get_section_or_404,
)
from tests.governance.consultations.factories import consultation_with_options
from tests.network.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee_user(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=roles.COMMITTEE))
    return user


def _outcome(user, slug, perm) -> str:
    try:
        get_consultation_or_404(user, slug, perm)
    except Http404:
        return "404"
    except PermissionDenied:
        return "403"
    return "ok"


def test_public_pages_exist_for_published_consultations_only_whoever_asks(staff_user, member):
    published = consultation_with_options(sections=1)
    draft = consultation_with_options(sections=1, is_published=False)

    for user in (member.user, staff_user):
        assert _outcome(user, published.slug, VIEW) == "ok"
        assert _outcome(user, draft.slug, VIEW) == "404"  # the secretariat uses the preview
    assert _outcome(member.user, "no-such-slug", VIEW) == "404"


def test_secretariat_manages_and_others_get_403_or_404_for_a_draft(staff_user, member):
    published = consultation_with_options(sections=1)
    draft = consultation_with_options(sections=1, is_published=False)

    assert _outcome(staff_user, draft.slug, MANAGE) == "ok"
    assert _outcome(member.user, published.slug, MANAGE) == "403"
    assert _outcome(member.user, draft.slug, MANAGE) == "404"


def test_analysis_of_a_draft_is_hidden_from_those_who_may_not_read_it(committee_user, member):
    published = consultation_with_options(sections=1)
    draft = consultation_with_options(sections=1, is_published=False)
    granted = UserFactory()
    assign_perm(ANALYSIS_PERMISSION, granted, draft)

    assert _outcome(committee_user, draft.slug, ANALYSE) == "ok"
    assert _outcome(granted, draft.slug, ANALYSE) == "ok"
    assert _outcome(member.user, published.slug, ANALYSE) == "403"
    assert _outcome(member.user, draft.slug, ANALYSE) == "404"


def test_sections_and_options_are_found_only_under_their_own_consultation(staff_user):
    one = consultation_with_options(sections=1)
    other = consultation_with_options(sections=1)
    section = one.sections.get()
    option = section.options.first()

    assert get_section_or_404(staff_user, section.pk, MANAGE, slug=one.slug) == section
    assert get_option_or_404(staff_user, option.pk, MANAGE, slug=one.slug) == option
    with pytest.raises(Http404):
        get_section_or_404(staff_user, section.pk, MANAGE, slug=other.slug)
    with pytest.raises(Http404):
        get_option_or_404(staff_user, option.pk, MANAGE, slug=other.slug)


def test_an_ordinary_member_gets_404_for_the_analysis_of_a_draft(member_client):
    draft = consultation_with_options(sections=1, is_published=False)

    page = member_client.get(reverse("consultations:consultation_analysis", args=[draft.slug]))

    assert page.status_code == 404


def test_the_public_pages_of_a_draft_are_404_even_for_the_secretariat(staff_client):
    draft = consultation_with_options(sections=1, is_published=False)

    assert staff_client.get(draft.get_absolute_url()).status_code == 404
    assert (
        staff_client.get(reverse("consultations:staff_consultation_preview", args=[draft.slug])).status_code
        == 200
    )


def test_rights_are_the_modules_can_functions(staff_user, member):
    consultation = consultation_with_options(sections=1)

    assert permissions.can_view_consultation(member.user, consultation)
    assert permissions.can_manage_consultation(staff_user, consultation)
    assert not permissions.can_manage_consultation(member.user, consultation)


# ---------------------------------------------------------------- a second factor to read responses

ANALYSIS_PAGES = [
    "consultation_analysis",
    "consultation_responses",
    "consultation_export",
    "consultation_general_comments",
    "consultation_report",
]


def _analysis_urls(consultation):
    urls = [reverse(f"consultations:{name}", args=[consultation.slug]) for name in ANALYSIS_PAGES]
    option = consultation.sections.first().options.first()
    urls.append(reverse("consultations:consultation_option_rationale", args=[consultation.slug, option.pk]))
    return urls


def test_committee_without_a_second_factor_is_sent_to_set_it_up(client, committee_user):
    from tests.governance.consultations.factories import submitted_response

    consultation = consultation_with_options(sections=1)
    response = submitted_response(consultation)
    client.force_login(committee_user)

    for url in [
        *_analysis_urls(consultation),
        reverse("consultations:consultation_response_detail", args=[consultation.slug, response.pk]),
    ]:
        page = client.get(url)
        assert page.status_code == 302, url
        assert page["Location"] == reverse("mfa_activate_totp")
    page = client.get(_analysis_urls(consultation)[0], follow=True)
    assert "set up two-factor authentication" in page.content.decode()


def test_an_object_permission_holder_without_a_second_factor_is_sent_to_set_it_up(client):
    consultation = consultation_with_options(sections=1)
    user = UserFactory()
    assign_perm(ANALYSIS_PERMISSION, user, consultation)
    client.force_login(user)

    page = client.get(reverse("consultations:consultation_export", args=[consultation.slug]))

    assert page.status_code == 302
    assert page["Location"] == reverse("mfa_activate_totp")


def test_committee_with_a_second_factor_reads_the_analysis(client, committee_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    consultation = consultation_with_options(sections=1)
    TOTP.activate(committee_user, generate_totp_secret())
    client.force_login(committee_user)

    for url in _analysis_urls(consultation):
        assert client.get(url).status_code == 200, url


def test_a_member_without_the_right_still_gets_403_not_an_invitation_to_set_up_mfa(client, member):
    consultation = consultation_with_options(sections=1)
    client.force_login(member.user)

    assert client.get(_analysis_urls(consultation)[0]).status_code == 403
