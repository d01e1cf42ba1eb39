"""A logged-in member reads pages in their saved language, unless they chose another in the switcher."""

import pytest
from django.urls import reverse

from tests.network.factories import UserFactory


def _client_logged_in(client, language):
    user = UserFactory(preferred_language=language)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_saved_language_wins_over_the_browsers(client):
    _client_logged_in(client, "fr")

    response = client.get(reverse("network:home"), HTTP_ACCEPT_LANGUAGE="es")

    assert response["Content-Language"] == "fr"
    assert '<html lang="fr"' in response.content.decode()


@pytest.mark.django_db
def test_the_switcher_wins_over_the_saved_language(client):
    _client_logged_in(client, "fr")

    client.post(reverse("set_language"), {"language": "pt", "next": "/"})
    response = client.get(reverse("network:home"))

    assert response["Content-Language"] == "pt"


@pytest.mark.django_db
def test_a_visitor_reads_the_browsers_language(client):
    response = client.get(reverse("network:home"), HTTP_ACCEPT_LANGUAGE="es")

    assert response["Content-Language"] == "es"
