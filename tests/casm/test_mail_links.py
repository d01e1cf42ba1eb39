"""Every mail links to the portal at SITE_URL, whatever port `make demo` serves on (casm.links)."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from governance.consultations.services.extensions import extension_grant
from governance.consultations.services.responses import response_save
from network.models import Membership
from network.services.invitations import invitation_send
from network.services.membership import membership_approve
from tests.governance.consultations.factories import ExtensionRequestFactory
from tests.governance.consultations.respond_factories import answer, paper
from tests.network.factories import MemberFactory

DEMO = "http://127.0.0.1:18471"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_site_url(settings):
    settings.SITE_URL = DEMO + "/"  # a trailing slash must not double


def _links(message) -> list[str]:
    return re.findall(r"https?://[^\s>\"]+", message.body)


def _assert_all_links_on_the_demo(message):
    links = _links(message)
    assert links, message.body
    for link in links:
        assert link.startswith(DEMO + "/") and "//" not in link[len("http://") :], link


def test_welcome_mail_links_to_the_site_url(staff_user, django_capture_on_commit_callbacks):
    member = MemberFactory(status=Membership.Status.APPLIED)

    with django_capture_on_commit_callbacks(execute=True):
        membership_approve(membership=member.membership, actor=staff_user)

    _assert_all_links_on_the_demo(mail.outbox[-1])


def test_invitation_mail_links_to_the_site_url(staff_user, sector, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(
            actor=staff_user, email="kofi@example.org", full_name="Kofi Boateng", country="GH", sector=sector
        )

    _assert_all_links_on_the_demo(mail.outbox[-1])


def test_response_receipt_links_to_the_site_url(member, django_capture_on_commit_callbacks):
    consultation = paper()

    with django_capture_on_commit_callbacks(execute=True):
        response_save(
            consultation=consultation,
            member=member,
            actor=member.user,
            values=answer(
                consultation, ranks={"A": 1}, picks=("A",), rationale="Why.", pick_rationale="Why."
            ),
            submit=True,
        )

    _assert_all_links_on_the_demo(mail.outbox[-1])


def test_extension_mail_links_to_the_site_url(staff_user, member, django_capture_on_commit_callbacks):
    request = ExtensionRequestFactory(member=member)
    until = request.consultation.closes_at + datetime.timedelta(days=7)

    with django_capture_on_commit_callbacks(execute=True):
        extension_grant(
            request=request, actor=staff_user, until=until.astimezone(timezone.get_current_timezone())
        )

    _assert_all_links_on_the_demo(mail.outbox[-1])
