"""Whether a slate may go further: the one place that says what stops it.

``slate_problems(slate)`` lists, in the reader's language, everything that keeps a slate from
going to endorsement: each composition rule of the target body that its nominees fail
(``governance.bodies.services.composition``), each nominee who has not accepted, and a slate with
no nominees. The slate page shows the list as nominees come and go; ``window_open`` refuses a
slate while the list is not empty, whatever is posted.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from governance.bodies.services.composition import composition_failures
from governance.slates.models import Nominee, Slate


@dataclass(frozen=True)
class Problem:
    """What stops a slate: ``code`` is "rule:<Body field>", "not_accepted" or "empty"."""

    code: str
    message: str

    def __str__(self):
        return self.message


def slate_nominees(slate: Slate) -> list[Nominee]:
    """The slate's nominees with what the checker and the pages read, joined (one query)."""
    return list(
        slate.nominees.select_related(
            "member__organisation", "member__sector__chamber", "member__sub_chamber", "seat"
        ).order_by("id")
    )


def slate_problems(slate: Slate, nominees: list[Nominee] | None = None) -> list[Problem]:
    """Everything that keeps ``slate`` from endorsement; empty when it may go (see the module)."""
    nominees = slate_nominees(slate) if nominees is None else nominees
    if not nominees:
        return [Problem("empty", _("The slate has no nominees yet."))]
    problems = [
        Problem(f"rule:{failure.rule}", failure.message)
        for failure in composition_failures(
            body=slate.body,
            nominees=[n.member for n in nominees if not (n.seat_id and n.seat.is_permanent)],
        )
    ]
    for nominee in nominees:
        if nominee.status != Nominee.Status.ACCEPTED:
            problems.append(
                Problem(
                    "not_accepted",
                    _("%(name)s has not accepted the nomination (%(answer)s).")
                    % {"name": nominee.member.full_name, "answer": nominee.get_status_display()},
                )
            )
    return problems
