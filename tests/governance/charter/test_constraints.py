"""The database holds the rules even for writes that bypass the services."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from governance.charter import selectors
from governance.charter.models import Decision, Document
from tests.governance.bodies.factories import BodyFactory
from tests.governance.charter.factories import publish_mission

pytestmark = pytest.mark.django_db


def _bare_decision(**fields):
    return Decision(
        body=BodyFactory(), text="x", decided_on=datetime.date(2011, 1, 1), method="consensus", **fields
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"method": "vote"},
        {"method": "vote", "votes_for": 1, "votes_against": 1},
        {"method": "consensus", "votes_for": 3, "votes_against": 0, "votes_abstain": 0},
    ],
)
def test_figures_must_match_the_method_in_the_database(fields):
    decision = _bare_decision()
    for name, value in fields.items():
        setattr(decision, name, value)

    with pytest.raises(IntegrityError), transaction.atomic():
        decision.save()


def test_one_mission_and_no_ground_rules_without_a_body():
    Document.objects.create(kind=Document.Kind.MISSION)

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(kind=Document.Kind.MISSION)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(kind=Document.Kind.GROUND_RULES)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(kind=Document.Kind.MISSION, body=BodyFactory())


def test_the_changes_are_shown_in_the_readers_language_when_both_versions_are_translated(staff_user):
    from governance.charter import services

    older = publish_mission(staff_user, text="Reduce poverty.")
    newer = services.mission_publish(
        actor=staff_user,
        title="Mission",
        text="End poverty.",
        translations={"fr": {"text": "Mettre fin à la pauvreté."}},
    )

    with translation.override("fr"):
        untranslated_older, _ = selectors.version_diff(older, newer, language="fr")
    services.mission_publish(
        actor=staff_user,
        title="Mission",
        text="End poverty now.",
        translations={"fr": {"text": "Mettre fin à la pauvreté maintenant."}},
    )
    latest = selectors.version_list_for(newer.document).first()
    french, _ = selectors.version_diff(newer, latest, language="fr")

    assert "Reduce" in untranslated_older  # the older one has no French: both originals compared
    assert "maintenant.</ins>" in french and "pauvreté" in french
