"""Helpers for the tests of the secretariat's pages: accounts per role and the denial checks."""

import datetime

from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from casm import roles
from network.models import Membership
from tests.network.factories import MemberFactory, UserFactory

LOGIN_URL = "/accounts/login/"
MFA_SETUP_URL = "/accounts/2fa/totp/activate/"


def make_staff_without_mfa(**kwargs):
    """A secretariat account that has not set up two-factor authentication."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    return user


def make_applicant(*, question: str = "", reply: str = "", **kwargs):
    """A member with an open application, optionally asked a question (and replying)."""
    member = MemberFactory(status=Membership.Status.APPLIED, **kwargs)
    if question or reply:
        Membership.objects.filter(member=member).update(information_request=question, information_reply=reply)
    return member


def make_applicants(count: int, **kwargs) -> list:
    members = [make_applicant(**kwargs) for _ in range(count)]
    # Oldest first in the queue: spread the application dates.
    now = timezone.now()
    for age, member in enumerate(members):
        Membership.objects.filter(member=member).update(applied_at=now - datetime.timedelta(days=count - age))
    return members


def assert_staff_only(role_clients: dict, method: str, url: str, data: dict | None = None) -> None:
    """Visitors are sent to log in, members and applicants get 403, staff without MFA set it up."""
    send = {"get": lambda client: client.get(url), "post": lambda client: client.post(url, data or {})}[
        method
    ]

    response = send(role_clients["visitor"])
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL), url

    for role in ("member", "applicant"):
        assert send(role_clients[role]).status_code == 403, (role, url)

    no_mfa = Client()
    no_mfa.force_login(make_staff_without_mfa())
    response = send(no_mfa)
    assert response.status_code == 302 and response["Location"] == MFA_SETUP_URL, url
