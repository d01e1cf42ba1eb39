"""Members saved in the Django admin go through the member service: its rules and the fee tier."""

import pytest
from django.test import Client

from casm.testing import log_in_with_second_factor
from network.models import FeeTier, Member, Membership
from tests.network.factories import (
    ChamberFactory,
    CountryIncomeGroupFactory,
    MeansTestRuleFactory,
    MemberFactory,
    OrganisationFactory,
    SubChamberFactory,
    make_superuser,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    log_in_with_second_factor(client, make_superuser())
    return client


def change_url(member) -> str:
    return f"/admin/network/member/{member.pk}/change/"


def admin_form_data(client, member, **changes) -> dict:
    """What the change page would post back unchanged (inline management form included), plus ``changes``."""
    response = client.get(change_url(member))
    assert response.status_code == 200
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value
    data.update(changes)
    return data


def test_admin_change_of_organisation_recomputes_the_fee_tier(admin_client, sector):
    CountryIncomeGroupFactory(country="GH", group="low")
    rule = MeansTestRuleFactory(org_type="miners_group", income_group="low", tier=FeeTier.NO_FEE)
    member = MemberFactory(sector=sector)
    miners = OrganisationFactory(name="Tarkwa Miners Association", org_type="miners_group", country="GH")
    assert Membership.objects.get(member=member).fee_tier == FeeTier.STANDARD

    response = admin_client.post(
        change_url(member), admin_form_data(admin_client, member, organisation=miners.pk)
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    membership = Membership.objects.get(member=member)
    assert (membership.fee_tier, membership.fee_rule) == (FeeTier.NO_FEE, rule)
    assert membership.history.first().history_change_reason.startswith("Means test applied")
    assert Member.objects.get(pk=member.pk).history.first().history_change_reason == "Changed in the admin"


def test_admin_change_of_the_role_alone_leaves_the_fee_tier(admin_client, sector):
    member = MemberFactory(sector=sector)
    before = Membership.objects.get(member=member).history.count()

    response = admin_client.post(change_url(member), admin_form_data(admin_client, member, role="Treasurer"))

    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).role == "Treasurer"
    assert Membership.objects.get(member=member).history.count() == before


def test_admin_refuses_a_sub_chamber_of_another_chamber(admin_client, sector):
    member = MemberFactory(sector=sector)
    other = SubChamberFactory(chamber=ChamberFactory(name="Donor chamber"), name="North")

    response = admin_client.post(
        change_url(member), admin_form_data(admin_client, member, sub_chamber=other.pk)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["sub_chamber"]
    assert errors == [
        "The sub-chamber North belongs to the Donor chamber, not to the chamber of the sector Civil society."
    ]
    assert Member.objects.get(pk=member.pk).sub_chamber is None
