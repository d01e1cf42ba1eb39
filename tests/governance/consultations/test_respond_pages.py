"""The consultation pages as visitors, respondents and others use them, driven with the test client."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.consultations.models import Consultation, ExtensionRequest, Response
from governance.consultations.services.responses import (
    ProposalValues,
    ResponseValues,
    SectionValues,
    UnclearValues,
    response_save,
)
from tests.governance.consultations.factories import (
    ConsultationFactory,
    consultation_with_options,
    submitted_response,
)
from tests.governance.consultations.respond_factories import answer, form_post, option, paper, sections_of
from tests.network.factories import ChamberFactory, MemberFactory, SectorFactory, make_staff

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><b onmouseover="x()">bold</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def _url(name, consultation):
    return reverse(f"consultations:{name}", args=[consultation.slug])


def _client(member):
    client = Client()
    client.force_login(member.user)
    return client


def _db_state(consultation):
    return (
        list(Response.objects.filter(consultation=consultation).order_by("pk").values()),
        list(
            Response.objects.filter(consultation=consultation)
            .order_by("preferences__pk")
            .values_list("preferences__option_id", "preferences__rank", "answers__rationale")
        ),
        Response.history.count(),
    )


# ---------------------------------------------------------------- the list and the paper


def test_list_shows_published_consultations_open_first_with_the_zone(client):
    now = timezone.now()
    closed = ConsultationFactory(
        title="Closed paper",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=1),
    )
    open_one = ConsultationFactory(
        title="Open paper", closes_at=datetime.datetime(2099, 12, 10, 23, 59, tzinfo=datetime.UTC)
    )
    ConsultationFactory(title="Hidden draft", is_published=False)

    page = client.get(reverse("consultations:consultation_list"))

    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Open paper") < html.index("Closed paper")
    assert "Hidden draft" not in html
    assert "10 December 2099, 18:59 (America/New_York)" in html
    assert open_one.get_absolute_url() in html and closed.get_absolute_url() in html


@pytest.mark.parametrize("rows", [1, 50])
def test_list_queries_do_not_grow(client, rows, django_assert_max_num_queries):
    """Queries: the paginator's count and one page of consultations."""
    ConsultationFactory.create_batch(rows)
    with django_assert_max_num_queries(2):
        assert client.get(reverse("consultations:consultation_list")).status_code == 200


def test_paper_is_public_and_tells_a_visitor_to_log_in(client):
    consultation = paper(introduction="Read **this** first.")

    page = client.get(_url("consultation_detail", consultation))

    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>this</strong>" in html and "Option A" in html and "Draft mission" in html
    assert "Log in to respond" in html
    assert _url("consultation_respond", consultation) in html


def test_unpublished_or_unknown_consultation_is_404(client, member_client):
    draft = paper(is_published=False)
    for url in (
        _url("consultation_detail", draft),
        _url("consultation_public_responses", draft),
        "/consultations/no-such-paper/",
    ):
        assert client.get(url).status_code == 404
        assert member_client.get(url).status_code == 404
    assert member_client.get(_url("consultation_respond", draft)).status_code == 404


def test_paper_shows_the_member_their_status_and_personal_deadline(member, member_client):
    consultation = paper()
    url = _url("consultation_detail", consultation)

    assert "Respond</a>" in member_client.get(url).content.decode()
    assert "Your deadline:" in member_client.get(url).content.decode()
    response_save(
        consultation=consultation, member=member, actor=member.user, values=answer(consultation), submit=False
    )
    assert "Continue your draft" in member_client.get(url).content.decode()
    Response.objects.update(status=Response.Status.SUBMITTED, submitted_at=timezone.now())
    assert "Revise your response" in member_client.get(url).content.decode()


def test_paper_tells_a_member_outside_the_audience_why(sector):
    consultation = paper(audience=Consultation.Audience.CHAMBERS)
    consultation.chambers.set([sector.chamber])
    outsider = MemberFactory(sector=SectorFactory(chamber=ChamberFactory()))

    html = _client(outsider).get(_url("consultation_detail", consultation)).content.decode()

    assert "not open to you" in html
    assert _url("consultation_respond", consultation) not in html


# ---------------------------------------------------------------- who may open the form


def test_visitor_is_sent_to_log_in(client):
    consultation = paper()
    for name in ("consultation_respond", "consultation_my_response", "consultation_extension_request"):
        page = client.get(_url(name, consultation))
        assert page.status_code == 302 and page["Location"].startswith(reverse("account_login"))
    before = _db_state(consultation)
    client.post(_url("consultation_respond", consultation), form_post(consultation, comment="Hi"))
    assert _db_state(consultation) == before


@pytest.mark.parametrize("who", ["other_chamber", "suspended", "applicant"])
def test_members_outside_the_audience_get_a_clear_403_and_change_nothing(who, sector):
    consultation = paper(audience=Consultation.Audience.CHAMBERS)
    consultation.chambers.set([sector.chamber])
    if who == "other_chamber":
        outsider = MemberFactory(sector=SectorFactory(chamber=ChamberFactory()))
    else:
        outsider = MemberFactory(sector=sector, status=who)
    client = _client(outsider)
    before = _db_state(consultation)

    get = client.get(_url("consultation_respond", consultation))
    post = client.post(
        _url("consultation_respond", consultation), form_post(consultation, action="submit", comment="Hi")
    )
    extension = client.post(_url("consultation_extension_request", consultation), {"reason": "Please"})

    for page in (get, post, extension):
        assert page.status_code == 403
        assert "not open to you" in page.content.decode()
    assert _db_state(consultation) == before
    assert not ExtensionRequest.objects.exists()


def test_staff_without_a_member_record_cannot_respond():
    consultation = paper()
    client = Client()
    client.force_login(make_staff())

    assert client.get(_url("consultation_respond", consultation)).status_code == 403
    assert client.get(_url("consultation_detail", consultation)).status_code == 200


# ---------------------------------------------------------------- draft, submit, revise


def test_member_saves_a_draft_comes_back_and_finds_it(member, member_client, mailoutbox):
    consultation = paper()
    url = _url("consultation_respond", consultation)
    assert member_client.get(url).status_code == 200

    saved = member_client.post(url, form_post(consultation, ranks={"B": 1, "A": 2}), follow=True)

    assert saved.redirect_chain[-1][0] == url
    assert "Your draft is saved" in saved.content.decode()
    response = Response.objects.get(member=member)
    assert response.status == Response.Status.DRAFT
    assert dict(response.preferences.values_list("option__code", "rank")) == {"B": 1, "A": 2}
    form = member_client.get(url).content.decode()
    b = option(consultation, 0, "B")
    assert (
        '<option value="1" selected>1</option>' in form.split(f'name="rank-{b.pk}"')[1].split("</select>")[0]
    )
    assert (
        "Continue your draft" in member_client.get(_url("consultation_detail", consultation)).content.decode()
    )
    assert mailoutbox == []


def test_member_submits_gets_a_copy_and_can_revise(
    member, member_client, mailoutbox, django_capture_on_commit_callbacks
):
    consultation = paper()
    url = _url("consultation_respond", consultation)
    post = form_post(consultation, action="submit", ranks={"C": 1}, rationale="C is the way.", picks={"A"})
    post[f"rationale-{sections_of(consultation)[1].pk}"] = "A matters."

    with django_capture_on_commit_callbacks(execute=True):
        done = member_client.post(url, post)

    assert done.status_code == 302 and done["Location"] == _url("consultation_my_response", consultation)
    response = Response.objects.get(member=member)
    assert response.status == Response.Status.SUBMITTED
    assert len(mailoutbox) == 1 and "C is the way." in mailoutbox[0].body
    mine = member_client.get(done["Location"]).content.decode()
    assert "C is the way." in mine and "Revise your response" in mine
    form = member_client.get(url).content.decode()
    assert "Submit my revised response" in form and "Save revision as draft" in form

    revised = form_post(
        consultation,
        action="submit",
        ranks={"A": 1},
        rationale="Changed my mind.",
        picks={"B"},
        pick_rationale="B.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert member_client.post(url, revised).status_code == 302
    response.refresh_from_db()
    assert dict(response.preferences.filter(section__mode="rank").values_list("option__code", "rank")) == {
        "A": 1
    }
    assert len(mailoutbox) == 2


def test_bad_input_is_shown_beside_its_section_and_changes_nothing(member, member_client):
    consultation = paper()
    rank_section = sections_of(consultation)[0]
    url = _url("consultation_respond", consultation)
    member_client.post(url, form_post(consultation, ranks={"A": 1}))
    before = _db_state(consultation)

    page = member_client.post(url, form_post(consultation, action="submit", ranks={"A": 1, "C": 3}))

    html = page.content.decode()
    assert page.status_code == 200
    # One problem: the gap (nothing here is "empty").
    assert "Please correct the problem shown below." in html
    section_html = html.split(f'id="section-{rank_section.pk}"')[1].split("</fieldset>")[0]
    assert "without gaps" in section_html
    assert _db_state(consultation) == before


def test_unclear_without_text_is_shown_beside_the_option(member, member_client):
    consultation = paper()
    a = option(consultation, 0, "A")
    post = form_post(consultation, **{f"unclear-{a.pk}": "on"})

    page = member_client.post(_url("consultation_respond", consultation), post)

    html = page.content.decode()
    assert "Say what is unclear about this option." in html.split(f'id="option-{a.pk}"')[1]
    assert not Response.objects.exists()


def test_official_contact_sees_the_on_behalf_box_and_others_do_not(member, member_client, sector):
    consultation = paper()
    url = _url("consultation_respond", consultation)
    assert "Respond on behalf of" not in member_client.get(url).content.decode()
    member.organisation.contact = member
    member.organisation.save()

    assert f"Respond on behalf of {member.organisation.name}" in member_client.get(url).content.decode()
    member_client.post(url, form_post(consultation, comment="Our view", on_behalf="on"))
    assert Response.objects.get(member=member).on_behalf_of == member.organisation


# ---------------------------------------------------------------- the deadline, to the second


@pytest.mark.parametrize(("offset", "allowed"), [(-1, True), (1, False)])
def test_submission_one_second_before_or_after_the_deadline(
    member, member_client, monkeypatch, offset, allowed
):
    # An hour away, so that the session opened now is still valid at the patched time.
    consultation = paper(closes_at=timezone.now() + datetime.timedelta(hours=1))
    url = _url("consultation_respond", consultation)
    member_client.post(url, form_post(consultation, ranks={"A": 1}))
    before = _db_state(consultation)
    at = consultation.closes_at + datetime.timedelta(seconds=offset)
    monkeypatch.setattr(timezone, "now", lambda: at)

    page = member_client.post(url, form_post(consultation, action="submit", ranks={"B": 1}, rationale="B."))

    response = Response.objects.get(member=member)
    if allowed:
        assert page.status_code == 302
        assert response.status == Response.Status.SUBMITTED and response.submitted_at == at
    else:
        assert page.status_code == 403
        assert "The deadline has passed: this consultation closed on" in page.content.decode()
        assert _db_state(consultation) == before


# ---------------------------------------------------------------- escaping


def test_html_and_script_in_every_text_field_are_stored_as_typed_and_shown_escaped(
    member, member_client, client
):
    consultation = paper()
    rank_section, pick_section, comment_section = sections_of(consultation)
    a = option(consultation, 0, "A")
    post = form_post(
        consultation,
        action="submit",
        ranks={"A": 1},
        rationale=XSS,
        pick_rationale=XSS,
        comment=XSS,
        general_comments=XSS,
        is_public="on",
        **{
            f"unclear-{a.pk}": "on",
            f"unclear_text-{a.pk}": XSS,
            "proposed-0-section": str(rank_section.pk),
            "proposed-0-title": XSS[:150],
            "proposed-0-description": XSS,
        },
    )
    assert member_client.post(_url("consultation_respond", consultation), post).status_code == 302
    response = Response.objects.get(member=member)
    assert response.general_comments == XSS
    assert set(response.answers.values_list("rationale", flat=True)) == {XSS}
    assert response.unclear_flags.get().text == XSS
    assert response.proposed_options.get().description == XSS

    for html in (
        member_client.get(_url("consultation_my_response", consultation)).content.decode(),
        member_client.get(_url("consultation_respond", consultation)).content.decode(),
        client.get(_url("consultation_public_responses", consultation)).content.decode(),
    ):
        assert '<script>alert("x")' not in html and "<b onmouseover" not in html
        assert ESCAPED in html


def test_extension_reason_is_shown_escaped(member, member_client):
    consultation = paper()
    url = _url("consultation_extension_request", consultation)

    member_client.post(url, {"reason": XSS})

    html = member_client.get(url).content.decode()
    assert ExtensionRequest.objects.get().reason == XSS
    assert ESCAPED in html and '<script>alert("x")' not in html


# ---------------------------------------------------------------- whose response is seen by whom


def test_a_respondent_sees_only_their_own_response(member, member_client, sector):
    consultation = paper()
    other = MemberFactory(sector=sector)
    submitted_response(consultation, other, rationale="The other person's secret reasons.")

    mine = member_client.get(_url("consultation_my_response", consultation)).content.decode()

    assert "You have not responded" in mine and "secret reasons" not in mine
    theirs = _client(other).get(_url("consultation_my_response", consultation)).content.decode()
    assert "secret reasons" in theirs


def test_public_page_shows_only_public_submitted_responses_without_emails(client, sector):
    consultation = paper()
    public = MemberFactory(sector=sector, full_name="Ama Public")
    private = MemberFactory(sector=sector, full_name="Kofi Private")
    drafter = MemberFactory(sector=sector, full_name="Esi Drafter")
    submitted_response(consultation, public, rationale="Published reasons.", is_public=True)
    submitted_response(consultation, private, rationale="Private reasons.")
    draft = submitted_response(consultation, drafter, rationale="Draft reasons.", is_public=True)
    draft.status = Response.Status.DRAFT
    draft.save()

    html = client.get(_url("consultation_public_responses", consultation)).content.decode()

    assert "Ama Public" in html and "Published reasons." in html
    assert public.organisation.name.removesuffix(" (fictional)") in html  # marked once, by a badge
    assert "Kofi Private" not in html and "Private reasons." not in html
    assert "Esi Drafter" not in html and "Draft reasons." not in html
    assert public.email not in html


@pytest.mark.parametrize("rows", [1, 30])
def test_public_page_queries_do_not_grow(client, sector, rows, django_assert_max_num_queries):
    """Queries: consultation, sections, options, count, responses (member, organisation, chamber,
    sector joined), answers, preferences, unclear flags, proposed options."""
    consultation = paper()
    a = option(consultation, 0, "A")
    for _ in range(rows):
        submitted_response(consultation, MemberFactory(sector=sector), ranks={a: 1}, is_public=True)

    with django_assert_max_num_queries(9):
        page = client.get(_url("consultation_public_responses", consultation))
    assert page.status_code == 200


@pytest.mark.parametrize("size", [1, 8])
def test_respond_form_queries_do_not_grow_with_the_paper(
    member, member_client, size, django_assert_max_num_queries
):
    """Queries: session, user, member (decorator), consultation, member with organisation, sector,
    chamber and membership, audience, deadline, sections, options, the draft and its answers,
    preferences, unclear flags and proposed options, the deadline shown, the groups of the nav."""
    consultation = consultation_with_options(sections=size, options=5)
    sections = sections_of(consultation)
    data = ResponseValues(
        sections={
            section.pk: SectionValues(
                ranks={o.pk: n + 1 for n, o in enumerate(section.options.all())}, rationale="Why"
            )
            for section in sections
        },
        unclear={sections[0].options.first().pk: UnclearValues(flagged=True, text="?")},
        proposed=[ProposalValues(section_id=sections[-1].pk, title="New", description="More.")] * size,
    )
    response_save(consultation=consultation, member=member, actor=member.user, values=data, submit=True)

    with django_assert_max_num_queries(16):
        page = member_client.get(_url("consultation_respond", consultation))
    assert page.status_code == 200


# ---------------------------------------------------------------- more time


def test_member_asks_for_more_time_and_sees_the_request_waiting(member, member_client):
    consultation = paper()
    url = _url("consultation_extension_request", consultation)
    assert member_client.get(url).status_code == 200

    empty = member_client.post(url, {"reason": "  "})
    assert "Say why you need more time." in empty.content.decode()
    assert not ExtensionRequest.objects.exists()

    sent = member_client.post(url, {"reason": "Our board meets on the 15th."})
    assert sent.status_code == 302
    request = ExtensionRequest.objects.get(member=member)
    assert request.status == ExtensionRequest.Status.PENDING
    assert (
        "the secretariat will answer you by email"
        in member_client.get(_url("consultation_detail", consultation)).content.decode()
    )
    again = member_client.get(url).content.decode()
    assert "you can ask again once they have" in again and "<textarea" not in again


def test_after_the_deadline_asking_for_more_time_is_refused(member, member_client):
    consultation = paper(
        opens_at=timezone.now() - datetime.timedelta(days=10),
        closes_at=timezone.now() - datetime.timedelta(seconds=1),
    )

    page = member_client.post(_url("consultation_extension_request", consultation), {"reason": "Late"})

    assert page.status_code == 403 and "deadline" in page.content.decode()
    assert not ExtensionRequest.objects.exists()


def test_the_form_hands_the_service_values_and_shows_its_errors_beside_the_fields(member):
    """The service speaks of values (a section's preferences, an option's flag, a proposal's title);
    the form alone knows its field names and puts each problem beside the field that holds it."""
    from django.core.exceptions import ValidationError

    from governance.consultations.forms.responses import ResponseForm

    consultation = paper()
    rank_section, pick_section, _comment = sections_of(consultation)
    a, b, _c = rank_section.options.order_by("order")
    post = form_post(consultation, action="submit", ranks={"A": 1, "B": 3}, picks={"A"})
    post.update({f"unclear_text-{b.pk}": "Hm?", "proposed-0-title": "G"})
    form = ResponseForm(post, sections=sections_of(consultation))
    assert form.is_valid()

    values = form.to_values()

    assert values.sections[rank_section.pk].ranks == {a.pk: 1, b.pk: 3}
    assert values.sections[pick_section.pk].picks == {pick_section.options.get(code="A").pk}
    assert values.unclear == {b.pk: UnclearValues(flagged=False, text="Hm?")}
    assert values.proposed[0] == ProposalValues(section_id=None, title="G", description="")
    with pytest.raises(ValidationError) as refused:
        response_save(consultation=consultation, member=member, actor=member.user, values=values, submit=True)
    form.add_service_errors(refused.value)
    assert "without gaps" in form.section_errors[rank_section.pk][0]
    assert f"rationale-{pick_section.pk}" in form.errors
    assert f"unclear_text-{b.pk}" in form.errors
    assert "proposed-0-description" in form.errors
    assert form.error_count == len(refused.value.messages)
