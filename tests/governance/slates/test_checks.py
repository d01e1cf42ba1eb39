"""What stops a slate: the body's composition rules, nominees who have not accepted, no nominees."""

import pytest

from governance.slates.models import Nominee
from governance.slates.services.checks import slate_problems
from tests.governance.slates.factories import NomineeFactory, SlateFactory
from tests.network.factories import MemberFactory

pytestmark = pytest.mark.django_db
ACCEPTED = Nominee.Status.ACCEPTED


def test_an_empty_slate_cannot_go_further():
    assert [p.code for p in slate_problems(SlateFactory())] == ["empty"]


def test_each_failing_rule_and_each_nominee_who_has_not_accepted_is_named():
    slate = SlateFactory(body__max_per_country=1, body__max_size=5)
    first = NomineeFactory(
        slate=slate, member=MemberFactory(full_name="Ama Mensah", country="GH"), status=ACCEPTED
    )
    NomineeFactory(slate=slate, member=MemberFactory(full_name="Kofi Boateng", country="GH"))

    problems = slate_problems(slate)

    assert [p.code for p in problems] == ["rule:max_per_country", "not_accepted"]
    assert problems[1].message == "Kofi Boateng has not accepted the nomination (Not answered yet)."
    assert first.member.full_name not in problems[1].message


def test_a_slate_that_meets_the_rules_with_everyone_accepted_may_go(django_assert_num_queries):
    slate = SlateFactory(body__max_per_country=2, body__min_size=2)
    for country in ("GH", "PE"):
        NomineeFactory(slate=slate, member=MemberFactory(country=country), status=ACCEPTED)

    with django_assert_num_queries(1):  # the nominees, joined (the body is already loaded)
        assert slate_problems(slate) == []
