"""Factories for consultations and responses."""

import datetime

import factory
from django.utils import timezone

from governance.consultations.models import (
    Consultation,
    ConsultationOption,
    ConsultationSection,
    ExtensionRequest,
    OptionPreference,
    Response,
    SectionAnswer,
)
from tests.network.factories import MemberFactory


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A published consultation, open from yesterday for two weeks, for all active members."""

    class Meta:
        model = Consultation

    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = factory.Sequence(lambda n: f"Options paper {n}")
    introduction = "Please tell us which options you prefer, and why."
    audience = Consultation.Audience.ALL_ACTIVE
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    time_zone = "America/New_York"
    is_published = True


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationSection

    consultation = factory.SubFactory(ConsultationFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Section {n}")
    body = "Read the options below."
    mode = ConsultationSection.Mode.RANK


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationOption

    section = factory.SubFactory(SectionFactory)
    code = factory.Sequence(lambda n: f"O{n}")
    title = factory.Sequence(lambda n: f"Option {n}")
    order = factory.Sequence(lambda n: n)


def consultation_with_options(*, sections: int = 2, options: int = 3, **kwargs) -> Consultation:
    """A consultation with ``sections`` ranked sections of ``options`` options each (codes A, B, C…)."""
    consultation = ConsultationFactory(**kwargs)
    for s in range(sections):
        section = SectionFactory(consultation=consultation, order=s, title=f"Section {s + 1}")
        for o in range(options):
            OptionFactory(
                section=section, code=chr(ord("A") + o), title=f"Option {chr(ord('A') + o)}", order=o
            )
    return consultation


def submitted_response(
    consultation, member=None, *, ranks: dict | None = None, rationale="Because.", **kwargs
):
    """A submitted response; ``ranks`` maps option → rank (default: first option of each section, rank 1)."""
    member = member or MemberFactory()
    response = Response.objects.create(
        consultation=consultation,
        member=member,
        status=Response.Status.SUBMITTED,
        submitted_at=timezone.now(),
        chamber=member.sector.chamber,
        sector=member.sector,
        country=member.country,
        org_type=member.organisation.org_type if member.organisation else "",
        **kwargs,
    )
    if ranks is None:
        ranks = {
            section.options.first(): 1 for section in consultation.sections.all() if section.options.exists()
        }
    sections = {option.section_id for option in ranks}
    for section_id in sections:
        SectionAnswer.objects.create(response=response, section_id=section_id, rationale=rationale)
    for option, rank in ranks.items():
        OptionPreference.objects.create(
            response=response, option=option, section_id=option.section_id, rank=rank
        )
    return response


class ExtensionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExtensionRequest

    consultation = factory.SubFactory(ConsultationFactory)
    member = factory.SubFactory(MemberFactory)
    reason = "Our board meets after the deadline."
