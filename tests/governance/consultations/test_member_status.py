"""A member sees what is asked of them: on the consultations list and on their own page (/me/)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.consultations.models import Consultation, Response
from network.dashboard import panels_for
from network.models import Membership
from tests.governance.consultations.builder_factories import draft_response
from tests.governance.consultations.factories import ConsultationFactory, submitted_response
from tests.network.factories import ChamberFactory, MemberFactory, SectorFactory

pytestmark = pytest.mark.django_db


def _client(member):
    client = Client()
    client.force_login(member.user)
    return client


def _status(html, consultation) -> str:
    start = html.index(f'id="member-status-{consultation.pk}"')
    return html[start : html.index("</p>", start)]


def test_the_list_says_per_consultation_whether_it_is_addressed_to_the_member_and_how_far_they_are(member):
    submitted = ConsultationFactory(title="Submitted paper")
    drafted = ConsultationFactory(title="Drafted paper")
    untouched = ConsultationFactory(title="Untouched paper")
    other_chamber = ConsultationFactory(title="Other chamber", audience=Consultation.Audience.CHAMBERS)
    other_chamber.chambers.add(ChamberFactory())
    invited = ConsultationFactory(title="Invited", audience=Consultation.Audience.INVITEES)
    invited.invitees.add(member)
    submitted_response(submitted, member)
    draft_response(drafted, member)

    html = _client(member).get(reverse("consultations:consultation_list")).content.decode()

    assert "you submitted your response" in _status(html, submitted)
    assert "your draft is not submitted yet" in _status(html, drafted)
    assert "you have not responded yet" in _status(html, untouched)
    assert "you have not responded yet" in _status(html, invited)
    assert "Not addressed to you." in _status(html, other_chamber)


def test_the_list_says_past_tense_for_a_closed_consultation(member):
    closed_at = timezone.now() - datetime.timedelta(days=1)
    answered = ConsultationFactory(opens_at=closed_at - datetime.timedelta(days=9), closes_at=closed_at)
    missed = ConsultationFactory(opens_at=closed_at - datetime.timedelta(days=9), closes_at=closed_at)
    Consultation.objects.filter(pk=answered.pk).update(closes_at=timezone.now() + datetime.timedelta(days=1))
    submitted_response(answered, member)
    Consultation.objects.filter(pk=answered.pk).update(closes_at=closed_at)

    html = _client(member).get(reverse("consultations:consultation_list")).content.decode()

    assert "You responded" in _status(html, answered)
    assert "You did not respond before it closed." in _status(html, missed)
    assert "not responded yet" not in html


def test_the_list_tells_a_suspended_member_nothing_is_addressed_to_them():
    member = MemberFactory(status=Membership.Status.SUSPENDED)
    consultation = ConsultationFactory()

    html = _client(member).get(reverse("consultations:consultation_list")).content.decode()

    assert "Not addressed to you." in _status(html, consultation)


def test_a_visitor_sees_no_member_status(client):
    ConsultationFactory()
    assert "member-status" not in client.get(reverse("consultations:consultation_list")).content.decode()


@pytest.mark.parametrize("rows", [1, 20])
def test_the_members_list_runs_the_same_queries_with_1_or_20_consultations(
    member, rows, django_assert_max_num_queries
):
    """Queries: session, account, member record, the paginator's count, one page (status included)."""
    for consultation in ConsultationFactory.create_batch(rows):
        submitted_response(consultation, member)
    client = _client(member)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("consultations:consultation_list")).status_code == 200


def test_me_lists_the_open_consultations_addressed_to_the_member_and_their_status(member):
    open_one = ConsultationFactory(title="Open for me")
    answered = ConsultationFactory(title="Answered already")
    submitted_response(answered, member)
    now = timezone.now()
    ConsultationFactory(
        title="Closed one",
        opens_at=now - datetime.timedelta(days=9),
        closes_at=now - datetime.timedelta(days=1),
    )
    ConsultationFactory(title="Hidden draft", is_published=False)

    html = _client(member).get(reverse("network:me")).content.decode()

    panel = html[
        html.index('id="my-consultations-panel"') : html.index("</section>", html.index("my-consultations"))
    ]
    assert "Open for me" in panel and "you have not responded yet" in _status(panel, open_one)
    assert "Answered already" in panel and "you submitted your response" in _status(panel, answered)
    assert "Closed one" not in panel and "Hidden draft" not in panel


def test_me_does_not_list_a_consultation_for_another_audience():
    outsider = MemberFactory(sector=SectorFactory(code="elsewhere", name="Elsewhere"))
    chambers_only = ConsultationFactory(title="For another chamber", audience=Consultation.Audience.CHAMBERS)
    chambers_only.chambers.add(ChamberFactory())

    html = _client(outsider).get(reverse("network:me")).content.decode()

    assert "For another chamber" not in html
    assert "No open consultation is addressed to you at the moment." in html


def test_the_panel_is_registered_by_the_consultations_app(member):
    ConsultationFactory(title="Open for me")

    (template_name, context), *_ = panels_for(member)

    assert template_name == "consultations/member/_open_consultations.html"
    assert [c.title for c in context["consultations"]] == ["Open for me"]
    assert context["consultations"][0].member_response_status is None
    assert Response.objects.count() == 0
