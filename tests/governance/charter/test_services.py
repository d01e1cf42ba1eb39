import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.charter import services
from governance.charter.models import Decision, Document, DocumentVersion
from tests.governance.bodies.factories import BodyFactory
from tests.governance.charter.factories import publish_ground_rules

pytestmark = pytest.mark.django_db

VOTE = Decision.Method.VOTE


# ---------------------------------------------------------------- versioned documents


def test_ground_rules_publish_numbers_versions_and_keeps_every_one(staff_user):
    body = BodyFactory()

    first = services.ground_rules_publish(actor=staff_user, body=body, title="Rules", text="By consensus.")
    second = services.ground_rules_publish(
        actor=staff_user,
        body=body,
        title="Rules",
        text="By consensus, or a vote of two thirds.",
        summary="A vote when consensus fails.",
        translations={"fr": {"title": "Règles"}},
    )

    assert (first.number, second.number) == (1, 2)
    assert first.document_id == second.document_id
    assert DocumentVersion.objects.get(pk=first.pk).text == "By consensus."
    assert second.published_by == staff_user and second.published_at is not None
    assert second.localized("title", "fr").text == "Règles"


def test_ground_rules_publish_leaves_a_history_row_with_who_and_why(staff_user):
    version = publish_ground_rules(staff_user)

    row = version.history.get()
    assert row.history_user == staff_user
    assert row.history_change_reason == "Version 1 published"
    assert Document.history.filter(id=version.document_id, history_user=staff_user).exists()


@pytest.mark.parametrize("who", ["member", "applicant", "plain_user", "nobody"])
def test_ground_rules_publish_refuses_anyone_but_the_secretariat(request, who):
    actor = None if who == "nobody" else request.getfixturevalue(who)
    actor = getattr(actor, "user", actor)
    body = BodyFactory()

    with pytest.raises(PermissionDenied):
        services.ground_rules_publish(actor=actor, body=body, title="Rules", text="Mine now.")

    assert not DocumentVersion.objects.exists() and not Document.objects.exists()


def test_mission_publish_refuses_a_member(member):
    with pytest.raises(PermissionDenied):
        services.mission_publish(actor=member.user, title="Mission", text="Ours.")
    assert not DocumentVersion.objects.exists()


@pytest.mark.parametrize("text", ["", "   \n "])
def test_a_version_without_text_is_refused(staff_user, text):
    with pytest.raises(ValidationError) as error:
        services.mission_publish(actor=staff_user, title="Mission", text=text)

    assert "text" in error.value.message_dict
    assert not DocumentVersion.objects.exists()


def test_a_version_identical_to_the_current_one_is_refused(staff_user):
    version = publish_ground_rules(staff_user, text="Same text.")

    with pytest.raises(ValidationError):
        services.ground_rules_publish(
            actor=staff_user, body=version.document.body, title=version.title, text="Same text."
        )

    assert DocumentVersion.objects.count() == 1


def test_mission_publish_links_the_consultation_that_informed_it(staff_user):
    from tests.governance.consultations.factories import consultation_with_options

    consultation = consultation_with_options(sections=1)
    services.mission_publish(actor=staff_user, title="Draft", text="Draft mission.")

    revised = services.mission_publish(
        actor=staff_user, title="Revised", text="Revised mission.", consultation=consultation
    )

    assert revised.number == 2 and revised.consultation == consultation
    assert revised.document.body is None and revised.document.kind == Document.Kind.MISSION


def test_mission_publish_refuses_a_draft_consultation(staff_user):
    from tests.governance.consultations.factories import consultation_with_options

    draft = consultation_with_options(sections=1, is_published=False)

    with pytest.raises(ValidationError) as error:
        services.mission_publish(actor=staff_user, title="Revised", text="Revised.", consultation=draft)

    assert "consultation" in error.value.message_dict
    assert not DocumentVersion.objects.exists()


def test_ground_rules_of_two_bodies_are_numbered_apart(staff_user):
    one, other = publish_ground_rules(staff_user), publish_ground_rules(staff_user)

    assert one.number == other.number == 1
    assert one.document_id != other.document_id


# ---------------------------------------------------------------- decisions


def _decision(actor, body=None, **overrides):
    fields = {
        "body": body or BodyFactory(),
        "text": "The committee adopts its ground rules.",
        "decided_on": datetime.date(2011, 1, 21),
        "method": Decision.Method.CONSENSUS,
        "visibility": Decision.Visibility.PUBLIC,
    }
    return services.decision_record(actor=actor, **(fields | overrides))


def test_decision_record_saves_a_vote_with_its_figures_and_history(staff_user):
    decision = _decision(
        staff_user,
        method=VOTE,
        votes_for=7,
        votes_against=0,
        votes_abstain=2,
        translations={"fr": {"text": "Oui."}},
    )

    decision.refresh_from_db()
    assert (decision.votes_for, decision.votes_against, decision.votes_abstain) == (7, 0, 2)
    assert decision.recorded_by == staff_user
    row = decision.history.get()
    assert (row.history_user, row.history_change_reason) == (staff_user, "Decision recorded")


def test_decision_update_changes_it_and_adds_a_history_row(staff_user):
    decision = _decision(staff_user)

    services.decision_update(
        actor=staff_user,
        decision=decision,
        text="By the chair, in the end.",
        decided_on=decision.decided_on,
        method=Decision.Method.CHAIR,
        visibility=Decision.Visibility.MEMBERS,
    )

    decision.refresh_from_db()
    assert decision.method == Decision.Method.CHAIR and decision.is_members_only
    assert decision.history.count() == 2
    assert decision.history.first().history_change_reason == "Decision changed"


def test_decision_record_refuses_a_member(member):
    with pytest.raises(PermissionDenied):
        _decision(member.user)
    assert not Decision.objects.exists()


def test_decision_update_refuses_a_member(staff_user, member):
    decision = _decision(staff_user)

    with pytest.raises(PermissionDenied):
        services.decision_update(
            actor=member.user,
            decision=decision,
            text="Changed",
            decided_on=decision.decided_on,
            method=decision.method,
            visibility=decision.visibility,
        )
    decision.refresh_from_db()
    assert decision.text == "The committee adopts its ground rules."


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"method": VOTE}, "votes_for"),
        ({"method": VOTE, "votes_for": 3, "votes_against": 1}, "votes_abstain"),
        ({"method": VOTE, "votes_for": -1, "votes_against": 1, "votes_abstain": 0}, "votes_for"),
        ({"method": VOTE, "votes_for": True, "votes_against": 1, "votes_abstain": 0}, "votes_for"),
        ({"method": Decision.Method.CONSENSUS, "votes_for": 3}, "method"),
        ({"text": "  "}, "text"),
        ({"decided_on": timezone.localdate() + datetime.timedelta(days=1)}, "decided_on"),
    ],
)
def test_decision_record_refuses_bad_input_and_saves_nothing(staff_user, overrides, field):
    with pytest.raises(ValidationError) as error:
        _decision(staff_user, **overrides)

    assert field in error.value.message_dict
    assert not Decision.objects.exists()
