"""What respondents and visitors hit: closed consultations, published responses, the form's errors,
draft revisions."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.consultations.models import Response
from tests.governance.consultations.factories import consultation_with_options, submitted_response
from tests.governance.consultations.respond_factories import form_post, option, paper, sections_of
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


# ---------------------------------------------------------------- the respond form's errors


def test_two_options_ranked_first_is_one_error_not_also_an_empty_response(member, member_client):
    consultation = paper()
    rank_section = sections_of(consultation)[0]
    a = option(consultation, 0, "A")

    page = member_client.post(
        _url("consultation_respond", consultation),
        form_post(consultation, action="submit", ranks={"A": 1, "B": 1}, rationale="Both."),
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Your response is empty" not in html
    assert html.count("two options share a rank") == 2  # in the summary, and beside the section
    summary = html[html.index('id="form-errors"') : html.index("</div>", html.index('id="form-errors"'))]
    assert (
        'role="alert"' in html[html.index("<div", html.index("<form")) : html.index('id="form-errors"') + 80]
    )
    assert 'tabindex="-1"' in summary
    assert f'<a href="#id_rank-{a.pk}">{rank_section.title}: Give each option' in summary
    assert not Response.objects.exists()


def test_the_summary_links_each_error_to_its_field_and_each_field_shows_its_own(member, member_client):
    consultation = paper()
    a = option(consultation, 0, "A")
    post = form_post(consultation, action="submit", ranks={"A": 1}, **{f"unclear-{a.pk}": "on"})
    post["proposed-0-title"] = "Regional hubs"

    html = member_client.post(_url("consultation_respond", consultation), post).content.decode()

    summary = html[html.index('id="form-errors"') : html.index("</div>", html.index('id="form-errors"'))]
    rank_section = sections_of(consultation)[0]
    for anchor in (f"id_rationale-{rank_section.pk}", f"id_unclear_text-{a.pk}", "id_proposed-0-description"):
        assert f'<a href="#{anchor}">' in summary
        assert f'id="{anchor}"' in html  # the field the link goes to
    assert "Please correct the 3 problems shown below." in summary
    assert "Describe your proposed option." in html.split('id="proposed-options"')[1]
    assert "Your response is empty" not in html


def test_an_empty_submission_is_still_refused_once(member, member_client):
    consultation = paper()

    html = member_client.post(
        _url("consultation_respond", consultation), form_post(consultation, action="submit")
    ).content.decode()

    assert html.count("Your response is empty") == 1
    assert not Response.objects.exists()


# ---------------------------------------------------------------- a revision saved as a draft


def _submit_then_draft_revision(member, client, mailoutbox, capture):
    consultation = paper()
    url = _url("consultation_respond", consultation)
    with capture(execute=True):
        client.post(url, form_post(consultation, action="submit", ranks={"A": 1}, rationale="A first."))
    with capture(execute=True):
        page = client.post(
            url, form_post(consultation, action="draft", ranks={"C": 1, "B": 2}, rationale="Rethinking: C.")
        )
    return consultation, page


def test_a_revision_saved_as_a_draft_leaves_the_submitted_response_in_force(
    member, member_client, mailoutbox, django_capture_on_commit_callbacks
):
    consultation, page = _submit_then_draft_revision(
        member, member_client, mailoutbox, django_capture_on_commit_callbacks
    )

    assert page.status_code == 302
    response = Response.objects.get(member=member)
    assert response.status == Response.Status.SUBMITTED
    assert dict(response.preferences.values_list("option__code", "rank")) == {"A": 1}
    assert list(response.answers.values_list("rationale", flat=True)) == ["A first."]
    assert response.revision_draft is not None and response.revision_saved_at is not None
    assert response.history.latest().history_change_reason == "Revision saved as a draft"
    assert len(mailoutbox) == 1  # only the submission's copy
    # The form comes back with the revision; the my-response page shows both.
    form = member_client.get(_url("consultation_respond", consultation)).content.decode()
    c = option(consultation, 0, "C")
    assert (
        '<option value="1" selected>1</option>' in form.split(f'name="rank-{c.pk}"')[1].split("</select>")[0]
    )
    assert "Rethinking: C." in form and "Your unsent revision" in form
    mine = member_client.get(_url("consultation_my_response", consultation)).content.decode()
    revision = mine[mine.index('id="unsent-revision"') : mine.index('id="in-force"')]
    in_force = mine[mine.index('id="in-force"') :]
    assert "Rethinking: C." in revision and "Option C: Option C" in revision
    assert "A first." in in_force and "Rethinking: C." not in in_force


def test_submitting_the_revision_replaces_the_response_and_clears_the_draft(
    member, member_client, mailoutbox, django_capture_on_commit_callbacks
):
    consultation, _page = _submit_then_draft_revision(
        member, member_client, mailoutbox, django_capture_on_commit_callbacks
    )
    url = _url("consultation_respond", consultation)

    with django_capture_on_commit_callbacks(execute=True):
        page = member_client.post(
            url, form_post(consultation, action="submit", ranks={"C": 1}, rationale="C, finally.")
        )

    assert page.status_code == 302
    response = Response.objects.get(member=member)
    assert dict(response.preferences.values_list("option__code", "rank")) == {"C": 1}
    assert (response.revision_draft, response.revision_saved_at) == (None, None)
    assert len(mailoutbox) == 2
    mine = member_client.get(_url("consultation_my_response", consultation)).content.decode()
    assert "Your unsent revision" not in mine


def test_public_responses_and_counts_show_the_submitted_version_not_the_draft_revision(
    member, member_client, client, mailoutbox, django_capture_on_commit_callbacks
):
    consultation = paper()
    url = _url("consultation_respond", consultation)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            url,
            form_post(consultation, action="submit", ranks={"A": 1}, rationale="A first.", is_public="on"),
        )
        member_client.post(
            url, form_post(consultation, action="draft", comment="Draft thought.", is_public="on")
        )

    public = client.get(_url("consultation_public_responses", consultation)).content.decode()

    assert "A first." in public and "Draft thought." not in public


def test_a_bad_draft_revision_is_a_form_error_and_changes_nothing(
    member, member_client, mailoutbox, django_capture_on_commit_callbacks
):
    consultation = paper()
    url = _url("consultation_respond", consultation)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(url, form_post(consultation, action="submit", ranks={"A": 1}, rationale="A."))
    before = Response.objects.values().get()

    page = member_client.post(url, form_post(consultation, action="draft", ranks={"A": 1, "B": 3}))

    assert page.status_code == 200
    assert "without gaps" in page.content.decode()
    assert Response.objects.values().get() == before
