import pytest
from django.core.cache import cache
from django.urls import reverse

from network.models import Membership
from tests.network.factories import MemberFactory, SectorFactory


@pytest.mark.django_db
def test_home_shows_mission_and_active_members_by_chamber_and_country(client):
    sector = SectorFactory(name="Civil society", chamber__name="Civil society chamber")
    MemberFactory(sector=sector, country="GH")
    MemberFactory(sector=sector, country="GH")
    MemberFactory(sector=sector, country="PE")
    MemberFactory(sector=sector, country="PE", status=Membership.Status.APPLIED)

    response = client.get(reverse("network:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "multi-stakeholder organization" in html
    assert "Civil society chamber" in html
    assert "3 active members" in html
    assert "Ghana" in html and "Peru" in html
    assert reverse("network:join") in html


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_members(client, django_assert_max_num_queries):
    """Queries: chambers, their sectors, the grouped count of active members."""
    sector = SectorFactory()
    MemberFactory(sector=sector)
    with django_assert_max_num_queries(3) as one:
        client.get(reverse("network:home"))
    for i in range(50):
        MemberFactory(sector=sector, country=["GH", "PE", "CD", "TZ", "MN"][i % 5])
    cache.clear()  # the figures are cached for a minute; count the queries of a fresh computation
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("network:home"))


@pytest.mark.django_db
def test_healthz_reports_database_cache_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}


@pytest.mark.django_db
def test_language_switcher_changes_the_language(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Rejoindre le réseau" in html  # translated through the compiled catalogue


@pytest.mark.django_db
def test_admin_login_goes_through_allauth_so_mfa_applies(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_home_figures_are_cached_briefly(client, django_assert_num_queries):
    SectorFactory()
    client.get(reverse("network:home"))
    with django_assert_num_queries(0):
        assert client.get(reverse("network:home")).status_code == 200


@pytest.mark.django_db
def test_the_cached_menu_differs_by_kind_of_viewer(role_clients):
    """The menu is rendered once per language and kind of viewer; each kind still gets its own."""
    pages = {
        role: client.get(reverse("network:home")).content.decode() for role, client in role_clients.items()
    }

    assert reverse("account_login") in pages["visitor"] and reverse("network:me") not in pages["visitor"]
    assert reverse("network:me") in pages["applicant"]
    assert reverse("network:directory") not in pages["applicant"]  # not active yet
    assert reverse("network:directory") in pages["member"]
    assert reverse("network:staff_home") not in pages["member"]
    assert reverse("network:staff_home") in pages["staff"]
    assert reverse("network:me") not in pages["staff"]  # staff have no member record
