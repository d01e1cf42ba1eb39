"""The composition checker: each rule, alone, with the message a slate page shows."""

import pytest
from django.utils import translation

from governance.bodies.models import Body
from governance.bodies.services.composition import Failure, composition_failures
from tests.network.factories import ChamberFactory, MemberFactory, OrganisationFactory, SectorFactory


@pytest.fixture
def structure(db):
    producers = ChamberFactory(code="producers", name="Producers")
    governments = ChamberFactory(code="governments", name="Governments")
    return {
        "miners": SectorFactory(code="miners", name="Small-scale miners", chamber=producers),
        "companies": SectorFactory(code="companies", name="Mining companies", chamber=producers),
        "other-governments": SectorFactory(code="other-gov", name="Other governments", chamber=governments),
        "producers": producers,
        "governments": governments,
    }


def _body(**rules) -> Body:
    return Body(name="Interim Steering Committee", kind=Body.Kind.STEERING_COMMITTEE, **rules)


def _members(n, **kwargs):
    return [MemberFactory(**kwargs) for _ in range(n)]


def test_no_rules_no_failures(structure):
    assert composition_failures(body=_body(), nominees=_members(3, sector=structure["miners"])) == []


def test_too_many_members_fails_the_maximum_size(structure):
    nominees = _members(10, sector=structure["miners"])

    failures = composition_failures(body=_body(max_size=9), nominees=nominees)

    assert failures == [Failure("max_size", "10 members, at most 9")]


def test_too_few_members_fails_the_minimum_size(structure):
    failures = composition_failures(body=_body(min_size=7), nominees=_members(1, sector=structure["miners"]))

    assert failures == [Failure("min_size", "1 member, at least 7")]


def test_the_same_member_twice_counts_once(structure):
    member = MemberFactory(sector=structure["miners"])

    assert composition_failures(body=_body(max_size=1), nominees=[member, member]) == []


def test_a_sector_with_no_one_is_named(structure):
    nominees = _members(2, sector=structure["miners"]) + _members(1, sector=structure["companies"])

    failures = composition_failures(body=_body(min_per_sector=2), nominees=nominees)

    assert [f.message for f in failures] == [
        "1 from Mining companies, at least 2",
        "No one from Other governments",
    ]
    assert {f.rule for f in failures} == {"min_per_sector"}


def test_at_least_per_sector_can_be_limited_to_given_sectors(structure):
    nominees = _members(1, sector=structure["miners"])

    failures = composition_failures(
        body=_body(min_per_sector=1), nominees=nominees, sectors=[structure["miners"]]
    )

    assert failures == []


def test_too_many_from_one_sector(structure):
    nominees = _members(3, sector=structure["miners"]) + _members(2, sector=structure["companies"])

    failures = composition_failures(body=_body(max_per_sector=2), nominees=nominees)

    assert failures == [Failure("max_per_sector", "3 from Small-scale miners, at most 2")]


def test_chambers_at_least_and_at_most(structure):
    nominees = _members(3, sector=structure["miners"])

    failures = composition_failures(body=_body(min_per_chamber=1, max_per_chamber=2), nominees=nominees)

    assert failures == [
        Failure("min_per_chamber", "No one from Governments"),
        Failure("max_per_chamber", "3 from Producers, at most 2"),
    ]


def test_too_many_from_one_organisation(structure):
    cooperative = OrganisationFactory(name="Kivu Miners' Cooperative (fictional)")
    nominees = _members(2, sector=structure["miners"], organisation=cooperative) + _members(
        1, sector=structure["miners"], organisation=None
    )

    failures = composition_failures(body=_body(max_per_organisation=1), nominees=nominees)

    assert failures == [
        Failure("max_per_organisation", "2 from Kivu Miners' Cooperative (fictional), at most 1")
    ]


def test_too_many_from_one_country(structure):
    nominees = _members(3, sector=structure["miners"], country="CA") + _members(2, sector=structure["miners"])

    failures = composition_failures(body=_body(max_per_country=2), nominees=nominees)

    assert failures == [Failure("max_per_country", "3 from Canada, at most 2")]


def test_messages_are_in_the_readers_language(structure):
    nominees = _members(3, sector=structure["miners"], country="CA")

    with translation.override("fr"):
        failures = composition_failures(body=_body(max_per_country=2), nominees=nominees)

    # The country's name is French whether or not the sentence has been translated yet.
    assert "Canada" in failures[0].message and failures[0].rule == "max_per_country"


def test_the_interim_steering_committee_rules_together(structure):
    """Seven to nine members, one or two per sector: a good slate passes, a lopsided one names each rule."""
    body = _body(min_size=7, max_size=9, min_per_sector=1, max_per_sector=2)
    traders = SectorFactory(code="traders", name="Traders", chamber=structure["producers"])
    sectors = [structure["miners"], structure["companies"], structure["other-governments"]]
    good = [m for sector in sectors for m in _members(2, sector=sector)] + _members(1, sector=traders)
    bad = _members(10, sector=structure["miners"])

    assert composition_failures(body=body, nominees=good) == []
    assert [f.rule for f in composition_failures(body=body, nominees=bad)] == [
        "max_size",
        "min_per_sector",
        "min_per_sector",
        "min_per_sector",
        "max_per_sector",
    ]


def test_checking_joined_nominees_costs_no_query_per_nominee(structure, django_assert_num_queries):
    """One query for the sectors (the "at least per sector" rule); nominees are already joined."""
    from network.models import Member

    _members(5, sector=structure["miners"])
    nominees = list(Member.objects.select_related("sector__chamber", "organisation"))

    with django_assert_num_queries(1):
        composition_failures(
            body=_body(min_per_sector=1, max_per_organisation=1, max_per_country=9), nominees=nominees
        )
