"""Demo consultations: the 2010 options paper put to the network, with fictional responses.

One copy closed on 10 December 2010 (the paper's feedback deadline) with a few hundred
responses spread over the chambers, so the analysis has something to show; one copy open
until a date in the future, so anyone can try responding. Loading again changes nothing.
"""

import datetime
import random
import zoneinfo

from django.utils import timezone

from governance.consultations.models import (
    Consultation,
    ConsultationOption,
    ConsultationSection,
    OptionPreference,
    ProposedOption,
    Response,
    SectionAnswer,
    UnclearFlag,
)

ZONE = "America/New_York"  # RESOLVE, which ran the consultation, is in Washington D.C.

INTRODUCTION = """\
RESOLVE prepared this analysis of options for a revitalized Communities and Artisanal and
Small-scale Mining (CASM) program, governance system and structure, on behalf of stakeholders.
It is a tool to catalyze dialogue and work towards consensus; the options are meant to encourage
discussion rather than serve as final recommendations.

Please give **specific feedback on your preferred program, governance, delivery and housing
options** and **explain the rationale** for your preferences. Please also say **whether any
options are unclear**, and **share ideas for new or additional options**.
"""

# (title, mode, body, [(code, title, description)])
SECTIONS = [
    (
        "Mission, goals and strategies (Section 2)",
        ConsultationSection.Mode.COMMENT,
        "**Draft mission.** CASM is a multi-stakeholder organization that aims to reduce poverty and "
        "promote sustainable development, human rights, and the use of safe, responsible practices in "
        "countries where artisanal and small-scale mining is an important economic activity.\n\n"
        "**Key attributes:** mutual accountability; a global network of responsible small-scale miners "
        "linked to global stakeholders and experts; methods of collaboration, learning and in-country "
        "support.\n\n**Strategies:** networks; policy development and best practices; in-country "
        "solutions; market systems and incentives; capacity building; program response; cross-agency "
        "and donor coordination; evaluation and monitoring.\n\nComment on the draft mission, goals, "
        "strategies and five-year objectives.",
        [],
    ),
    (
        "Program options (Sections 3 and 4)",
        ConsultationSection.Mode.RANK,
        "Options A and B strengthen the current program; options C to F are new programs. "
        "Rank the options you would support, first choice first.",
        [
            (
                "A",
                "Strengthen the status quo (the current CASM network)",
                "A dedicated program director, modern collaborative web tools, the Knowledge Center, "
                "global and regional meetings, issue sub-groups, and a clearer affirmation of membership.",
            ),
            (
                "B",
                "Option A + experts roster",
                "Organize ASM experts into a searchable roster by region and area of expertise, for "
                "projects, consulting and training.",
            ),
            (
                "C",
                "In-country ASM services and tools",
                "Countries subscribe; donors and stakeholders design multi-year roadmaps with objectives "
                "agreed by key stakeholders and reviewed against them.",
            ),
            (
                "D",
                "CASM innovation and technical assistance fund",
                "Pooled donor funds seed a limited number of innovative projects, with access to experts.",
            ),
            (
                "E",
                "Community benefit services",
                "A service that designs and runs community benefit programs for companies, small "
                "operators and donors.",
            ),
            (
                "F",
                "ASM supply chain transparency platform",
                "A registration and reporting platform that keeps proprietary information confidential "
                "and is transparent on chain of custody and social, human-rights and environmental issues.",
            ),
        ],
    ),
    (
        "Governance options (Section 5)",
        ConsultationSection.Mode.RANK,
        "How should CASM make decisions, who makes them, and who is accountable for carrying them out?",
        [
            (
                "1",
                "Donor/stakeholder governed, volunteer emphasis",
                "Similar to the current model, with clarified roles; authority shared between the network, "
                "the host organization and a steering committee.",
            ),
            (
                "2",
                "Multi-sector, self perpetuation",
                "A founding board with permanent seats per sector that then selects its own replacements.",
            ),
            (
                "3",
                "Multi-sector, elected or selected",
                "Sectors organized into three or four chambers elect or select a board; members may ratify "
                "the board and major decisions.",
            ),
            (
                "4",
                "Outsourced, multi-sector advised",
                "Governance and program are contracted out to another, similar organization.",
            ),
        ],
    ),
    (
        "Delivery structure (Section 6)",
        ConsultationSection.Mode.RANK,
        "How should the program be organized to accomplish its objectives?",
        [
            ("1", "\u201cVolunteer\u201d model", "Reliance on working groups to execute programs."),
            (
                "2",
                "Staff delivery model",
                "Reliance on staff or consultants, overseen by a multi-sector team, to execute programs.",
            ),
            (
                "3",
                "Staff coordination model",
                "Multi-sector governance sets direction, staff coordinate and oversee delivery; execution "
                "happens where there is capacity.",
            ),
        ],
    ),
    (
        "Housing options (Section 7)",
        ConsultationSection.Mode.RANK,
        "Housing decisions should flow from choices on program, governance and structure.",
        [
            ("1", "The status quo", "In a public agency, the World Bank, or a similar institution."),
            ("2", "Part of another multi-party initiative", "For example EITI."),
            ("3", "In an NGO or member association", "Housed in an organization active on CASM issues."),
            ("4", "In a neutral secretariat", "Reinforces independence and a balance of interests."),
            ("5", "Hybrid model", "Well-defined roles and responsibilities shared between organizations."),
        ],
    ),
]

# Relative appeal of each option by chamber code (chambers: government, civil-society, asm, corporations).
WEIGHTS = {
    "Program options (Sections 3 and 4)": {
        "government": [3, 4, 6, 3, 2, 2],
        "civil-society": [2, 5, 5, 3, 4, 3],
        "asm": [4, 3, 6, 4, 3, 2],
        "corporations": [2, 4, 3, 3, 4, 6],
    },
    "Governance options (Section 5)": {
        "government": [3, 1, 6, 1],
        "civil-society": [2, 1, 7, 1],
        "asm": [3, 1, 5, 1],
        "corporations": [2, 2, 5, 2],
    },
    "Delivery structure (Section 6)": {
        "government": [1, 4, 5],
        "civil-society": [2, 3, 5],
        "asm": [3, 3, 4],
        "corporations": [1, 5, 5],
    },
    "Housing options (Section 7)": {
        "government": [5, 2, 1, 3, 3],
        "civil-society": [1, 2, 2, 6, 4],
        "asm": [2, 1, 3, 5, 3],
        "corporations": [3, 3, 1, 5, 4],
    },
}
RATIONALES = [
    "This builds on what already works and can start without waiting for new money.",
    "Miners need support on the ground, not only meetings; this brings CASM into the countries.",
    "Legitimacy comes from the chambers electing their representatives; it balances authority and buy-in.",
    "Companies and refiners are asking for credible data on ASM sources; this fills a real gap.",
    "A clear, central and accountable coordinator is what is missing today.",
    "Independence matters to us: a neutral host avoids the perception of capture by one interest.",
    "The roster would let governments find trusted expertise quickly.",
    "Pilots in two countries let us learn before a full commitment.",
]
COMMENTS = [
    "The mission should name mercury reduction explicitly.",
    "Add a goal on women in artisanal mining.",
    "The five-year objectives need numbers we can be held to.",
    "Mutual accountability should include the donors too.",
    "We support the draft mission as written.",
]
UNCLEAR = {
    "D": "How would pooled funds be governed, and who selects the projects?",
    "F": "Which minerals would the platform cover first, and who pays for registration?",
    "2": "How would new sectors get onto a self-perpetuating board?",
    "5": "Which organization would hold the secretariat function in the hybrid model?",
}
PROPOSALS = [
    ("Regional hubs", "Regional CASM hubs in Africa, Latin America and Asia that host the in-country work."),
    ("Mercury-free gold fast track", "A joint program with the UNEP partnership on ASGM."),
    (
        "Miners' chamber with a veto on standards",
        "Standards affecting miners need the ASM chamber's consent.",
    ),
]


def _consultation(slug: str, title: str, opens_at, closes_at) -> Consultation:
    consultation, created = Consultation.objects.get_or_create(
        slug=slug,
        defaults={
            "title": title,
            "introduction": INTRODUCTION,
            "audience": Consultation.Audience.ALL_ACTIVE,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "time_zone": ZONE,
            "is_published": True,
        },
    )
    if created:
        for order, (section_title, mode, body, options) in enumerate(SECTIONS):
            section = ConsultationSection.objects.create(
                consultation=consultation, order=order, title=section_title, body=body, mode=mode
            )
            ConsultationOption.objects.bulk_create(
                ConsultationOption(section=section, code=code, title=t, description=d, order=i)
                for i, (code, t, d) in enumerate(options)
            )
    return consultation


def _ranked(options, weights, rng, how_many):
    """``how_many`` distinct options drawn by weight, in order of preference."""
    pool = list(zip(options, weights, strict=True))
    chosen = []
    for _ in range(min(how_many, len(pool))):
        pick = rng.choices(range(len(pool)), weights=[w for _o, w in pool])[0]
        chosen.append(pool.pop(pick)[0])
    return chosen


def _responses(consultation: Consultation, members: list, rng: random.Random) -> None:
    if consultation.responses.exists():
        return
    sections = list(consultation.sections.prefetch_related("options").order_by("order"))
    submitted_at = consultation.closes_at - datetime.timedelta(days=3)
    for n, member in enumerate(members):
        chamber = member.sector.chamber
        response = Response.objects.create(
            consultation=consultation,
            member=member,
            status=Response.Status.SUBMITTED,
            submitted_at=submitted_at - datetime.timedelta(hours=rng.randint(0, 500)),
            is_public=rng.random() < 0.25,
            general_comments=rng.choice(COMMENTS) if rng.random() < 0.3 else "",
            chamber=chamber,
            sector=member.sector,
            country=member.country,
            org_type=member.organisation.org_type if member.organisation_id else "",
        )
        for section in sections:
            options = list(section.options.all())
            if section.mode == ConsultationSection.Mode.COMMENT:
                if rng.random() < 0.5:
                    SectionAnswer.objects.create(
                        response=response, section=section, rationale=rng.choice(COMMENTS)
                    )
                continue
            weights = WEIGHTS[section.title][chamber.code]
            ranked = _ranked(options, weights, rng, rng.randint(1, 3))
            SectionAnswer.objects.create(response=response, section=section, rationale=rng.choice(RATIONALES))
            OptionPreference.objects.bulk_create(
                OptionPreference(response=response, option=option, section=section, rank=rank)
                for rank, option in enumerate(ranked, start=1)
            )
            for option in options:
                if option.code in UNCLEAR and rng.random() < 0.08:
                    UnclearFlag.objects.create(response=response, option=option, text=UNCLEAR[option.code])
        if n % 25 == 0:
            title, description = PROPOSALS[(n // 25) % len(PROPOSALS)]
            ProposedOption.objects.create(
                response=response, section=sections[1], title=title, description=description
            )


def demo_consultations(members: list, *, seed: int = 2010) -> dict:
    """The closed 2010 consultation with responses from ``members``, and an open practice copy."""
    rng = random.Random(seed)
    zone = zoneinfo.ZoneInfo(ZONE)
    closed = _consultation(
        "casm-options-paper-2010",
        "CASM options paper: program, governance, delivery and housing (2010)",
        datetime.datetime(2010, 11, 15, 9, 0, tzinfo=zone),
        datetime.datetime(2010, 12, 10, 23, 59, tzinfo=zone),
    )
    _responses(closed, members, rng)
    now = timezone.now()
    practice = _consultation(
        "casm-options-paper-open",
        "CASM options paper: open copy to try responding",
        now - datetime.timedelta(days=1),
        now + datetime.timedelta(days=60),
    )
    if practice.closes_at < now + datetime.timedelta(days=14):
        # Reloading the demo later keeps the practice copy open.
        practice.closes_at = now + datetime.timedelta(days=60)
        practice.save(update_fields=["closes_at", "updated_at"])
    return {"closed": closed, "open": practice}
