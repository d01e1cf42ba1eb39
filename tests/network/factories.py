"""Factories for the network and governance records the tests need."""

import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.utils import timezone

from casm import roles
from network.models import (
    Chamber,
    CountryIncomeGroup,
    FeeTier,
    MeansTestRule,
    Member,
    Membership,
    Organisation,
    Pledge,
    Sector,
    SubChamber,
    User,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary address, as allauth keeps it (pass verified=False for a new sign-up)."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class ChamberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chamber
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"chamber-{n}")
    name = factory.Sequence(lambda n: f"Chamber {n}")
    order = factory.Sequence(lambda n: n)


class SubChamberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubChamber

    chamber = factory.SubFactory(ChamberFactory)
    code = factory.Sequence(lambda n: f"sub-{n}")
    name = factory.Sequence(lambda n: f"Sub-chamber {n}")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.Sequence(lambda n: f"Sector {n}")
    chamber = factory.SubFactory(ChamberFactory)
    order = factory.Sequence(lambda n: n)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n} (fictional)")
    org_type = Organisation.Type.ADVOCACY_NGO
    country = "GH"
    size = Organisation.Size.SMALL
    is_fictional = True


class MemberFactory(factory.django.DjangoModelFactory):
    """A member with an account and an active membership unless told otherwise."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    full_name = factory.Faker("name")
    email = factory.LazyAttribute(
        lambda m: m.user.email if m.user else f"{m.full_name.split()[0].lower()}@example.org"
    )
    organisation = factory.SubFactory(OrganisationFactory)
    country = "GH"
    sector = factory.SubFactory(SectorFactory)
    languages = factory.LazyFunction(lambda: ["en"])
    listed_in_directory = True
    is_fictional = True

    @factory.post_generation
    def status(self, create, extracted, **kwargs):
        if not create:
            return
        status = extracted or Membership.Status.ACTIVE
        today = timezone.localdate()
        Membership.objects.create(
            member=self,
            status=status,
            applied_at=timezone.now(),
            status_changed_at=timezone.now(),
            term_start=today if status == Membership.Status.ACTIVE else None,
            term_end=today + datetime.timedelta(days=365) if status == Membership.Status.ACTIVE else None,
            fee_tier=kwargs.get("fee_tier", FeeTier.STANDARD),
        )


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    kind = Pledge.Kind.PARTICIPATION
    version = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda p: f"{p.kind} v{p.version}")
    text = "I will take part in good faith and respect the ground rules of the network."


class MeansTestRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeansTestRule

    name = factory.Sequence(lambda n: f"Rule {n}")
    priority = factory.Sequence(lambda n: n + 1)
    tier = FeeTier.NO_FEE


class CountryIncomeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryIncomeGroup
        django_get_or_create = ("country",)

    country = "GH"
    group = CountryIncomeGroup.Group.LOWER_MIDDLE


def make_staff(**kwargs) -> User:
    """A secretariat staff account with TOTP set up (staff pages require it)."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    TOTP.activate(user, generate_totp_secret())
    return user


def make_superuser(**kwargs) -> User:
    """A superuser with TOTP set up (the admin requires it, and that the session passed it)."""
    user = UserFactory(is_staff=True, is_superuser=True, **kwargs)
    TOTP.activate(user, generate_totp_secret())
    return user
