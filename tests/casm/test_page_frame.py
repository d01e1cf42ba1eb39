"""The page frame (base.html): each kind of viewer gets its own menu, in their language, with the
request's own CSRF token and address."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from casm import roles

HOME = reverse("network:home")


def _href(name):
    return f'href="{reverse(name)}"'


def _menus(role_clients):
    return {role: client.get(HOME).content.decode() for role, client in role_clients.items()}


@pytest.mark.django_db
def test_each_kind_of_viewer_gets_its_own_menu(role_clients):
    """Pages for the four kinds of viewer, in turn: each sees the links of its own role only."""
    pages = _menus(role_clients)
    expected = {
        "visitor": {"account_login", "network:join"},
        "applicant": {"network:me", "account_email"},
        "member": {"network:me", "network:directory", "account_email"},
        "staff": {"network:directory", "network:staff_home", "account_email"},
    }
    every_link = set().union(*expected.values())
    for role, links in expected.items():
        for name in every_link:
            assert (_href(name) in pages[role]) == (name in links), (role, name)
        assert ("Log out" in pages[role]) == (role != "visitor"), role


@pytest.mark.django_db
def test_each_page_carries_its_own_csrf_token(role_clients):
    pages = _menus(role_clients)
    tokens = {
        role: page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        for role, page in pages.items()
    }
    assert len(set(tokens.values())) == len(tokens)


@pytest.mark.django_db
def test_menu_follows_a_change_of_role_at_once(plain_user):
    client = Client()
    client.force_login(plain_user)
    assert _href("network:staff_home") not in client.get(HOME).content.decode()
    plain_user.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    assert _href("network:staff_home") in client.get(HOME).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, join, label",
    [
        ("en", "Join the network", "Language"),
        ("fr", "Rejoindre le réseau", "Langue"),
        ("es", "Unirse a la red", "Idioma"),
        ("pt", "Aderir à rede", "Idioma"),
    ],
)
def test_menu_and_language_form_follow_the_language_of_each_visitor(language, join, label):
    client = Client()
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(HOME).content.decode()
    assert f'<html lang="{language}">' in page
    assert join in page
    assert f'class="visually-hidden">{label}</label>' in page
    assert f'<option value="{language}" selected>' in page
    assert page.count(" selected>") == 1
    # Another visitor meanwhile still gets English.
    assert "Join the network" in Client().get(HOME).content.decode()


@pytest.mark.django_db
def test_language_form_returns_to_the_page_it_is_on():
    for url in (HOME, reverse("consultations:consultation_list")):
        page = Client().get(url).content.decode()
        assert f'name="next" type="hidden" value="{url}"' in page


@pytest.mark.django_db
def test_secretariat_menu_follows_the_language_of_the_staff_member(staff_client):
    staff_home = reverse("network:staff_home")
    page = staff_client.get(staff_home).content.decode()
    assert 'class="staff-nav"' in page and f"{_href('network:staff_directory')}>Members</a>" in page
    staff_client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = staff_client.get(staff_home).content.decode()
    assert f"{_href('network:staff_directory')}>Membres</a>" in page
