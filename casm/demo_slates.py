"""Demo of §1's path to an Interim Steering Committee, with fictional people.

The committee's first slate — nine members, one or two per sector and at most two per country —
is proposed with the SMAG; every nominee accepts; the network endorses it by email in a window
that closed three weeks ago, with fictional answers from every chamber; the slate is constituted,
the committee elects its chair by a vote, and appoints the ASM issue-analysis task group, whose
conclusions are out to the network for feedback. The dates run from today so that the committee
is in office and its task group's consultation open whenever the demo is loaded. Loading twice
changes nothing: a committee that has a slate is left as it is.
"""

import datetime
import random

from django.utils import timezone

from governance.bodies.models import Body
from governance.bodies.services.seats import seat_appoint
from governance.consultations.models import ConsultationSection
from governance.consultations.services.consultations import consultation_publish, section_create
from governance.slates.models import EndorsementAnswer, EndorsementInvitation, Nominee, Slate, TaskGroup
from governance.slates.services import constitution, endorsement, slates
from network.models import Member, Membership

CONCLUSIONS = """\
The task group read PACT's analysis of the ASM sector against what CASM members told the 2010
options paper. Its conclusions, for the network's feedback:

1. **Formalisation first.** Most ASM operators work without titles; CASM's programmes should
   help governments make legal status reachable before anything else.
2. **Mercury and health.** Mercury reduction is where members most want CASM to lead, with
   health services for mining communities.
3. **Markets.** Responsible supply chains reward formal miners only if buyers come with them:
   CASM should bring companies into the country roadmaps from the start.
4. **Knowledge.** Members value the knowledge centre and regional meetings more than global ones.

Tell the task group whether these conclusions match what you see, and what it has missed.
"""

# What objectors and some abstainers said (fictional).
OBJECTIONS = [
    "Only one representative of small-scale miners from Latin America.",
    "The committee should have more women from mining communities.",
]


def _nominees(committee: Body) -> list[Member]:
    """Nine active members: two per sector for four sectors, one for the fifth; at most two per
    country; one per organisation; none already sitting on the committee."""
    active = (
        Member.objects.filter(membership__status=Membership.Status.ACTIVE, is_fictional=True)
        .select_related("sector__chamber", "organisation")
        .order_by("pk")
    )
    per_sector, countries, organisations, chosen = {}, {}, set(), []
    sectors = sorted({m.sector_id for m in active})
    wanted = {sector: (1 if index == len(sectors) - 1 else 2) for index, sector in enumerate(sectors)}
    for member in active:
        if per_sector.get(member.sector_id, 0) >= wanted.get(member.sector_id, 0):
            continue
        if countries.get(member.country, 0) >= (committee.max_per_country or 99):
            continue
        if member.organisation_id and member.organisation_id in organisations:
            continue
        chosen.append(member)
        per_sector[member.sector_id] = per_sector.get(member.sector_id, 0) + 1
        countries[member.country] = countries.get(member.country, 0) + 1
        organisations.add(member.organisation_id)
    return chosen


def demo_slates(*, staff) -> dict:
    committee = Body.objects.get(slug="interim-steering-committee")
    if committee.slates.exists():
        return {"slate": committee.slates.first()}
    smag = Body.objects.get(slug="smag")
    rng = random.Random(1)
    now = timezone.now()
    opened = now - datetime.timedelta(days=42)
    closes = now - datetime.timedelta(days=21)

    slate = slates.slate_create(
        actor=staff,
        body=committee,
        proposed_by=smag,
        title="Interim Steering Committee: first slate",
        notes="Composed with the SMAG and the World Bank (options paper, §1 and §8). Fictional people.",
    )
    for member in _nominees(committee):
        slates.nominee_add(actor=staff, slate=slate, member=member)
    slates.slate_ask_nominees(actor=staff, slate=slate)
    for nominee in slate.nominees.order_by("pk"):  # through the link in their mail
        slates.nominee_answer_by_link(
            token=slates.nominee_link_token(nominee), accept=True, comment="Glad to serve."
        )

    window = endorsement.window_open(
        actor=staff,
        slate=slate,
        closes_at=closes,
        time_zone="America/New_York",
        reminder_offsets=[7, 1],
        now=opened,
    )
    # Fictional answers from every chamber: about seven in ten answer, a few object or abstain.
    invitations = EndorsementInvitation.objects.filter(window=window).select_related("member").order_by("pk")
    for invitation in invitations:
        draw = rng.random()
        if draw < 0.3:
            continue
        choice = (
            EndorsementAnswer.Choice.OBJECT
            if draw > 0.94
            else EndorsementAnswer.Choice.ABSTAIN
            if draw > 0.88
            else EndorsementAnswer.Choice.ENDORSE
        )
        comment = rng.choice(OBJECTIONS) if choice == EndorsementAnswer.Choice.OBJECT else ""
        token = endorsement.window_link_token(invitation)
        answered = opened + datetime.timedelta(hours=rng.randint(1, 20 * 24))
        endorsement.window_answer_by_link(token=token, choice=choice, comment=comment, now=answered)
    endorsement.window_close(window_id=window.pk, now=closes + datetime.timedelta(minutes=5))
    slate.refresh_from_db()
    if slate.status != Slate.Status.ENDORSED:
        return {"slate": slate}

    starts_on = timezone.localdate() - datetime.timedelta(days=14)
    constitution.slate_constitute(actor=staff, slate=slate, starts_on=starts_on)
    members = [n.member for n in slate.nominees.select_related("member").order_by("pk")]
    votes = {member.pk: 0 for member in members[:3]}
    votes[members[0].pk], votes[members[1].pk], votes[members[2].pk] = 5, 3, 1
    constitution.chair_choose(actor=staff, body=committee, votes=votes)

    # The ASM issue-analysis task group (§1): appointed by the committee, three of its members.
    group_body = Body.objects.get(slug="asm-issue-analysis-task-group")
    group, _ = TaskGroup.objects.get_or_create(body=group_body, defaults={"created_by": staff})
    vacant = group_body.seats.filter(holder__isnull=True).order_by("pk")
    for seat, member in zip(vacant, members[3:6], strict=False):
        seat_appoint(seat=seat, actor=staff, member=member, starts_on=starts_on + datetime.timedelta(days=3))
    if group.consultation_id is None:
        consultation = constitution.task_group_consult(
            actor=staff,
            task_group=group,
            title="ASM issue analysis: the task group's conclusions",
            introduction="The Interim Steering Committee's task group on the ASM issue analysis (§1) "
            "puts its conclusions to the network. Fictional demo content.",
            opens_at=now - datetime.timedelta(days=2),
            closes_at=now + datetime.timedelta(days=28),
            time_zone="UTC",
        )
        section_create(
            consultation=consultation,
            actor=staff,
            title="The task group's conclusions",
            body=CONCLUSIONS,
            mode=ConsultationSection.Mode.COMMENT,
        )
        consultation_publish(consultation=consultation, actor=staff)
    return {"slate": slate, "window": window, "nominees": Nominee.objects.filter(slate=slate).count()}
