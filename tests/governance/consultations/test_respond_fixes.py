"""What respondents and visitors hit: closed consultations, published responses, the form's errors,
draft revisions."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.governance.consultations.factories import consultation_with_options, submitted_response
from tests.governance.consultations.respond_factories import paper
from tests.network.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CLOSED_2010 = datetime.datetime(2010, 12, 11, 4, 59, tzinfo=UTC)  # 10 December 2010, 23:59 in New York


def _url(name, consultation, *args):
    return reverse(f"consultations:{name}", args=[consultation.slug, *args])


def _client(member):
    client = Client()
    client.force_login(member.user)
    return client


def _closed_2010():
    return paper(opens_at=CLOSED_2010 - datetime.timedelta(days=40), closes_at=CLOSED_2010)


# ---------------------------------------------------------------- a closed consultation


def test_a_closed_consultation_tells_a_visitor_it_closed_and_when_not_to_log_in(client):
    consultation = _closed_2010()

    html = client.get(_url("consultation_detail", consultation)).content.decode()

    assert "Log in to respond" not in html
    assert "This consultation closed on 10 December 2010, 23:59 (America/New_York)" in html


def test_a_member_who_never_responded_is_told_it_closed_not_that_their_response_cannot_change():
    consultation = _closed_2010()
    member = MemberFactory()
    client = _client(member)

    detail = client.get(_url("consultation_detail", consultation)).content.decode()
    respond = client.get(_url("consultation_respond", consultation))

    for html in (detail, respond.content.decode()):
        assert "Your response can no longer be changed" not in html
        assert "this consultation closed on 10 December 2010, 23:59 (America/New_York)" in html
    assert respond.status_code == 403


def test_a_member_whose_extension_passed_is_told_their_own_deadline_passed():
    from tests.governance.consultations.reminder_factories import grant_extension

    now = timezone.now()
    consultation = paper(
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(days=3)
    )
    member = MemberFactory()
    grant_extension(consultation, member, until=now - datetime.timedelta(days=1))

    html = _client(member).get(_url("consultation_detail", consultation)).content.decode()

    assert "Your extended deadline" in html and "has passed" in html


# ---------------------------------------------------------------- published responses


def test_published_ranks_are_numbered_once_and_fictional_is_said_once(client):
    consultation = consultation_with_options(sections=1, options=3)
    a, b, c = consultation.sections.get().options.all()
    for opt, code in ((a, "1"), (b, "2"), (c, "3")):
        opt.code = code
        opt.save()
    organisation = OrganisationFactory(name="Kivu Gold Cooperative (fictional)", is_fictional=True)
    member = MemberFactory(full_name="Neema Mwakyusa (fictional)", organisation=organisation)
    submitted_response(consultation, member, ranks={c: 1, a: 2}, is_public=True)

    html = client.get(_url("consultation_public_responses", consultation)).content.decode()

    article = html[html.index("<article") : html.index("</article>")]
    text = re.sub(r"<[^>]+>", " ", article)
    assert text.lower().count("fictional") == 1
    assert "Neema Mwakyusa" in text and "Kivu Gold Cooperative." in text
    assert 'class="ranking"' in article  # the list's own numbers are hidden by the stylesheet
    assert re.search(r"Choice 1:\s*</span>\s*Option 3: Option C", article)
    assert re.search(r"Choice 2:\s*</span>\s*Option 1: Option A", article)
    assert "1. 3." not in text and "3. Option C" not in text
