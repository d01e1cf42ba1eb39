"""Factories of bodies, seats, terms and surveys of continued service."""

import datetime

import factory
from django.utils import timezone

from casm.signed_links import new_nonce
from governance.bodies.models import Body, Seat, Survey, SurveyInvitation, Term
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


class SurveyFactory(factory.django.DjangoModelFactory):
    """A survey as ``survey_send`` leaves it, without its mail (tests of pages and permissions)."""

    class Meta:
        model = Survey

    body = factory.SubFactory(BodyFactory)
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    time_zone = "Africa/Accra"
    reminder_offsets = factory.LazyFunction(lambda: [7, 2])
    sent_at = factory.LazyFunction(timezone.now)


class SurveyInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyInvitation

    survey = factory.SubFactory(SurveyFactory)
    member = factory.SubFactory(MemberFactory)
    nonce = factory.LazyFunction(new_nonce)
