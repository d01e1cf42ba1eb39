"""Factories of slates and nominees."""

import factory

from governance.slates.models import Nominee, Slate
from tests.governance.bodies.factories import BodyFactory
from tests.network.factories import MemberFactory, UserFactory


class SlateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slate

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Slate {n}")
    created_by = factory.SubFactory(UserFactory)


class NomineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nominee

    slate = factory.SubFactory(SlateFactory)
    member = factory.SubFactory(MemberFactory)
