import pytest
from django.core.management import call_command

from casm.demo_charter import demo_charter
from governance.charter.models import Decision, Document, DocumentVersion
from network.models import User


@pytest.mark.django_db
def test_demo_has_ground_rules_decisions_and_a_revised_mission_and_reloads_without_duplicates():
    call_command("load_demo", verbosity=0)
    counts = (DocumentVersion.objects.count(), Decision.objects.count(), Document.objects.count())
    demo_charter(staff=User.objects.get(email="secretariat@casm.example"))

    assert (DocumentVersion.objects.count(), Decision.objects.count(), Document.objects.count()) == counts
    rules = DocumentVersion.objects.filter(document__body__slug="interim-steering-committee").order_by(
        "number"
    )
    assert [v.number for v in rules] == [1, 2]
    first, revised = DocumentVersion.objects.filter(document__kind=Document.Kind.MISSION).order_by("number")
    assert "Draft CASM mission" in first.text and first.consultation is None
    assert revised.consultation.slug == "casm-options-paper-2010"
    assert revised.published_at.date().isoformat() > "2010-12-10"
    decisions = Decision.objects.filter(body__slug="interim-steering-committee")
    assert set(decisions.values_list("method", flat=True)) == {"consensus", "vote", "chair"}
    assert decisions.filter(visibility=Decision.Visibility.MEMBERS).count() == 1
    vote = decisions.get(method=Decision.Method.VOTE)
    assert (vote.votes_for, vote.votes_against, vote.votes_abstain) == (7, 1, 1)
