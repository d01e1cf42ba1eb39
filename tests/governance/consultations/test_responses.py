"""The respondent's services: drafts, submissions, revisions, the rules of an answer, more time."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.consultations.models import (
    Consultation,
    ExtensionRequest,
    OptionPreference,
    ProposedOption,
    Response,
    SectionAnswer,
    UnclearFlag,
)
from governance.consultations.services import responses as services
from governance.consultations.services.responses import (
    Place,
    ProposalValues,
    UnclearValues,
    extension_request,
    response_save,
)
from network.models import Membership, Organisation
from tests.governance.consultations.factories import ExtensionRequestFactory
from tests.governance.consultations.respond_factories import answer, option, paper, sections_of
from tests.network.factories import ChamberFactory, MemberFactory, OrganisationFactory, SectorFactory

pytestmark = pytest.mark.django_db


def _state(consultation) -> dict:
    """Everything a response could change, to show that a refused one changed nothing."""
    return {
        "responses": list(Response.objects.filter(consultation=consultation).order_by("pk").values()),
        "answers": list(SectionAnswer.objects.order_by("pk").values()),
        "preferences": list(OptionPreference.objects.order_by("pk").values()),
        "unclear": list(UnclearFlag.objects.order_by("pk").values()),
        "proposed": list(ProposedOption.objects.order_by("pk").values()),
        "history": Response.history.count(),
    }


def _save(consultation, member, data, *, submit=False, now=None):
    return response_save(
        consultation=consultation, member=member, actor=member.user, values=data, submit=submit, now=now
    )


# ---------------------------------------------------------------- drafts, submissions, revisions


def test_response_save_keeps_a_draft_without_rationale_and_leaves_history(member, mailoutbox):
    consultation = paper()

    response = _save(consultation, member, answer(consultation, ranks={"B": 1, "A": 2}))

    assert response.status == Response.Status.DRAFT and response.submitted_at is None
    ranks = dict(response.preferences.values_list("option__code", "rank"))
    assert ranks == {"B": 1, "A": 2}
    last = response.history.latest()
    assert last.history_user == member.user and last.history_change_reason == "Draft saved"
    assert mailoutbox == []


def test_response_save_submits_copies_who_responded_and_mails_a_copy(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    consultation = paper(title="CASM options paper")
    now = timezone.now()
    data = answer(
        consultation,
        ranks={"C": 1},
        rationale="C builds on what exists.",
        picks={"A", "B"},
        pick_rationale="Both are needed.",
        comment="The mission is too long.",
        general_comments="Thank you.",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = _save(consultation, member, data, submit=True, now=now)

    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED and response.submitted_at == now
    assert (response.chamber, response.sector, response.country.code, response.org_type) == (
        member.sector.chamber,
        member.sector,
        member.country.code,
        member.organisation.org_type,
    )
    picks = set(response.preferences.filter(rank=1).values_list("option__section__mode", "option__code"))
    assert picks == {("rank", "C"), ("pick", "A"), ("pick", "B")}
    assert response.answers.count() == 3
    assert response.history.latest().history_change_reason == "Response submitted"
    [mail] = mailoutbox
    assert mail.to == [member.email]
    assert "CASM options paper" in mail.subject
    assert "1. C. Option C" in mail.body and "C builds on what exists." in mail.body
    assert "The mission is too long." in mail.body and "Thank you." in mail.body
    assert "(America/New_York)" in mail.body


def test_revision_replaces_the_previous_answer_and_stays_submitted(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    consultation = paper()
    first = answer(consultation, ranks={"A": 1}, rationale="First thoughts.")
    first.unclear = {option(consultation, 0, "B").pk: UnclearValues(flagged=True, text="What is B?")}
    with django_capture_on_commit_callbacks(execute=True):
        _save(consultation, member, first, submit=True)

    # Submitting again is a revision, checked as a submission ("Save" alone keeps it as a draft).
    with django_capture_on_commit_callbacks(execute=True):
        response = _save(
            consultation,
            member,
            answer(consultation, ranks={"B": 1, "C": 2}, rationale="Second thoughts."),
            submit=True,
        )

    assert response.status == Response.Status.SUBMITTED
    assert dict(response.preferences.values_list("option__code", "rank")) == {"B": 1, "C": 2}
    assert list(response.answers.values_list("rationale", flat=True)) == ["Second thoughts."]
    assert not response.unclear_flags.exists()
    assert Response.objects.count() == 1
    assert response.history.latest().history_change_reason == "Response revised"
    assert len(mailoutbox) == 2


def test_pick_section_takes_any_set_and_comment_section_takes_text_only(member):
    consultation = paper()

    response = _save(consultation, member, answer(consultation, picks=set(), comment="Only a comment."))

    assert not response.preferences.exists()
    assert list(response.answers.values_list("rationale", flat=True)) == ["Only a comment."]
    comment_section = sections_of(consultation)[2]
    data = answer(consultation)
    data.sections[comment_section.pk].picks = {option(consultation, 0, "A").pk}
    with pytest.raises(ValidationError) as refused:
        _save(consultation, member, data)
    assert Place.preferences(comment_section.pk) in refused.value.message_dict


def test_unclear_flags_and_proposed_options_are_stored(member):
    consultation = paper()
    rank_section = sections_of(consultation)[0]
    data = answer(consultation)
    data.unclear = {option(consultation, 0, "A").pk: UnclearValues(flagged=True, text="Who pays?")}
    data.proposed = [
        ProposalValues(section_id=rank_section.pk, title="Option G", description="A regional hub."),
        ProposalValues(),  # a blank row of the form
        ProposalValues(title="Merge D and E", description="One fund."),
    ]

    response = _save(consultation, member, data)

    assert list(response.unclear_flags.values_list("option__code", "text")) == [("A", "Who pays?")]
    assert set(response.proposed_options.values_list("section", "title")) == {
        (rank_section.pk, "Option G"),
        (None, "Merge D and E"),
    }


# ---------------------------------------------------------------- the rules of an answer


def test_every_problem_is_reported_at_once_and_nothing_is_saved(member):
    consultation = paper()
    rank_section, pick_section, _comment = sections_of(consultation)
    a_pk = option(consultation, 0, "A").pk
    b_pk = option(consultation, 0, "B").pk
    data = answer(consultation, ranks={"A": 1, "B": 3}, picks={"A"})  # a gap, and no rationales
    data.unclear = {a_pk: UnclearValues(flagged=True, text="  "), b_pk: UnclearValues(text="Hm?")}
    data.proposed = [ProposalValues(title="G"), ProposalValues(description="x")]
    before = _state(consultation)

    with pytest.raises(ValidationError) as refused:
        _save(consultation, member, data, submit=True)

    errors = refused.value.message_dict
    assert "without gaps" in errors[Place.preferences(rank_section.pk)][0]
    assert Place.rationale(pick_section.pk) in errors
    assert Place.unclear(a_pk) in errors and Place.unclear(b_pk) in errors
    assert Place.proposal(0, "description") in errors and Place.proposal(1, "title") in errors
    assert _state(consultation) == before


def test_rank_section_refuses_two_options_with_one_rank(member):
    consultation = paper()
    rank_section = sections_of(consultation)[0]

    with pytest.raises(ValidationError) as refused:
        _save(consultation, member, answer(consultation, ranks={"A": 1, "B": 1}))

    assert "share a rank" in refused.value.message_dict[Place.preferences(rank_section.pk)][0]
    assert not Response.objects.exists()


def test_submission_needs_a_rationale_for_each_preference(member):
    consultation = paper()
    rank_section = sections_of(consultation)[0]

    with pytest.raises(ValidationError) as refused:
        _save(consultation, member, answer(consultation, ranks={"A": 1}), submit=True)

    assert Place.rationale(rank_section.pk) in refused.value.message_dict


def test_empty_submission_is_refused(member):
    consultation = paper()

    with pytest.raises(ValidationError) as refused:
        _save(consultation, member, answer(consultation), submit=True)

    assert "empty" in refused.value.messages[0]
    assert not Response.objects.exists()


def test_options_of_another_consultation_are_refused(member):
    consultation, other = paper(), paper()
    data = answer(consultation)
    data.sections[sections_of(consultation)[0].pk].ranks = {option(other, 0, "A").pk: 1}

    with pytest.raises(ValidationError):
        _save(consultation, member, data)
    assert not Response.objects.exists()


# ---------------------------------------------------------------- deadline and audience


def test_deadline_boundary_one_second_before_and_after(member):
    consultation = paper()
    deadline = consultation.closes_at
    draft = _save(consultation, member, answer(consultation, ranks={"A": 1}))
    before = _state(consultation)

    late = answer(consultation, ranks={"B": 1}, rationale="Late.")
    with pytest.raises(PermissionDenied) as refused:
        _save(consultation, member, late, submit=True, now=deadline + datetime.timedelta(seconds=1))

    assert "deadline" in str(refused.value)
    assert _state(consultation) == before
    response = _save(
        consultation,
        member,
        answer(consultation, ranks={"B": 1}, rationale="Just in time."),
        submit=True,
        now=deadline - datetime.timedelta(seconds=1),
    )
    assert response.pk == draft.pk and response.status == Response.Status.SUBMITTED


def test_a_granted_extension_moves_the_respondents_own_deadline(member):
    consultation = paper()
    late = consultation.closes_at + datetime.timedelta(days=1)
    ExtensionRequestFactory(
        consultation=consultation,
        member=member,
        status=ExtensionRequest.Status.GRANTED,
        granted_until=consultation.closes_at + datetime.timedelta(days=2),
    )

    response = _save(consultation, member, answer(consultation, comment="Late but allowed."), now=late)

    assert response.pk
    other = MemberFactory(sector=member.sector)
    with pytest.raises(PermissionDenied):
        _save(consultation, other, answer(consultation, comment="Too late."), now=late)


@pytest.mark.parametrize("who", ["other_chamber", "suspended", "applicant", "not_invited"])
def test_only_the_audience_can_respond(who, sector):
    consultation = paper(audience=Consultation.Audience.CHAMBERS)
    consultation.chambers.set([sector.chamber])
    if who == "other_chamber":
        member = MemberFactory(sector=SectorFactory(chamber=ChamberFactory()))
    elif who == "suspended":
        member = MemberFactory(sector=sector, status=Membership.Status.SUSPENDED)
    elif who == "applicant":
        member = MemberFactory(sector=sector, status=Membership.Status.APPLIED)
    else:
        consultation.audience = Consultation.Audience.INVITEES
        consultation.save()
        member = MemberFactory(sector=sector)

    with pytest.raises(PermissionDenied):
        _save(consultation, member, answer(consultation, comment="Let me in."))
    assert not Response.objects.exists()


def test_members_respond_for_themselves_only(member):
    consultation = paper()
    someone = MemberFactory(sector=member.sector)

    with pytest.raises(PermissionDenied):
        response_save(
            consultation=consultation,
            member=member,
            actor=someone.user,
            values=answer(consultation, comment="Impersonation."),
            submit=False,
        )
    assert not Response.objects.exists()


def test_unpublished_consultation_takes_no_response(member):
    consultation = paper(is_published=False)

    with pytest.raises(PermissionDenied):
        _save(consultation, member, answer(consultation, comment="Early."))


# ---------------------------------------------------------------- on an organisation's behalf


def _contact(sector) -> tuple:
    organisation = OrganisationFactory(org_type=Organisation.Type.MINERS_GROUP)
    contact = MemberFactory(sector=sector, organisation=organisation)
    organisation.contact = contact
    organisation.save()
    return organisation, contact


def test_the_official_contact_responds_on_the_organisations_behalf(sector):
    consultation = paper()
    organisation, contact = _contact(sector)

    response = _save(consultation, contact, answer(consultation, comment="Our view.", on_behalf=True))

    assert response.on_behalf_of == organisation and response.org_type == Organisation.Type.MINERS_GROUP


def test_a_member_who_is_not_the_contact_cannot_respond_for_the_organisation(sector):
    consultation = paper()
    organisation, _contact_member = _contact(sector)
    colleague = MemberFactory(sector=sector, organisation=organisation)

    with pytest.raises(ValidationError) as refused:
        _save(consultation, colleague, answer(consultation, comment="Our view.", on_behalf=True))

    assert "official contact" in refused.value.message_dict["on_behalf"][0]
    assert not Response.objects.exists()


def test_one_official_response_per_organisation(sector):
    consultation = paper()
    organisation, former = _contact(sector)
    _save(consultation, former, answer(consultation, comment="Our view.", on_behalf=True))
    successor = MemberFactory(sector=sector, organisation=organisation)
    organisation.contact = successor
    organisation.save()

    with pytest.raises(ValidationError) as refused:
        _save(consultation, successor, answer(consultation, comment="Our view too.", on_behalf=True))

    assert "already sent its official response" in refused.value.message_dict["on_behalf"][0]
    assert Response.objects.filter(on_behalf_of=organisation).count() == 1


def test_the_database_constraint_becomes_a_clear_message(sector, monkeypatch):
    """With the check in Python skipped (as under a race), the constraint answers, and clearly."""
    consultation = paper()
    organisation, former = _contact(sector)
    _save(consultation, former, answer(consultation, comment="Our view.", on_behalf=True))
    successor = MemberFactory(sector=sector, organisation=organisation)
    organisation.contact = successor
    organisation.save()
    monkeypatch.setattr(services, "_official_response_taken", lambda *args: False)

    with pytest.raises(ValidationError) as refused:
        _save(consultation, successor, answer(consultation, comment="Our view too.", on_behalf=True))

    assert "already sent its official response" in refused.value.message_dict["on_behalf"][0]
    assert Response.objects.filter(on_behalf_of=organisation).count() == 1
    assert not Response.objects.filter(member=successor).exists()


# ---------------------------------------------------------------- more time


def test_extension_request_is_recorded_with_its_reason_and_history(member):
    consultation = paper()

    request = extension_request(
        consultation=consultation, member=member, actor=member.user, reason="  Our board meets on the 15th. "
    )

    assert (
        request.status == ExtensionRequest.Status.PENDING and request.reason == "Our board meets on the 15th."
    )
    record = request.history.latest()
    assert record.history_user == member.user and record.history_change_reason == "Extension requested"


def test_extension_request_needs_a_reason_and_waits_one_at_a_time(member):
    consultation = paper()

    with pytest.raises(ValidationError) as no_reason:
        extension_request(consultation=consultation, member=member, actor=member.user, reason="   ")
    assert "reason" in no_reason.value.message_dict
    extension_request(consultation=consultation, member=member, actor=member.user, reason="Board meeting.")
    with pytest.raises(ValidationError) as twice:
        extension_request(consultation=consultation, member=member, actor=member.user, reason="Again.")
    assert "already asked" in twice.value.messages[0]
    assert ExtensionRequest.objects.count() == 1


def test_extension_request_is_for_the_audience_until_their_deadline(member, sector):
    consultation = paper()
    outsider = MemberFactory(sector=sector, status=Membership.Status.SUSPENDED)

    with pytest.raises(PermissionDenied):
        extension_request(consultation=consultation, member=outsider, actor=outsider.user, reason="Please.")
    with pytest.raises(PermissionDenied):
        extension_request(
            consultation=consultation,
            member=member,
            actor=member.user,
            reason="Please.",
            now=consultation.closes_at + datetime.timedelta(seconds=1),
        )
    assert not ExtensionRequest.objects.exists()
