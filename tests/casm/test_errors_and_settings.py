"""Error pages in the site's frame and language, the favicon, and settings that protect production."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings

from network.models import Membership
from tests.network.factories import MemberFactory


@pytest.mark.django_db
def test_forbidden_page_is_in_the_site_frame_with_a_way_back(member_client):
    response = member_client.get("/staff/")

    assert response.status_code == 403
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert "You may not open this page" in page
    assert 'href="/"' in page


@pytest.mark.django_db
def test_forbidden_page_speaks_the_viewers_language(member):
    member.user.preferred_language = "fr"  # their saved language wins over the browser's
    member.user.save(update_fields=["preferred_language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(member.user)

    page = client.get("/staff/").content.decode()

    assert '<html lang="fr">' in page


@pytest.mark.django_db
def test_unknown_address_gets_the_styled_404_with_links(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert "Page not found" in page
    assert 'href="/consultations/"' in page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.casm.error_urls")
def test_server_error_page_is_in_the_site_frame():
    client = Client(raise_request_exception=False)
    member = MemberFactory(status=Membership.Status.ACTIVE)
    client.force_login(member.user)

    response = client.get("/broken/")

    assert response.status_code == 500
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert "Something went wrong on our side" in page
    assert "RuntimeError" not in page


@pytest.mark.django_db
def test_favicon_request_gets_the_icon_not_an_error(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("casm/favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()


def _production_settings_with(secret_key: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SECRET_KEY": secret_key, "DJANGO_SETTINGS_MODULE": "casm.settings.production"}
    code = "import django; django.setup()"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=django_settings.BASE_DIR, capture_output=True, text=True
    )


def test_production_refuses_a_short_secret_key():
    result = _production_settings_with("x")

    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_starts_with_a_long_secret_key():
    assert _production_settings_with("k" * 20 + "-Zq9" * 10).returncode == 0


def test_the_trusted_proxy_count_is_a_setting():
    assert int(os.environ.get("TRUSTED_PROXY_COUNT", "0")) == django_settings.ALLAUTH_TRUSTED_PROXY_COUNT


def test_sqlite_takes_the_write_lock_at_the_start_and_waits_for_other_writers(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    env["DJANGO_SETTINGS_MODULE"] = "casm.settings.local"
    code = (
        "import django; django.setup(); from django.db import connection; connection.ensure_connection();"
        "print(connection.transaction_mode);"
        "print(connection.cursor().execute('PRAGMA journal_mode').fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=django_settings.BASE_DIR, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["IMMEDIATE", "wal"]
