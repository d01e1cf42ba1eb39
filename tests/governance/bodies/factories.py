"""Factories of bodies, seats and terms."""

import datetime

import factory

from governance.bodies.models import Body, Seat, Term
from tests.network.factories import ChamberFactory, MemberFactory


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    slug = factory.Sequence(lambda n: f"body-{n}")
    name = factory.Sequence(lambda n: f"Body {n}")
    kind = Body.Kind.ADVISORY_GROUP


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    body = factory.SubFactory(BodyFactory)
    chamber = factory.SubFactory(ChamberFactory)


class TermFactory(factory.django.DjangoModelFactory):
    """A term of office; a running one (no ``ended_on``) also makes its member the seat's holder,
    as ``seat_appoint`` does."""

    class Meta:
        model = Term
        skip_postgeneration_save = True

    seat = factory.SubFactory(SeatFactory)
    member = factory.SubFactory(MemberFactory)
    starts_on = datetime.date(2025, 1, 1)
    ends_on = None

    @factory.post_generation
    def hold(self, create, extracted, **kwargs):
        if create and self.ended_on is None:
            Seat.objects.filter(pk=self.seat_id).update(
                holder=self.member, role=self.role, term_start=self.starts_on, term_end=self.ends_on
            )
            self.seat.refresh_from_db()
