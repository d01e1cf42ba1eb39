"""Factories of bodies and seats."""

import factory

from governance.bodies.models import Body, Seat
from tests.network.factories import ChamberFactory


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
