"""Shared fixtures: one user per role, a real SMTP sink, headless Chromium."""

import os

import pytest
from django.test import Client

from casm.testing import CHROMIUM, CHROMIUM_ARGS, chromium_available, need, start_smtp_sink
from network.models import Membership
from tests.network.factories import MemberFactory, PledgeFactory, SectorFactory, UserFactory, make_staff


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and caches (the shared one and the fragments') start empty in every test."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in English: a request through LocaleMiddleware leaves its language active."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Celery tasks run in this process, as on a fresh machine, except in the tests of a real worker.

    With REDIS_URL set (CI's PostgreSQL run) the services still dispatch through Celery; outside
    the ``redis`` tests nobody consumes that queue, so the tasks (the outbox's delivery above all)
    run eagerly here, exactly as in the SQLite run.
    """
    if request.node.get_closest_marker("redis"):
        yield
        return
    from casm.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def sector(db):
    return SectorFactory(code="civil-society", name="Civil society")


@pytest.fixture
def mining_sector(db):
    return SectorFactory(code="miners", name="Small-scale miners", requires_mining_pledge=True)


@pytest.fixture
def pledges(db):
    """The pledge texts in force: participation v1 and responsible mining v1."""
    from network.models import Pledge

    return {
        "participation": PledgeFactory(kind=Pledge.Kind.PARTICIPATION, version=1),
        "responsible_mining": PledgeFactory(kind=Pledge.Kind.RESPONSIBLE_MINING, version=1),
    }


@pytest.fixture
def staff_user(db):
    return make_staff(email="secretariat@example.org")


@pytest.fixture
def member(db, sector):
    return MemberFactory(sector=sector)


@pytest.fixture
def applicant(db, sector):
    return MemberFactory(sector=sector, status=Membership.Status.APPLIED)


@pytest.fixture
def plain_user(db):
    """An account with no member record."""
    return UserFactory(email="nobody@example.org")


def _client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def role_clients(db, staff_user, member, applicant):
    """A logged-in client per role of the permission matrix."""
    return {
        "visitor": _client_for(None),
        "applicant": _client_for(applicant.user),
        "member": _client_for(member.user),
        "staff": _client_for(staff_user),
    }


@pytest.fixture
def staff_client(staff_user):
    return _client_for(staff_user)


@pytest.fixture
def member_client(member):
    return _client_for(member.user)


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server; Django sends mail to it over the network for the test's duration."""
    sink, controller = start_smtp_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    yield sink
    controller.stop()


@pytest.fixture(scope="session")
def _playwright():
    need(chromium_available(), f"Chromium is not installed at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(_playwright):
    context = _playwright.new_context(locale="en-GB", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
