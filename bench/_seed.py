"""Seeding shared by the benchmarks: members, an options paper with its responses, the accounts.

Each benchmark seeds rows of its own, named after its ``BenchNames`` (addresses ending in its domain,
slugs, chamber and sector codes starting with its prefix, organisations named after its label), and
``clear_bench_rows`` removes those rows only: benchmarks run one after the other on one database
leave each other's rows alone.
"""

import datetime
import random
from dataclasses import dataclass

COUNTRIES = ["GH", "ML", "BF", "CD", "TZ", "PE", "CO", "BO", "MN", "PH", "ID", "ZM"]
SECTIONS = 4
OPTIONS = 5
WORDS = [
    *("network", "knowledge", "miners", "services", "fund", "transparency", "community", "benefit"),
    *("governance", "chamber", "roster", "experts", "pilot", "country", "roadmap", "donors"),
    *("accountability", "training", "finance", "markets"),
]


@dataclass(frozen=True)
class BenchNames:
    """How a benchmark's rows are named: ``domain`` ends its addresses ("@bench-consultation.invalid"),
    ``prefix`` starts its slugs and codes ("bench-consultation"), ``label`` starts its organisations',
    chambers' and sectors' names ("Bench consultation")."""

    domain: str
    prefix: str
    label: str

    @property
    def committee_email(self) -> str:
        return f"committee{self.domain}"

    @property
    def respondent_email(self) -> str:
        return f"respondent{self.domain}"


def clear_bench_rows(names: BenchNames) -> None:
    """Remove what an earlier run left (only rows of this benchmark), without signals or history."""
    from governance.consultations.models import (
        Consultation,
        ConsultationOption,
        ConsultationSection,
        OptionPreference,
        ProposedOption,
        ReminderOptOut,
        ReminderSent,
        Response,
        SectionAnswer,
        UnclearFlag,
    )
    from network.models import Member, Membership, Organisation, User

    consultations = Consultation.objects.filter(slug__startswith=names.prefix)
    responses = Response.objects.filter(consultation__slug__startswith=names.prefix)
    members = Member.objects.filter(email__endswith=names.domain)
    for queryset in (
        OptionPreference.objects.filter(response__in=responses.values("pk")),
        UnclearFlag.objects.filter(response__in=responses.values("pk")),
        ProposedOption.objects.filter(response__in=responses.values("pk")),
        SectionAnswer.objects.filter(response__in=responses.values("pk")),
        Response.history.model.objects.filter(consultation__slug__startswith=names.prefix),
        responses,
        ReminderSent.objects.filter(consultation__slug__startswith=names.prefix),
        ReminderOptOut.objects.filter(consultation__slug__startswith=names.prefix),
        Consultation.invitees.through.objects.filter(consultation__slug__startswith=names.prefix),
        Consultation.chambers.through.objects.filter(consultation__slug__startswith=names.prefix),
        ConsultationOption.objects.filter(section__consultation__slug__startswith=names.prefix),
        ConsultationSection.objects.filter(consultation__slug__startswith=names.prefix),
        consultations,
        Membership.objects.filter(member__email__endswith=names.domain),
        members,
        Organisation.objects.filter(name__startswith=f"{names.label} "),
    ):
        queryset._raw_delete(queryset.db)
    # Accounts go through the ORM: sessions, groups, MFA and allauth rows hang off them (a few only).
    User.objects.filter(email__endswith=names.domain).delete()


def reference_data(names: BenchNames) -> list:
    """Four chambers and five sectors between them, as the options paper has, the bench's own."""
    from network.models import Chamber, Sector

    sectors = []
    for index in range(5):
        chamber, _created = Chamber.objects.get_or_create(
            code=f"{names.prefix}-chamber-{index % 4}",
            defaults={"name": f"{names.label} chamber {index % 4}", "order": 80 + index % 4},
        )
        sector, _created = Sector.objects.get_or_create(
            code=f"{names.prefix}-sector-{index}",
            defaults={"name": f"{names.label} sector {index}", "chamber": chamber, "order": 80 + index},
        )
        sectors.append(sector)
    return sectors


def active_memberships_create(members: list, *, now, today) -> None:
    """An active membership for a year for each of ``members`` (already saved), in bulk."""
    from network.models import Membership

    Membership.objects.bulk_create(
        [
            Membership(
                member=member,
                status=Membership.Status.ACTIVE,
                applied_at=now,
                status_changed_at=now,
                term_start=today,
                term_end=today + datetime.timedelta(days=365),
            )
            for member in members
        ],
        batch_size=2000,
    )


def seed_members(names: BenchNames, count: int, sectors: list, rng: random.Random) -> list:
    """``count`` active members, one organisation per ten, in bulk; returns them with their sector."""
    from django.utils import timezone

    from network.models import Member, Organisation

    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{names.label} organisation {n}",
                org_type=rng.choice(Organisation.Type.values),
                country=COUNTRIES[n % len(COUNTRIES)],
                is_fictional=True,
            )
            for n in range(max(1, count // 10))
        ],
        batch_size=2000,
    )
    now = timezone.now()
    today = timezone.localdate()
    members = []
    for start in range(0, count, 2000):
        batch = []
        for n in range(start, min(count, start + 2000)):
            organisation = organisations[n % len(organisations)]
            batch.append(
                Member(
                    full_name=f"Consulted Person {n}",
                    email=f"consulted{n}{names.domain}",
                    organisation=organisation,
                    country=organisation.country,
                    sector=sectors[n % len(sectors)],
                    languages=["en"],
                    is_fictional=True,
                )
            )
        Member.objects.bulk_create(batch, batch_size=2000)
        active_memberships_create(batch, now=now, today=today)
        members.extend(batch)
    return members


def make_consultation(slug: str, *, closes_in: datetime.timedelta):
    """A published consultation for named invitees: 4 sections × 5 options (the third is picked)."""
    from django.utils import timezone

    from governance.consultations.models import Consultation, ConsultationOption, ConsultationSection

    now = timezone.now()
    consultation = Consultation.objects.create(
        slug=slug,
        title=f"Bench options paper ({slug})",
        introduction="Which options do you prefer, and why?",
        audience=Consultation.Audience.INVITEES,
        opens_at=now - datetime.timedelta(days=20),
        closes_at=now + closes_in,
        time_zone="America/New_York",
        reminder_offsets=[7, 1],
        is_published=True,
    )
    for s in range(SECTIONS):
        section = ConsultationSection.objects.create(
            consultation=consultation,
            order=s,
            title=f"Section {s + 1}",
            body="Read the options below. " * 20,
            mode=ConsultationSection.Mode.PICK if s == 2 else ConsultationSection.Mode.RANK,
        )
        ConsultationOption.objects.bulk_create(
            [
                ConsultationOption(
                    section=section,
                    code=chr(ord("A") + o),
                    title=f"Option {chr(ord('A') + o)} of section {s + 1}",
                    description="What this option would do, for whom, at what cost. " * 5,
                    order=o,
                )
                for o in range(OPTIONS)
            ]
        )
    return consultation


def invite(consultation, members: list) -> None:
    from governance.consultations.models import Consultation

    through = Consultation.invitees.through
    through.objects.bulk_create(
        [through(consultation_id=consultation.pk, member_id=member.pk) for member in members], batch_size=5000
    )


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def seed_responses(consultation, members: list, sectors_by_id: dict, rng: random.Random) -> None:
    """A submitted response per member with rankings, rationale, some unclear flags and proposals."""
    from django.utils import timezone

    from governance.consultations.models import (
        ConsultationSection,
        OptionPreference,
        ProposedOption,
        Response,
        SectionAnswer,
        UnclearFlag,
    )

    sections = list(consultation.sections.order_by("order").prefetch_related("options"))
    options = {section.pk: list(section.options.order_by("order")) for section in sections}
    now = timezone.now()
    for start in range(0, len(members), 2000):
        batch = members[start : start + 2000]
        responses = Response.objects.bulk_create(
            [
                Response(
                    consultation=consultation,
                    member=member,
                    status=Response.Status.SUBMITTED,
                    submitted_at=now - datetime.timedelta(minutes=rng.randint(1, 60 * 24 * 18)),
                    is_public=rng.random() < 0.2,
                    general_comments=_sentence(rng, 30) if index == 0 or rng.random() < 0.2 else "",
                    chamber_id=sectors_by_id[member.sector_id].chamber_id,
                    sector_id=member.sector_id,
                    country=member.country,
                    org_type=member.organisation.org_type if member.organisation else "",
                )
                for index, member in enumerate(batch)
            ],
            batch_size=2000,
        )
        answers, preferences, flags, proposals = [], [], [], []
        for index, response in enumerate(responses):
            # The first of each batch says everything, so every kind of text exists from the start.
            full = index == 0
            for section in sections:
                if not full and rng.random() < 0.05:
                    continue  # some leave a section out
                choices = options[section.pk]
                if section.mode == ConsultationSection.Mode.PICK:
                    picked = rng.sample(choices, rng.randint(1, 2))
                    ranks = [(option, 1) for option in picked]
                else:
                    picked = rng.sample(choices, rng.randint(1, 4))
                    ranks = [(option, rank) for rank, option in enumerate(picked, start=1)]
                preferences.extend(
                    OptionPreference(response=response, option=option, section=section, rank=rank)
                    for option, rank in ranks
                )
                answers.append(
                    SectionAnswer(response=response, section=section, rationale=_sentence(rng, 35))
                )
                if full or rng.random() < 0.05:
                    flags.append(
                        UnclearFlag(response=response, option=rng.choice(choices), text=_sentence(rng, 15))
                    )
                if full or rng.random() < 0.02:
                    proposals.append(
                        ProposedOption(
                            response=response,
                            section=section,
                            title=_sentence(rng, 4),
                            description=_sentence(rng, 25),
                        )
                    )
        SectionAnswer.objects.bulk_create(answers, batch_size=5000)
        OptionPreference.objects.bulk_create(preferences, batch_size=5000)
        UnclearFlag.objects.bulk_create(flags, batch_size=5000)
        ProposedOption.objects.bulk_create(proposals, batch_size=5000)


def accounts(names: BenchNames, respondent_member):
    """A committee member's account (with TOTP) and the account of an invitee who has not responded yet."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from casm import roles
    from network.models import Member, User

    committee = User.objects.create_user(email=names.committee_email, password="bench")
    committee.groups.add(Group.objects.get(name=roles.COMMITTEE))
    TOTP.activate(committee, generate_totp_secret())  # reading individual responses needs a second factor
    respondent = User.objects.create_user(email=names.respondent_email, password="bench")
    Member.objects.filter(pk=respondent_member.pk).update(user=respondent)
    return committee, respondent


def seeded_models() -> list:
    """The models whose tables the seeding fills in bulk (see bench._common.refresh_statistics)."""
    from governance.consultations.models import (
        Consultation,
        OptionPreference,
        ProposedOption,
        Response,
        SectionAnswer,
        UnclearFlag,
    )
    from network.models import Member, Membership, Organisation

    answers = [Response, OptionPreference, SectionAnswer, UnclearFlag, ProposedOption]
    return [*answers, Consultation.invitees.through, Member, Membership, Organisation]
