"""The outcome of an endorsement window: a pure function of the answers and the window's rule.

Nothing here reads the database or the clock, so the count can be unit-tested rule by rule and
recomputed by anyone from the published figures. The service that closes a window gathers the
figures per chamber (``ChamberFigures``), calls ``outcome_compute`` once, and records the result.

The rules (``Rule``):

- ``objection_threshold``: the slate is endorsed unless objections reach a share of the answers
  (one third by default: ``objections * 3 >= answers``), provided turnout, the answers over the
  members entitled to answer, reaches the window's minimum.
- ``majority_every_chamber``: the slate is endorsed when, in every chamber that has members in
  the audience, more members endorsed than objected and that chamber's turnout reaches the minimum.

Abstentions count as answers (towards turnout and towards the share that objections must reach)
but neither for nor against. Shares are exact fractions, never floats.
"""

from dataclasses import dataclass, field
from fractions import Fraction


class Rule:
    OBJECTION_THRESHOLD = "objection_threshold"
    MAJORITY_EVERY_CHAMBER = "majority_every_chamber"

    ALL = (OBJECTION_THRESHOLD, MAJORITY_EVERY_CHAMBER)


class Reason:
    """Why a slate was, or was not, endorsed: stable codes, turned into sentences by the pages."""

    ENDORSED = "endorsed"
    OBJECTIONS_REACHED_THRESHOLD = "objections_reached_threshold"
    TURNOUT_TOO_LOW = "turnout_too_low"
    NO_MAJORITY_IN_A_CHAMBER = "no_majority_in_a_chamber"
    CHAMBER_TURNOUT_TOO_LOW = "chamber_turnout_too_low"
    NO_AUDIENCE = "no_audience"


@dataclass(frozen=True)
class ChamberFigures:
    """One chamber's figures: members entitled to answer, and the answers of each kind."""

    chamber: str
    eligible: int
    endorsements: int = 0
    objections: int = 0
    abstentions: int = 0

    def __post_init__(self):
        for name in ("eligible", "endorsements", "objections", "abstentions"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number, not {value!r}")
        if self.answers > self.eligible:
            raise ValueError(f"{self.chamber}: {self.answers} answers from {self.eligible} members")

    @property
    def answers(self) -> int:
        return self.endorsements + self.objections + self.abstentions

    @property
    def turnout(self) -> Fraction:
        return Fraction(self.answers, self.eligible) if self.eligible else Fraction(0)


@dataclass(frozen=True)
class Outcome:
    endorsed: bool
    reason: str
    totals: ChamberFigures
    chambers: tuple[ChamberFigures, ...]
    failing_chambers: tuple[str, ...] = field(default=())


def _totals(chambers) -> ChamberFigures:
    return ChamberFigures(
        chamber="",
        eligible=sum(c.eligible for c in chambers),
        endorsements=sum(c.endorsements for c in chambers),
        objections=sum(c.objections for c in chambers),
        abstentions=sum(c.abstentions for c in chambers),
    )


def outcome_compute(
    *,
    rule: str,
    chambers: list[ChamberFigures],
    objection_share: Fraction = Fraction(1, 3),
    min_turnout: Fraction = Fraction(0),
) -> Outcome:
    """The outcome of a window under ``rule`` (see the module's docstring).

    ``objection_share`` and ``min_turnout`` are fractions between 0 and 1 (a ``Fraction``, or
    anything ``Fraction`` accepts exactly, such as ``"1/3"`` or ``Decimal("0.25")``).
    """
    if rule not in Rule.ALL:
        raise ValueError(f"unknown rule {rule!r}")
    objection_share, min_turnout = Fraction(objection_share), Fraction(min_turnout)
    if not 0 < objection_share <= 1 or not 0 <= min_turnout <= 1:
        raise ValueError("shares are between 0 and 1")
    chambers = tuple(sorted(chambers, key=lambda c: c.chamber))
    totals = _totals(chambers)

    def result(endorsed, reason, failing=()):
        return Outcome(endorsed, reason, totals, chambers, tuple(failing))

    if totals.eligible == 0:
        return result(False, Reason.NO_AUDIENCE)
    if rule == Rule.OBJECTION_THRESHOLD:
        if totals.turnout < min_turnout:
            return result(False, Reason.TURNOUT_TOO_LOW)
        if totals.answers and Fraction(totals.objections, totals.answers) >= objection_share:
            return result(False, Reason.OBJECTIONS_REACHED_THRESHOLD)
        if not totals.answers:  # a minimum turnout of 0 and nobody answered: nothing to endorse with
            return result(False, Reason.TURNOUT_TOO_LOW)
        return result(True, Reason.ENDORSED)
    # Rule.MAJORITY_EVERY_CHAMBER: every chamber with members must carry it.
    present = [c for c in chambers if c.eligible]
    low = [c.chamber for c in present if c.turnout < min_turnout or not c.answers]
    if low:
        return result(False, Reason.CHAMBER_TURNOUT_TOO_LOW, low)
    against = [c.chamber for c in present if c.endorsements <= c.objections]
    if against:
        return result(False, Reason.NO_MAJORITY_IN_A_CHAMBER, against)
    return result(True, Reason.ENDORSED)
