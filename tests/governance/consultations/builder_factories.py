"""Helpers for the tests of the secretariat's consultation pages: draft responses, answered options."""

import datetime

from governance.consultations.models import OptionPreference, Response, SectionAnswer, UnclearFlag
from tests.network.factories import MemberFactory


def draft_response(consultation, member=None, *, prefer=None, unclear=None, rationale="") -> Response:
    """A draft response; ``prefer`` is a list of options ranked 1, 2…; ``unclear`` options flagged."""
    member = member or MemberFactory()
    response = Response.objects.create(
        consultation=consultation,
        member=member,
        status=Response.Status.DRAFT,
        chamber=member.sector.chamber,
        sector=member.sector,
        country=member.country,
    )
    for rank, option in enumerate(prefer or [], start=1):
        OptionPreference.objects.create(
            response=response, option=option, section_id=option.section_id, rank=rank
        )
    for option in unclear or []:
        UnclearFlag.objects.create(response=response, option=option, text="What does this cost?")
    if rationale and prefer:
        SectionAnswer.objects.create(response=response, section_id=prefer[0].section_id, rationale=rationale)
    return response


def local(value: str):
    """'2010-12-10T23:59' as a naive datetime: what staff type in a datetime-local field."""
    return datetime.datetime.fromisoformat(value)
