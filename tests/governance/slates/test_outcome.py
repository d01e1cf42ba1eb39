"""The outcome of an endorsement window is a pure function of the figures and the rule."""

from decimal import Decimal
from fractions import Fraction

import pytest

from governance.slates.outcome import ChamberFigures, Reason, Rule, outcome_compute

THRESHOLD, EVERY = Rule.OBJECTION_THRESHOLD, Rule.MAJORITY_EVERY_CHAMBER


def figures(chamber, eligible, endorsements=0, objections=0, abstentions=0):
    return ChamberFigures(chamber, eligible, endorsements, objections, abstentions)


def test_threshold_endorses_when_objections_stay_under_one_third():
    outcome = outcome_compute(rule=THRESHOLD, chambers=[figures("a", 10, 5, 2, 2), figures("b", 5, 1, 1)])

    assert outcome.endorsed and outcome.reason == Reason.ENDORSED
    assert (outcome.totals.eligible, outcome.totals.answers, outcome.totals.objections) == (15, 11, 3)


def test_threshold_refuses_when_objections_reach_exactly_one_third_of_the_answers():
    # 3 objections of 9 answers (abstentions count as answers): exactly one third.
    outcome = outcome_compute(rule=THRESHOLD, chambers=[figures("a", 20, 4, 3, 2)])

    assert not outcome.endorsed and outcome.reason == Reason.OBJECTIONS_REACHED_THRESHOLD


def test_threshold_takes_another_share_exactly():
    chambers = [figures("a", 20, 6, 4)]  # 4 of 10: 40 %
    assert outcome_compute(rule=THRESHOLD, chambers=chambers, objection_share="1/2").endorsed
    assert not outcome_compute(rule=THRESHOLD, chambers=chambers, objection_share=Decimal("0.4")).endorsed


def test_threshold_needs_the_minimum_turnout():
    chambers = [figures("a", 100, 24), figures("b", 0)]  # 24 % turnout

    low = outcome_compute(rule=THRESHOLD, chambers=chambers, min_turnout=Fraction(1, 4))
    enough = outcome_compute(rule=THRESHOLD, chambers=chambers, min_turnout=Fraction(6, 25))

    assert (low.endorsed, low.reason) == (False, Reason.TURNOUT_TOO_LOW)
    assert enough.endorsed


def test_nobody_answering_endorses_nothing_even_without_a_minimum_turnout():
    outcome = outcome_compute(rule=THRESHOLD, chambers=[figures("a", 10)])
    assert (outcome.endorsed, outcome.reason) == (False, Reason.TURNOUT_TOO_LOW)


def test_every_chamber_needs_more_endorsements_than_objections_in_each():
    chambers = [figures("gov", 10, 6, 1), figures("miners", 10, 3, 3, 2), figures("civil", 10, 5, 4)]

    outcome = outcome_compute(rule=EVERY, chambers=chambers)

    assert (outcome.endorsed, outcome.reason, outcome.failing_chambers) == (
        False,
        Reason.NO_MAJORITY_IN_A_CHAMBER,
        ("miners",),
    )
    chambers[1] = figures("miners", 10, 4, 3, 2)
    assert outcome_compute(rule=EVERY, chambers=chambers).endorsed


def test_every_chamber_names_the_chambers_below_the_minimum_turnout_and_ignores_empty_ones():
    chambers = [figures("gov", 10, 6), figures("miners", 10, 1), figures("donors", 0)]

    outcome = outcome_compute(rule=EVERY, chambers=chambers, min_turnout="1/5")

    assert (outcome.reason, outcome.failing_chambers) == (Reason.CHAMBER_TURNOUT_TOO_LOW, ("miners",))


def test_no_audience_endorses_nothing():
    assert outcome_compute(rule=EVERY, chambers=[]).reason == Reason.NO_AUDIENCE


def test_the_same_figures_in_any_order_give_the_same_outcome():
    chambers = [figures("b", 4, 1, 2), figures("a", 3, 3)]
    assert outcome_compute(rule=THRESHOLD, chambers=chambers) == outcome_compute(
        rule=THRESHOLD, chambers=list(reversed(chambers))
    )


@pytest.mark.parametrize(
    "bad",
    [
        dict(chamber="a", eligible=-1),
        dict(chamber="a", eligible=2, endorsements=3),
        dict(chamber="a", eligible=2, objections=1.5),
        dict(chamber="a", eligible=True),
    ],
)
def test_impossible_figures_are_refused(bad):
    with pytest.raises(ValueError):
        ChamberFigures(**bad)


def test_unknown_rules_and_shares_out_of_range_are_refused():
    with pytest.raises(ValueError):
        outcome_compute(rule="plurality", chambers=[])
    with pytest.raises(ValueError):
        outcome_compute(rule=THRESHOLD, chambers=[], objection_share=0)
    with pytest.raises(ValueError):
        outcome_compute(rule=THRESHOLD, chambers=[], min_turnout="3/2")
