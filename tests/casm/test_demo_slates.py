"""The demo follows §1: the committee's slate endorsed by email, constituted, a chair, a task group."""

import pytest
from django.core.management import call_command

from casm.demo_slates import demo_slates
from governance.bodies.models import Body, Seat
from governance.slates.models import ChairChoice, EndorsementAnswer, Nominee, Slate, TaskGroup
from network.models import User


@pytest.mark.django_db
def test_demo_committee_is_endorsed_constituted_chaired_and_its_task_group_consults():
    call_command("load_demo", verbosity=0)
    slate = Slate.objects.get(body__slug="interim-steering-committee")

    assert slate.status == Slate.Status.CONSTITUTED
    assert slate.nominees.filter(status=Nominee.Status.ACCEPTED).count() == slate.nominees.count() == 9
    window = slate.window
    assert window.outcome == window.Outcome.ENDORSED and window.closes_at < window.outcome_computed_at
    chambers_answering = {row["chamber_id"] for row in window.outcome_figures["chambers"] if row["answers"]}
    assert len(chambers_answering) == Body.objects.get(slug="interim-steering-committee").seats.exclude(
        chamber=None
    ).values("chamber").distinct().count()
    assert EndorsementAnswer.objects.filter(window=window, choice="object").exists()
    committee = slate.body
    held = committee.seats.exclude(holder=None)
    assert held.count() == 9 and held.filter(role=Seat.Role.CHAIR).count() == 1
    assert ChairChoice.objects.get(body=committee).method == ChairChoice.Method.VOTE
    group = TaskGroup.objects.get(body__slug="asm-issue-analysis-task-group")
    assert group.body.parent == committee and group.body.seats.exclude(holder=None).count() == 3
    assert group.consultation.is_published

    demo_slates(staff=User.objects.get(email="secretariat@casm.example"))  # loading twice
    assert Slate.objects.count() == 1 and TaskGroup.objects.count() == 1
