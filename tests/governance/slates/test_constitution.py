"""Constitution: an endorsed slate takes the body's seats; the chair; task groups and their consultation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.bodies.models import Body, Seat, Term
from governance.consultations.models import Consultation
from governance.slates.models import ChairChoice, Nominee, Slate, TaskGroup
from governance.slates.services import constitution as services
from tests.governance.bodies.factories import BodyFactory, SeatFactory, TermFactory
from tests.governance.slates.factories import NomineeFactory, SlateFactory
from tests.network.factories import MemberFactory, SectorFactory

pytestmark = pytest.mark.django_db
START = datetime.date(2027, 1, 1)


@pytest.fixture
def committee():
    return BodyFactory(name="Interim Steering Committee", kind="steering_committee", term_months=24)


def _endorsed(body, *members, **nominee):
    slate = SlateFactory(body=body, status=Slate.Status.ENDORSED)
    for member in members:
        NomineeFactory(slate=slate, member=member, status=Nominee.Status.ACCEPTED, **nominee)
    return slate


def test_slate_constitute_seats_each_nominee_matching_seats_by_sector_and_adding_the_missing(
    staff_user, committee
):
    miners, donors = SectorFactory(name="Miners"), SectorFactory(name="Donors")
    miners_seat = SeatFactory(body=committee, sector=miners, chamber=miners.chamber)
    miner, donor = MemberFactory(sector=miners), MemberFactory(sector=donors)
    slate = _endorsed(committee, donor, miner)

    services.slate_constitute(actor=staff_user, slate=slate, starts_on=START)

    slate.refresh_from_db()
    assert slate.status == Slate.Status.CONSTITUTED and slate.term_starts_on == START and slate.constituted_at
    assert Seat.objects.get(pk=miners_seat.pk).holder == miner
    donor_seat = Seat.objects.get(holder=donor)
    assert (donor_seat.body, donor_seat.sector) == (committee, donors)
    terms = Term.objects.filter(seat__body=committee)
    assert {(t.member, t.starts_on, t.ends_on) for t in terms} == {
        (miner, START, datetime.date(2029, 1, 1)),
        (donor, START, datetime.date(2029, 1, 1)),
    }
    row = slate.history.latest()
    assert (row.history_user, row.history_change_reason) == (staff_user, "Slate constituted: nominees seated")


def test_slate_constitute_uses_the_nominees_chosen_seat_and_role(staff_user, committee):
    seat = SeatFactory(body=committee, is_permanent=True, label="World Bank")
    observer = MemberFactory()
    slate = _endorsed(committee, observer, seat=seat, role=Nominee.Role.OBSERVER)

    services.slate_constitute(actor=staff_user, slate=slate, starts_on=START)

    seat.refresh_from_db()
    assert (seat.holder, seat.role) == (observer, Seat.Role.OBSERVER)


@pytest.mark.parametrize("status", [s for s in Slate.Status.values if s != Slate.Status.ENDORSED])
def test_slate_constitute_refuses_any_slate_not_endorsed(staff_user, committee, status):
    slate = _endorsed(committee, MemberFactory())
    Slate.objects.filter(pk=slate.pk).update(status=status)

    with pytest.raises(ValidationError):
        services.slate_constitute(actor=staff_user, slate=slate, starts_on=START)

    assert not Term.objects.exists()
    assert Slate.objects.get(pk=slate.pk).status == status


def test_only_the_secretariat_constitutes(committee):
    slate = _endorsed(committee, MemberFactory())

    with pytest.raises(PermissionDenied):
        services.slate_constitute(actor=MemberFactory().user, slate=slate, starts_on=START)
    assert not Term.objects.exists()


def _members(body, count):
    return [
        TermFactory(seat=SeatFactory(body=body), starts_on=datetime.date(2026, 1, 1)).member
        for _ in range(count)
    ]


def test_chair_appointed_by_staff_takes_the_chair_role_and_the_choice_is_recorded(staff_user, committee):
    first, second = _members(committee, 2)

    choice = services.chair_choose(actor=staff_user, body=committee, member=second)

    assert (choice.method, choice.member, choice.figures) == (ChairChoice.Method.APPOINTED, second, {})
    chair = Term.objects.get(seat__body=committee, ended_on__isnull=True, role=Seat.Role.CHAIR)
    assert chair.member == second and chair.starts_on == timezone.localdate()
    assert Seat.objects.get(holder=second).role == Seat.Role.CHAIR
    assert choice.history.get().history_user == staff_user


def test_chair_elected_by_a_vote_is_the_winner_with_the_figures_recorded(staff_user, committee):
    first, second, third = _members(committee, 3)
    services.chair_choose(actor=staff_user, body=committee, member=first)

    choice = services.chair_choose(
        actor=staff_user, body=committee, votes={first.pk: 1, second.pk: 4, third.pk: 2}
    )

    assert (choice.method, choice.member) == (ChairChoice.Method.VOTE, second)
    assert choice.figures == {str(first.pk): 1, str(second.pk): 4, str(third.pk): 2}
    running = {t.member: t.role for t in Term.objects.filter(seat__body=committee, ended_on__isnull=True)}
    assert running == {first: "member", second: "chair", third: "member"}


def test_a_tied_vote_or_a_candidate_not_on_the_body_is_refused_and_changes_nothing(staff_user, committee):
    first, second = _members(committee, 2)
    outsider = MemberFactory()
    before = list(Term.objects.order_by("pk").values())

    with pytest.raises(ValidationError):
        services.chair_choose(actor=staff_user, body=committee, votes={first.pk: 3, second.pk: 3})
    with pytest.raises(ValidationError):
        services.chair_choose(actor=staff_user, body=committee, votes={outsider.pk: 3})
    with pytest.raises(ValidationError):
        services.chair_choose(actor=staff_user, body=committee, member=outsider)

    assert list(Term.objects.order_by("pk").values()) == before
    assert not ChairChoice.objects.exists()


def test_only_the_secretariat_chooses_the_chair(committee):
    (first,) = _members(committee, 1)

    with pytest.raises(PermissionDenied):
        services.chair_choose(actor=first.user, body=committee, member=first)
    assert not ChairChoice.objects.exists()


def test_task_group_create_appoints_a_child_body_with_its_members(staff_user, committee):
    members = [MemberFactory(), MemberFactory()]

    group = services.task_group_create(
        actor=staff_user,
        committee=committee,
        name="ASM issue analysis",
        description="Analyse.",
        members=members,
    )

    assert (group.body.kind, group.body.parent) == (Body.Kind.TASK_GROUP, committee)
    assert {s.holder for s in group.body.seats.all()} == set(members)
    assert group.history.get().history_user == staff_user


def test_task_group_consult_creates_the_consultation_and_links_it(staff_user, committee):
    group = services.task_group_create(actor=staff_user, committee=committee, name="ASM issue analysis")

    consultation = services.task_group_consult(
        actor=staff_user,
        task_group=group,
        title="Conclusions of the ASM issue analysis",
        introduction="What we found.",
        opens_at=datetime.datetime(2027, 1, 1, 9),
        closes_at=datetime.datetime(2027, 2, 1, 17),
        time_zone="UTC",
    )

    group.refresh_from_db()
    assert group.consultation == consultation
    assert consultation.title == "Conclusions of the ASM issue analysis"
    assert group.history.latest().history_change_reason == "Conclusions put to the network"
    with pytest.raises(ValidationError):
        services.task_group_consult(
            actor=staff_user,
            task_group=group,
            title="Again",
            opens_at=datetime.datetime(2027, 1, 1, 9),
            closes_at=datetime.datetime(2027, 2, 1, 17),
            time_zone="UTC",
        )
    assert Consultation.objects.count() == 1


def test_only_the_secretariat_appoints_task_groups(committee):
    with pytest.raises(PermissionDenied):
        services.task_group_create(actor=MemberFactory().user, committee=committee, name="Group")
    assert not TaskGroup.objects.exists()
    assert not Body.objects.filter(kind=Body.Kind.TASK_GROUP).exists()
