"""Proposed options in the committee's analysis: near-identical proposals grouped, with a count."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casm import roles
from casm.testing import need
from governance.consultations.models import ProposedOption
from governance.consultations.selectors import analysis as selectors_analysis
from tests.governance.consultations.factories import consultation_with_options, submitted_response
from tests.network.factories import ChamberFactory, MemberFactory, SectorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _propose(consultation, title, *, section="first", sector=None, description="Why and how."):
    sections = list(consultation.sections.order_by("order"))
    target = {"first": sections[0], "second": sections[1], None: None}[section]
    response = submitted_response(consultation, MemberFactory(sector=sector) if sector else None)
    return ProposedOption.objects.create(
        response=response, section=target, title=title, description=description
    )


def _groups(consultation, **kwargs):
    return [
        (group.section.title if group.section else None, group.title, group.count)
        for group in selectors_analysis.proposed_option_groups(consultation, **kwargs)
    ]


@pytest.fixture
def consultation():
    return consultation_with_options(sections=2, options=2, slug="proposals")


def test_proposals_worded_alike_are_one_group_with_a_count(consultation):
    for title in ["Regional hubs", "regional hub", "Regional  Hubs.", "Regional hubs"]:
        _propose(consultation, title)
    _propose(consultation, "Mercury-free gold fast track")

    groups = selectors_analysis.proposed_option_groups(consultation)

    assert [(g.title, g.count) for g in groups] == [
        ("Regional hubs", 4),  # the wording most used
        ("Mercury-free gold fast track", 1),
    ]
    assert {item.title for item in groups[0].proposals} == {
        "Regional hubs",
        "regional hub",
        "Regional  Hubs.",
    }


def test_normalised_title_irons_out_case_punctuation_spaces_and_plural_s():
    key = selectors_analysis.proposal_title_key

    assert key("Regional Hubs.") == key("regional hub") == key("  regional   hubs ") == "regional hub"
    assert key("Miners' chamber") == key("Miners chamber")
    assert key("Regional hubs") != key("Regional funds")


def test_groups_stay_within_their_section_and_the_whole_paper_comes_last(consultation):
    _propose(consultation, "Regional hubs", section=None)
    _propose(consultation, "Regional hubs", section="second")
    _propose(consultation, "Regional hubs", section="first")
    _propose(consultation, "Donor committee", section="first")
    _propose(consultation, "Donor committee", section="first")

    assert _groups(consultation) == [
        ("Section 1", "Donor committee", 2),
        ("Section 1", "Regional hubs", 1),
        ("Section 2", "Regional hubs", 1),
        (None, "Regional hubs", 1),
    ]


def test_grouping_follows_the_filters(consultation):
    one, two = ChamberFactory(), ChamberFactory()
    in_one, in_two = SectorFactory(chamber=one), SectorFactory(chamber=two)
    _propose(consultation, "Regional hubs", sector=in_one)
    _propose(consultation, "Regional hub", sector=in_two)
    _propose(consultation, "regional hubs", sector=in_two)

    assert _groups(consultation, filters={"chamber": two}) == [("Section 1", "Regional hub", 2)]
    assert _groups(consultation) == [("Section 1", "Regional hubs", 3)]  # the first proposed


DISTINCT = [
    "Mercury-free gold fast track",
    "Women in artisanal mining",
    "Translate tools into Swahili",
    "Donor committee",
    "Miners' veto on standards",
    "Conflict resolution desk",
    "Youth apprenticeships",
    "Cooperative bank accounts",
    "Annual public scorecard",
    "Land tenure clinic",
]


def test_grouping_is_two_queries_with_one_proposal_or_many(consultation):
    """Whatever the number of proposals: their ids, sections and titles; then the rows of the groups
    with their section and respondent (on PostgreSQL, one more for the similar titles, see below)."""
    _propose(consultation, "Regional hubs")
    with CaptureQueriesContext(connection) as one:
        selectors_analysis.proposed_option_groups(consultation)
    for n in range(30):
        _propose(consultation, ["Regional hubs", DISTINCT[n // 3], "regional hub."][n % 3])
    with CaptureQueriesContext(connection) as many:
        groups = selectors_analysis.proposed_option_groups(consultation)
        shown = [
            (g.title, [(p.response.member.full_name, p.section.title) for p in g.proposals]) for g in groups
        ]

    similar = 1 if connection.vendor == "postgresql" else 0
    assert len(one.captured_queries) == len(many.captured_queries) == 2 + similar
    assert len(shown) == 1 + 10


def _committee_client():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=roles.COMMITTEE))
    TOTP.activate(user, generate_totp_secret())  # reading individual responses needs a second factor
    client = Client()
    client.force_login(user)
    return client


def test_analysis_page_shows_each_group_expandable_to_its_proposals(consultation):
    for title in ["Regional hubs", "Regional hub", "regional hubs"]:
        _propose(consultation, title, description=f"Description of {title}")
    _propose(consultation, "Women in ASM")

    html = _committee_client().get(reverse("consultations:consultation_analysis", args=[consultation.slug]))
    html = html.content.decode()

    assert 'Proposed new options <span class="muted">(4)</span>' in html
    assert "are grouped: 2 groups." in html
    assert html.count('<li class="proposal-group"><details>') == 2
    assert '<summary><strong>Regional hubs</strong> <span class="count">3 proposals</span>' in html
    assert '<summary><strong>Women in ASM</strong> <span class="count">1 proposal</span>' in html
    assert "Description of Regional hub<" in html and "Description of regional hubs" in html
    assert "<script" not in html.split('id="proposed-heading"')[1].split("general-heading")[0]


def test_analysis_page_shows_the_newest_five_of_a_large_group_and_points_to_the_report(consultation):
    for n in range(7):
        _propose(consultation, "Regional hubs", description=f"Reason number {n}")

    html = _committee_client().get(reverse("consultations:consultation_analysis", args=[consultation.slug]))
    html = html.content.decode()

    assert '<span class="count">7 proposals</span>' in html
    assert sum(f"Reason number {n}<" in html for n in range(7)) == 5
    assert "Reason number 6<" in html and "Reason number 0<" not in html  # the newest first
    assert "And 2 more like these" in html
    report = reverse("consultations:consultation_report", args=[consultation.slug])
    assert f'href="{report}#proposed-heading"' in html


def test_report_shows_the_groups_open_for_print(consultation):
    _propose(consultation, "Regional hubs")
    _propose(consultation, "Regional hubs.")

    page = _committee_client().get(reverse("consultations:consultation_report", args=[consultation.slug]))

    html = page.content.decode()
    assert '<li class="proposal-group"><details open>' in html
    assert '<span class="count">2 proposals</span>' in html


@pytest.mark.postgres
def test_trigram_similarity_groups_proposals_worded_differently_on_postgresql(consultation):
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    for title in ["Regional hubs", "Regional CASM hubs", "Regioanl hubs"]:  # one typo
        _propose(consultation, title)
    _propose(consultation, "Regional funds")
    _propose(consultation, "Regional CASM hubs", section="second")

    groups = _groups(consultation)

    assert groups == [
        ("Section 1", "Regional hubs", 3),
        ("Section 1", "Regional funds", 1),
        ("Section 2", "Regional CASM hubs", 1),
    ]


@pytest.mark.postgres
def test_trigram_grouping_is_three_queries_on_postgresql_then_two_from_the_cache(consultation):
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    _propose(consultation, "Regional hubs")
    with CaptureQueriesContext(connection) as one:
        selectors_analysis.proposed_option_groups(consultation)
    for n in range(20):
        _propose(consultation, ["Regional CASM hubs", f"Separate idea number {n}"][n % 2])
    with CaptureQueriesContext(connection) as many:
        groups = selectors_analysis.proposed_option_groups(consultation)
    with CaptureQueriesContext(connection) as again:
        selectors_analysis.proposed_option_groups(consultation)
    _propose(consultation, "Regional CASM hubs")  # a new proposal: a new set of ids, grouped anew
    with CaptureQueriesContext(connection) as after_one_more:
        regrouped = selectors_analysis.proposed_option_groups(consultation)

    assert len(one.captured_queries) == len(many.captured_queries) == 3
    assert groups[0].count == 11
    assert len(again.captured_queries) == 2  # the similar titles of the same proposals: from the cache
    assert len(after_one_more.captured_queries) == 3 and regrouped[0].count == 12
