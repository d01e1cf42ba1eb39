"""The member directories: the secretariat's (every member, filtered) and the members' (those listed)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from casm import roles
from network import selectors
from network.models import FeeTier, Member, Membership, Organisation, Pledge, PledgeAffirmation
from tests.network.factories import (
    ChamberFactory,
    MemberFactory,
    OrganisationFactory,
    PledgeFactory,
    SectorFactory,
    SubChamberFactory,
    UserFactory,
)

STAFF_DIRECTORY = reverse("network:staff_directory")
DIRECTORY = reverse("network:directory")
Status = Membership.Status


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _names(queryset):
    return {member.full_name for member in queryset}


def _page_names(response):
    return {member.full_name for member in response.context["page"]}


@pytest.fixture
def people(db):
    """Three members who differ in every filtered attribute, and the two sub-chambers, sectors…"""
    north = ChamberFactory(code="north-chamber", name="Chamber North")
    south = ChamberFactory(code="south-chamber", name="Chamber South")
    ngo_sector = SectorFactory(code="ngos", name="NGOs", chamber=north)
    company_sector = SectorFactory(code="companies", name="Companies", chamber=south)
    miners = SectorFactory(code="asm", name="Miners", chamber=south, requires_mining_pledge=True)
    sub = SubChamberFactory(chamber=north, name="Anglophone")
    alice = MemberFactory(
        full_name="Alice Ampofo",
        email="alice@ngo.example.org",
        user=None,
        sector=ngo_sector,
        sub_chamber=sub,
        country="GH",
        organisation=OrganisationFactory(name="Green Rivers", org_type=Organisation.Type.ADVOCACY_NGO),
        status=Status.ACTIVE,
        status__fee_tier=FeeTier.STANDARD,
    )
    bruno = MemberFactory(
        full_name="Bruno Quispe",
        email="bq@andes.example.org",
        user=None,
        sector=company_sector,
        country="PE",
        organisation=OrganisationFactory(
            name="Andes Metals", org_type=Organisation.Type.LSM_COMPANY, country="PE"
        ),
        status=Status.LAPSED,
        status__fee_tier=FeeTier.NO_FEE,
    )
    chidi = MemberFactory(
        full_name="Chidi Mbuyi",
        email="chidi@coop.example.org",
        user=None,
        sector=miners,
        country="CD",
        organisation=OrganisationFactory(
            name="Kivu Diggers", org_type=Organisation.Type.MINERS_GROUP, country="CD"
        ),
        status=Status.APPLIED,
        status__fee_tier=FeeTier.MEANS_TESTED,
    )
    return {
        "alice": alice, "bruno": bruno, "chidi": chidi, "north": north, "south": south,
        "companies": company_sector, "sub": sub,
    }  # fmt: skip


# ---------------------------------------------------------------- filters of the staff directory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "param, value, expected",
    [
        ("chamber", "north", {"Alice Ampofo"}),
        ("chamber", "south", {"Bruno Quispe", "Chidi Mbuyi"}),
        ("sector", "companies", {"Bruno Quispe"}),
        ("sub_chamber", "sub", {"Alice Ampofo"}),
        ("country", "PE", {"Bruno Quispe"}),
        ("org_type", Organisation.Type.MINERS_GROUP, {"Chidi Mbuyi"}),
        ("status", Status.LAPSED, {"Bruno Quispe"}),
        ("status", Status.APPLIED, {"Chidi Mbuyi"}),
        ("fee_tier", FeeTier.MEANS_TESTED, {"Chidi Mbuyi"}),
        ("fee_tier", FeeTier.NO_FEE, {"Bruno Quispe"}),
    ],
)
def test_member_filter_narrows_by_each_attribute(people, param, value, expected):
    if param in ("chamber", "sector", "sub_chamber"):
        value = people[value].pk

    members = selectors.member_list_for_staff(filters={param: str(value)})

    assert _names(members) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q, expected",
    [
        ("alice", {"Alice Ampofo"}),  # name, any case
        ("QUISPE", {"Bruno Quispe"}),
        ("coop.example", {"Chidi Mbuyi"}),  # email
        ("rivers", {"Alice Ampofo"}),  # organisation name
        ("  kivu ", {"Chidi Mbuyi"}),  # spaces around are ignored
        ("nobody-like-this", set()),
    ],
)
def test_member_filter_searches_name_email_and_organisation(people, q, expected):
    assert _names(selectors.member_list_for_staff(filters={"q": q})) == expected


@pytest.mark.django_db
def test_member_filter_combines_filters(people):
    members = selectors.member_list_for_staff(filters={"chamber": str(people["south"].pk), "country": "CD"})

    assert _names(members) == {"Chidi Mbuyi"}


@pytest.mark.django_db
def test_member_filter_ignores_a_parameter_that_does_not_validate(people):
    members = selectors.member_list_for_staff(filters={"sector": "999999", "country": "GH"})

    assert _names(members) == {"Alice Ampofo"}


@pytest.mark.django_db
def test_pledge_filter_needs_the_versions_in_force_that_apply_to_the_member(people, pledges):
    alice, bruno, chidi = people["alice"], people["bruno"], people["chidi"]
    # Alice affirmed participation (all she needs); Chidi, a miner, only participation so far.
    PledgeAffirmation.objects.create(member=alice, pledge=pledges["participation"])
    PledgeAffirmation.objects.create(member=chidi, pledge=pledges["participation"])

    affirmed = selectors.member_list_for_staff(filters={"pledge_affirmed": "yes"})
    pending = selectors.member_list_for_staff(filters={"pledge_affirmed": "no"})

    assert _names(affirmed) == {"Alice Ampofo"}
    assert _names(pending) == {"Bruno Quispe", "Chidi Mbuyi"}

    PledgeAffirmation.objects.create(member=chidi, pledge=pledges["responsible_mining"])

    assert _names(selectors.member_list_for_staff(filters={"pledge_affirmed": "yes"})) == {
        "Alice Ampofo",
        "Chidi Mbuyi",
    }
    assert {m.full_name: m.pledges_affirmed for m in selectors.member_list_for_staff()} == {
        "Alice Ampofo": True,
        "Bruno Quispe": False,
        "Chidi Mbuyi": True,
    }
    assert bruno.full_name in _names(selectors.member_list_for_staff(filters={"pledge_affirmed": "no"}))


@pytest.mark.django_db
def test_pledge_filter_counts_an_affirmation_of_an_old_version_as_not_affirmed(people, pledges):
    alice = people["alice"]
    PledgeAffirmation.objects.create(member=alice, pledge=pledges["participation"])
    assert "Alice Ampofo" in _names(selectors.member_list_for_staff(filters={"pledge_affirmed": "yes"}))

    # The secretariat publishes version 2: Alice affirmed only version 1.
    PledgeFactory(kind=Pledge.Kind.PARTICIPATION, version=2)

    assert "Alice Ampofo" not in _names(selectors.member_list_for_staff(filters={"pledge_affirmed": "yes"}))
    assert "Alice Ampofo" in _names(selectors.member_list_for_staff(filters={"pledge_affirmed": "no"}))


@pytest.mark.django_db
def test_pledge_filter_asks_nothing_of_a_kind_never_published(people):
    """With no version in force there is nothing to affirm (as ``pledges_pending_for`` says)."""
    PledgeFactory(kind=Pledge.Kind.PARTICIPATION, version=1)
    PledgeAffirmation.objects.create(member=people["chidi"], pledge=Pledge.objects.get())

    assert _names(selectors.member_list_for_staff(filters={"pledge_affirmed": "yes"})) == {"Chidi Mbuyi"}


@pytest.mark.django_db
def test_pledge_filter_agrees_with_the_pledge_service(people, pledges):
    from network.services.pledges import pledges_pending_for

    PledgeAffirmation.objects.create(member=people["alice"], pledge=pledges["participation"])
    PledgeAffirmation.objects.create(member=people["chidi"], pledge=pledges["responsible_mining"])

    for member in selectors.member_list_for_staff():
        assert member.pledges_affirmed == (not pledges_pending_for(member)), member.full_name


@pytest.mark.django_db
def test_member_filter_works_without_a_queryset_as_the_csv_export_uses_it(people):
    from django.http import QueryDict

    from network.filters import MemberFilter

    member_filter = MemberFilter(QueryDict("country=PE&status=lapsed"))

    assert _names(member_filter.qs) == {"Bruno Quispe"}
    assert member_filter.qs.get().pledges_affirmed is True  # nothing published, nothing owed


@pytest.mark.django_db
def test_member_filter_offers_the_countries_members_come_from(people):
    from network.filters import MemberFilter

    choices = dict(MemberFilter().form.fields["country"].choices)

    assert {"GH", "PE", "CD"} <= set(choices) and "FR" not in choices
    assert choices["PE"] == "Peru"


@pytest.mark.django_db
def test_member_list_is_by_name_whatever_the_case(people):
    MemberFactory(full_name="aaron lowercase", user=None)

    names = [member.full_name for member in selectors.member_list_for_staff()]

    assert names == ["aaron lowercase", "Alice Ampofo", "Bruno Quispe", "Chidi Mbuyi"]


# ---------------------------------------------------------------- the staff directory page


@pytest.mark.django_db
def test_staff_directory_shows_each_member_with_status_fee_tier_and_pledges(people, pledges, staff_client):
    PledgeAffirmation.objects.create(member=people["alice"], pledge=pledges["participation"])

    response = staff_client.get(STAFF_DIRECTORY, {"chamber": people["north"].pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert _page_names(response) == {"Alice Ampofo"}
    assert reverse("network:staff_member_detail", args=[people["alice"].pk]) in html
    assert "Green Rivers" in html and "Ghana" in html
    assert "NGOs / Chamber North / Anglophone" in html
    assert 'class="badge active"' in html
    assert "Standard" in html
    assert "Affirmed" in html
    assert "1 member found." in html


@pytest.mark.django_db
def test_staff_directory_filter_form_is_labelled_and_keeps_its_values(people, pledges, staff_client):
    response = staff_client.get(STAFF_DIRECTORY, {"q": "kivu", "pledge_affirmed": "no"})

    html = response.content.decode()
    assert _page_names(response) == {"Chidi Mbuyi"}
    for name in ("q", "chamber", "sector", "sub_chamber", "country", "org_type", "status", "fee_tier",
                 "pledge_affirmed"):  # fmt: skip
        assert f'<label for="id_{name}"' in html, name
    assert 'value="kivu"' in html
    assert '<option value="no" selected>' in html
    assert '<th scope="col">' in html


@pytest.mark.django_db
def test_staff_directory_shows_the_error_of_a_bad_parameter_and_still_answers(people, staff_client):
    response = staff_client.get(STAFF_DIRECTORY, {"status": "nonsense"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_staff_directory_pages_keep_the_filters(staff_client, settings):
    settings.MEMBERS_PAGE_SIZE = 2
    for i in range(5):
        MemberFactory(full_name=f"Ghanaian {i}", country="GH")
    MemberFactory(full_name="Peruvian", country="PE")

    first = staff_client.get(STAFF_DIRECTORY, {"country": "GH"})
    html = first.content.decode()
    assert first.context["page"].paginator.count == 5
    assert 'href="?country=GH&amp;page=2"' in html

    second = staff_client.get(STAFF_DIRECTORY, {"country": "GH", "page": "2"})
    third = staff_client.get(STAFF_DIRECTORY, {"country": "GH", "page": "3"})
    assert _page_names(second) == {"Ghanaian 2", "Ghanaian 3"}
    assert _page_names(third) == {"Ghanaian 4"}
    assert 'href="?country=GH&amp;page=2"' in third.content.decode()  # "Previous" keeps them too
    assert 'href="?country=GH&amp;page=1"' in second.content.decode()


@pytest.mark.django_db
def test_staff_directory_links_the_csv_export_with_the_same_filters(people, staff_client):
    response = staff_client.get(STAFF_DIRECTORY, {"country": "PE", "status": "lapsed", "page": "1"})

    export = reverse("network:staff_export")
    assert f'href="{export}?country=PE&amp;status=lapsed"' in response.content.decode()


@pytest.mark.django_db
def test_staff_directory_escapes_markup_in_names(staff_client):
    MemberFactory(full_name="<script>alert('x')</script>", organisation__name="<b>Bold</b> Org")

    html = staff_client.get(STAFF_DIRECTORY).content.decode()

    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; Org" in html


# ---------------------------------------------------------------- the members' directory


@pytest.mark.django_db
def test_members_directory_lists_only_active_members_who_chose_to_be_listed(member_client, member, sector):
    listed = MemberFactory(
        full_name="Listed Active", sector=sector, role="Coordinator", languages=["fr", "pt"]
    )
    MemberFactory(full_name="Unlisted Active", sector=sector, listed_in_directory=False)
    for status in (Status.APPLIED, Status.LAPSED, Status.SUSPENDED, Status.LEFT, Status.REJECTED):
        MemberFactory(full_name=f"Listed {status}", sector=sector, status=status)

    response = member_client.get(DIRECTORY)

    html = response.content.decode()
    assert response.status_code == 200
    assert _page_names(response) == {member.full_name, "Listed Active"}
    assert "Coordinator" in html and "French, Portuguese" in html
    assert listed.organisation.name in html and "Ghana" in html


@pytest.mark.django_db
def test_members_directory_never_shows_email_addresses(member_client, member, sector):
    other = MemberFactory(sector=sector, email="private.person@example.net")

    response = member_client.get(DIRECTORY)

    html = response.content.decode()
    assert other.full_name in html
    assert "private.person@example.net" not in html
    assert member.email not in html and "@" not in html.split("<main", 1)[1]


@pytest.mark.django_db
def test_members_directory_search_does_not_match_email_addresses(member_client, sector):
    MemberFactory(full_name="Dora Search", sector=sector, email="secret-handle@example.net")

    assert _page_names(member_client.get(DIRECTORY, {"q": "secret-handle"})) == set()
    assert _page_names(member_client.get(DIRECTORY, {"q": "dora"})) == {"Dora Search"}


@pytest.mark.django_db
def test_members_directory_filters_by_chamber_and_country(member_client, sector):
    other_sector = SectorFactory(code="other", name="Other sector")
    MemberFactory(full_name="In Peru", sector=sector, country="PE")
    MemberFactory(full_name="Other Chamber", sector=other_sector, country="GH")

    assert _page_names(member_client.get(DIRECTORY, {"country": "PE"})) == {"In Peru"}
    by_chamber = member_client.get(DIRECTORY, {"chamber": other_sector.chamber_id})
    assert _page_names(by_chamber) == {"Other Chamber"}
    assert '<label for="id_q"' in by_chamber.content.decode()


@pytest.mark.django_db
def test_members_directory_pages_keep_the_filters(member_client, sector, settings):
    settings.MEMBERS_PAGE_SIZE = 1
    MemberFactory(full_name="Peru A", sector=sector, country="PE")
    MemberFactory(full_name="Peru B", sector=sector, country="PE")

    first = member_client.get(DIRECTORY, {"country": "PE"})
    second = member_client.get(DIRECTORY, {"country": "PE", "page": 2})

    assert 'href="?country=PE&amp;page=2"' in first.content.decode()
    assert _page_names(first) | _page_names(second) == {"Peru A", "Peru B"}


@pytest.mark.django_db
def test_members_directory_escapes_markup_in_names(member_client, sector):
    MemberFactory(full_name="<img src=x onerror=alert(1)>", sector=sector, role="<i>r</i>")

    html = member_client.get(DIRECTORY).content.decode()

    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<i>r</i>" not in html


@pytest.mark.django_db
def test_member_directory_selector_refuses_those_who_may_not_see_it(applicant):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        selectors.member_directory_for(user=applicant.user)


# ---------------------------------------------------------------- who may open the directories


@pytest.mark.django_db
@pytest.mark.parametrize("url", [DIRECTORY, STAFF_DIRECTORY])
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("url", [DIRECTORY, STAFF_DIRECTORY])
def test_applicants_and_accounts_without_a_member_record_are_refused(applicant, plain_user, url):
    assert _client(applicant.user).get(url).status_code == 403
    assert _client(plain_user).get(url).status_code == 403


@pytest.mark.django_db
def test_active_members_see_the_members_directory_but_not_the_staff_one(member_client):
    assert member_client.get(DIRECTORY).status_code == 200
    assert member_client.get(STAFF_DIRECTORY).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.LAPSED, Status.SUSPENDED, Status.LEFT])
def test_members_who_are_not_active_are_refused_the_directory(status, sector):
    former = MemberFactory(sector=sector, status=status)

    assert _client(former.user).get(DIRECTORY).status_code == 403


@pytest.mark.django_db
def test_staff_see_both_directories(staff_client):
    assert staff_client.get(DIRECTORY).status_code == 200
    assert staff_client.get(STAFF_DIRECTORY).status_code == 200


@pytest.mark.django_db
def test_staff_without_mfa_are_sent_to_set_it_up(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=roles.SECRETARIAT))

    response = _client(user).get(STAFF_DIRECTORY)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_directories_answer_get_only(staff_client):
    assert staff_client.post(STAFF_DIRECTORY).status_code == 405
    assert staff_client.post(DIRECTORY).status_code == 405


# ---------------------------------------------------------------- queries do not grow with members


def _more_members(n):
    chambers = [ChamberFactory(), ChamberFactory()]
    sectors = [
        SectorFactory(chamber=chambers[0]),
        SectorFactory(chamber=chambers[1], requires_mining_pledge=True),
    ]
    for i in range(n):
        MemberFactory(
            sector=sectors[i % 2],
            sub_chamber=SubChamberFactory(chamber=chambers[i % 2]) if i % 5 == 0 else None,
            country=["GH", "PE", "CD", "TZ", "MN"][i % 5],
            organisation=OrganisationFactory() if i % 7 else None,
            status=[Status.ACTIVE, Status.APPLIED, Status.LAPSED][i % 3],
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", [{}, {"q": "a", "country": "GH", "pledge_affirmed": "no", "status": "active"}]
)
def test_staff_directory_queries_do_not_grow_with_members(
    staff_client, pledges, settings, django_assert_max_num_queries, params
):
    """Queries: the account with its member record, role and MFA flags (the session comes from the
    cache); options of the chamber, sector and sub-chamber selects and the countries members come
    from; the paginator's count; the pledge versions in force (once more when filtering by them);
    one page of members with everything joined and the pledge state computed in the same query —
    9 at most, with 1 member as with 51.
    """
    settings.MEMBERS_PAGE_SIZE = 50
    MemberFactory()
    with django_assert_max_num_queries(9) as one:
        assert staff_client.get(STAFF_DIRECTORY, params).status_code == 200
    _more_members(50)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = staff_client.get(STAFF_DIRECTORY, params)
    assert len(response.context["page"]) > 1


@pytest.mark.django_db
def test_members_directory_queries_do_not_grow_with_members(
    member_client, member, settings, django_assert_max_num_queries
):
    """Queries: the account with the viewer's member record and membership (the access check; the
    session comes from the cache); the chamber select's options and the countries of the listed
    members; the paginator's count; one page of members with everything joined — 5 in all, with
    1 listed member as with more than 10.
    """
    settings.MEMBERS_PAGE_SIZE = 50
    with django_assert_max_num_queries(5) as one:
        assert member_client.get(DIRECTORY).status_code == 200
    _more_members(50)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = member_client.get(DIRECTORY)
    assert len(response.context["page"]) > 10


@pytest.mark.django_db
def test_staff_directory_shows_a_change_at_once(staff_client, staff_user, applicant):
    from network.services.membership import membership_approve

    assert 'class="badge applied"' in staff_client.get(STAFF_DIRECTORY).content.decode()

    membership_approve(membership=applicant.membership, actor=staff_user)

    html = staff_client.get(STAFF_DIRECTORY).content.decode()
    assert 'class="badge applied"' not in html
    assert 'class="badge active"' in html


@pytest.mark.django_db
def test_staff_directory_shows_a_bulk_change_at_once(staff_client, member):
    """Bulk writes (imports, the means test) send no signals; the next page shows them all the same."""
    assert member.full_name in staff_client.get(STAFF_DIRECTORY).content.decode()
    Member.objects.filter(pk=member.pk).update(full_name="Renamed In Bulk")
    html = staff_client.get(STAFF_DIRECTORY).content.decode()
    assert "Renamed In Bulk" in html and member.full_name not in html


@pytest.mark.django_db
def test_members_directory_shows_an_edited_member_at_once(member_client, sector):
    listed = MemberFactory(full_name="Before Edit", sector=sector, listed_in_directory=True)
    assert "Before Edit" in member_client.get(DIRECTORY).content.decode()
    listed.full_name = "After Edit"
    listed.save()
    html = member_client.get(DIRECTORY).content.decode()
    assert "After Edit" in html and "Before Edit" not in html


@pytest.mark.django_db
def test_staff_directory_filter_form_keeps_each_request_s_choices_when_served_from_the_fragment_cache(
    people, staff_client
):
    """The filter form is a cached fragment: one per path, filters and language, never a stale choice."""
    chosen = staff_client.get("/staff/members/?country=PE").content.decode()
    plain = staff_client.get("/staff/members/").content.decode()
    chosen_again = staff_client.get("/staff/members/?country=PE").content.decode()

    assert '<option value="PE" selected>' in chosen
    assert '<option value="PE" selected>' not in plain
    assert chosen_again.count('<option value="PE" selected>') == 1
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"  # chosen in the switcher
    french = staff_client.get("/staff/members/").content.decode()
    assert '<html lang="fr">' in french and french != plain


@pytest.mark.django_db
def test_staff_directory_counts_and_pages_members_without_the_joins_of_its_rows(people, staff_client):
    """Session, account, country options, the count (no join), one page of rows with everything joined."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        staff_client.get("/staff/members/")

    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert counts and all("JOIN" not in sql for sql in counts)
