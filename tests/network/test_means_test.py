"""The means test: its rule matching, the services for rules and income groups, and the staff pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from network.models import CountryIncomeGroup, FeeTier, MeansTestRule, Membership, Organisation
from network.services import means_test as services
from network.services.means_test import fee_tier_for
from tests.network.factories import (
    CountryIncomeGroupFactory,
    MeansTestRuleFactory,
    MemberFactory,
    OrganisationFactory,
)
from tests.network.staff_factories import assert_staff_only

Group = CountryIncomeGroup.Group
pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _rule_data(**overrides) -> dict:
    data = {
        "priority": "10",
        "name": "Miners' groups in low-income countries",
        "org_type": Organisation.Type.MINERS_GROUP,
        "income_group": Group.LOW,
        "max_size": "",
        "tier": FeeTier.NO_FEE,
        "is_active": "on",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- rule matching


def test_fee_tier_for_takes_the_first_active_matching_rule_by_priority(sector):
    CountryIncomeGroupFactory(country="GH", group=Group.LOW)
    MeansTestRuleFactory(priority=1, name="Inactive", tier=FeeTier.NO_FEE, is_active=False)
    MeansTestRuleFactory(priority=2, name="Large only", max_size="", org_type=Organisation.Type.LSM_COMPANY)
    small = MeansTestRuleFactory(
        priority=3, name="Small", max_size=Organisation.Size.SMALL, tier=FeeTier.MEANS_TESTED
    )
    MeansTestRuleFactory(priority=4, name="Catch-all", tier=FeeTier.NO_FEE)
    member = MemberFactory(
        sector=sector, organisation=OrganisationFactory(country="GH", size=Organisation.Size.MICRO)
    )

    assert fee_tier_for(member=member) == (FeeTier.MEANS_TESTED, small)


def test_fee_tier_for_without_a_matching_rule_is_standard(sector):
    MeansTestRuleFactory(income_group=Group.LOW)
    member = MemberFactory(sector=sector, organisation=OrganisationFactory(country="FR"))
    assert fee_tier_for(member=member) == (FeeTier.STANDARD, None)


def test_fee_tier_for_an_individual_uses_their_country_and_counts_as_other_micro(sector):
    CountryIncomeGroupFactory(country="BF", group=Group.LOW)
    rule = MeansTestRuleFactory(org_type=Organisation.Type.OTHER, income_group=Group.LOW, max_size="micro")
    member = MemberFactory(sector=sector, organisation=None, country="BF")
    assert fee_tier_for(member=member) == (rule.tier, rule)


# ---------------------------------------------------------------- rule services


def test_means_test_rule_save_creates_and_changes_with_history(staff_user):
    rule = services.means_test_rule_save(
        actor=staff_user, name=" Low income ", priority=5, tier=FeeTier.NO_FEE
    )
    assert (rule.name, rule.is_active) == ("Low income", True)
    assert rule.history.first().history_user == staff_user
    assert rule.history.first().history_change_reason == "Means-test rule created"

    services.means_test_rule_save(
        actor=staff_user, rule=rule, name="Low income", priority=5, tier=FeeTier.MEANS_TESTED, is_active=False
    )

    rule.refresh_from_db()
    assert (rule.tier, rule.is_active) == (FeeTier.MEANS_TESTED, False)
    assert rule.history.first().history_change_reason == "Means-test rule changed"


def test_means_test_rule_save_validates_and_refuses_non_staff(staff_user, member):
    with pytest.raises(PermissionDenied):
        services.means_test_rule_save(actor=member.user, name="Mine", priority=1, tier=FeeTier.NO_FEE)
    with pytest.raises(ValidationError):
        services.means_test_rule_save(actor=staff_user, name="Odd", priority=1, tier="free-beer")
    assert not MeansTestRule.objects.exists()


def test_means_test_rule_delete_tests_its_memberships_again(staff_user, sector):
    CountryIncomeGroupFactory(country="GH", group=Group.LOW)
    doomed = MeansTestRuleFactory(priority=1, income_group=Group.LOW, tier=FeeTier.NO_FEE)
    fallback = MeansTestRuleFactory(priority=2, tier=FeeTier.MEANS_TESTED)
    member = MemberFactory(sector=sector)
    Membership.objects.filter(member=member).update(fee_tier=FeeTier.NO_FEE, fee_rule=doomed)

    assert services.means_test_rule_delete(actor=staff_user, rule=doomed) == 1

    assert not MeansTestRule.objects.filter(pk=doomed.pk).exists()
    membership = Membership.objects.get(member=member)
    assert (membership.fee_tier, membership.fee_rule) == (FeeTier.MEANS_TESTED, fallback)
    assert membership.history.first().history_user == staff_user
    deleted = MeansTestRule.history.filter(id=doomed.pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", staff_user)


def test_means_test_rule_delete_refuses_non_staff(member):
    rule = MeansTestRuleFactory()
    with pytest.raises(PermissionDenied):
        services.means_test_rule_delete(actor=member.user, rule=rule)
    assert MeansTestRule.objects.filter(pk=rule.pk).exists()


# ---------------------------------------------------------------- income group services


def test_country_income_group_set_creates_changes_and_removes_with_history(staff_user):
    entry = services.country_income_group_set(actor=staff_user, country="GH", group=Group.LOW)
    assert entry.history.first().history_user == staff_user

    services.country_income_group_set(actor=staff_user, country="GH", group=Group.LOWER_MIDDLE)
    entry.refresh_from_db()
    assert entry.group == Group.LOWER_MIDDLE
    assert entry.history.first().history_change_reason == "Income group changed"

    services.country_income_group_remove(actor=staff_user, country="GH")
    assert not CountryIncomeGroup.objects.exists()
    assert CountryIncomeGroup.history.first().history_type == "-"
    with pytest.raises(ValidationError):
        services.country_income_group_remove(actor=staff_user, country="GH")


def test_country_income_group_services_refuse_non_staff(member):
    CountryIncomeGroupFactory(country="GH", group=Group.LOW)
    with pytest.raises(PermissionDenied):
        services.country_income_group_set(actor=member.user, country="GH", group=Group.HIGH)
    with pytest.raises(PermissionDenied):
        services.country_income_group_remove(actor=member.user, country="GH")
    assert CountryIncomeGroup.objects.get().group == Group.LOW


# ---------------------------------------------------------------- pages: who may open them


def test_means_test_pages_are_for_staff_with_mfa(role_clients):
    rule = MeansTestRuleFactory()
    for name, args in [
        ("network:staff_means_test", []),
        ("network:staff_means_test_rule_new", []),
        ("network:staff_means_test_rule_edit", [rule.pk]),
        ("network:staff_income_groups", []),
    ]:
        assert_staff_only(role_clients, "get", reverse(name, args=args))
    assert_staff_only(role_clients, "post", reverse("network:staff_means_test"))
    assert_staff_only(
        role_clients, "post", reverse("network:staff_means_test_rule_edit", args=[rule.pk]), _rule_data()
    )
    assert_staff_only(role_clients, "post", reverse("network:staff_means_test_rule_delete", args=[rule.pk]))
    assert_staff_only(
        role_clients, "post", reverse("network:staff_income_groups"), {"country": "GH", "group": "low"}
    )
    assert MeansTestRule.objects.filter(pk=rule.pk, name=rule.name).exists()
    assert not CountryIncomeGroup.objects.exists()


# ---------------------------------------------------------------- pages


def test_means_test_page_lists_rules_in_priority_order_and_income_groups(staff_client):
    MeansTestRuleFactory(priority=20, name="Second rule")
    MeansTestRuleFactory(priority=10, name="First rule", is_active=False)
    CountryIncomeGroupFactory(country="GH", group=Group.LOW)

    response = staff_client.get(reverse("network:staff_means_test"))

    body = response.content.decode()
    assert body.index("First rule") < body.index("Second rule")
    assert "Ghana: Low income" in body
    assert "Re-apply the means test to all memberships" in body


def test_means_test_page_query_count_is_the_same_for_1_and_50_rules(
    staff_client, django_assert_max_num_queries
):
    """Session, user, groups, MFA, the viewer's member record, rules, income groups, tier counts."""
    MeansTestRuleFactory()
    CountryIncomeGroupFactory(country="GH")
    with django_assert_max_num_queries(8) as one:
        staff_client.get(reverse("network:staff_means_test"))
    MeansTestRuleFactory.create_batch(49)
    for code in ["FR", "DE", "BF", "ML", "PE", "BO", "CO", "TZ", "UG", "CD"]:
        CountryIncomeGroupFactory(country=code)
    with django_assert_max_num_queries(len(one)):
        response = staff_client.get(reverse("network:staff_means_test"))
    assert len(response.context["rules"]) == 50


def test_staff_add_a_rule(staff_client, staff_user):
    assert staff_client.get(reverse("network:staff_means_test_rule_new")).status_code == 200

    response = staff_client.post(reverse("network:staff_means_test_rule_new"), _rule_data(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("network:staff_means_test")
    assert "The rule was saved" in " ".join(_messages(response))
    rule = MeansTestRule.objects.get()
    assert (rule.name, rule.org_type, rule.income_group, rule.tier) == (
        "Miners' groups in low-income countries",
        Organisation.Type.MINERS_GROUP,
        Group.LOW,
        FeeTier.NO_FEE,
    )
    assert rule.history.first().history_user == staff_user


def test_staff_edit_a_rule(staff_client):
    rule = MeansTestRuleFactory(name="Old name", tier=FeeTier.NO_FEE)
    page = staff_client.get(reverse("network:staff_means_test_rule_edit", args=[rule.pk]))
    assert "Old name" in page.content.decode()

    staff_client.post(
        reverse("network:staff_means_test_rule_edit", args=[rule.pk]),
        _rule_data(name="New name", is_active=""),
    )

    rule.refresh_from_db()
    assert (rule.name, rule.is_active) == ("New name", False)


def test_bad_rule_input_shows_errors_beside_fields_and_changes_nothing(staff_client):
    rule = MeansTestRuleFactory(name="Kept", tier=FeeTier.NO_FEE)

    response = staff_client.post(
        reverse("network:staff_means_test_rule_edit", args=[rule.pk]),
        _rule_data(name="", tier="free", priority="-3"),
    )

    body = response.content.decode()
    for field in ("name", "tier", "priority"):
        assert f'id="id_{field}_error"' in body
    rule.refresh_from_db()
    assert (rule.name, rule.tier) == ("Kept", FeeTier.NO_FEE)


def test_rule_pages_of_an_unknown_rule_are_404(staff_client):
    assert staff_client.get(reverse("network:staff_means_test_rule_edit", args=[999])).status_code == 404
    assert staff_client.post(reverse("network:staff_means_test_rule_delete", args=[999])).status_code == 404


def test_staff_delete_a_rule(staff_client):
    rule = MeansTestRuleFactory(name="Gone soon")

    response = staff_client.post(reverse("network:staff_means_test_rule_delete", args=[rule.pk]), follow=True)

    assert "Gone soon" in " ".join(_messages(response))
    assert not MeansTestRule.objects.exists()
    assert (
        staff_client.get(reverse("network:staff_means_test_rule_delete", args=[rule.pk])).status_code == 405
    )


def test_staff_re_apply_the_means_test_to_all_memberships(staff_client, sector):
    CountryIncomeGroupFactory(country="GH", group=Group.LOW)
    rule = MeansTestRuleFactory(income_group=Group.LOW, tier=FeeTier.NO_FEE)
    members = MemberFactory.create_batch(3, sector=sector)

    response = staff_client.post(reverse("network:staff_means_test"), follow=True)

    assert "3 changed fee tier" in " ".join(_messages(response))
    assert set(Membership.objects.filter(member__in=members).values_list("fee_tier", "fee_rule")) == {
        (FeeTier.NO_FEE, rule.pk)
    }


def test_script_in_a_rule_name_is_escaped(staff_client):
    MeansTestRuleFactory(name="<script>alert(1)</script>")
    body = staff_client.get(reverse("network:staff_means_test")).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_staff_set_change_and_remove_a_countrys_income_group(staff_client, staff_user):
    url = reverse("network:staff_income_groups")
    assert staff_client.get(url).status_code == 200

    response = staff_client.post(url, {"country": "GH", "group": Group.LOW}, follow=True)
    assert "Ghana: Low income." in _messages(response)

    prefilled = staff_client.get(url, {"country": "GH"})
    assert prefilled.context["form"].initial == {"country": "GH", "group": Group.LOW}

    staff_client.post(url, {"country": "GH", "group": Group.LOWER_MIDDLE})
    assert CountryIncomeGroup.objects.get(country="GH").group == Group.LOWER_MIDDLE

    response = staff_client.post(url, {"country": "GH", "remove": "1"}, follow=True)
    assert "The income group of that country was removed." in _messages(response)
    assert not CountryIncomeGroup.objects.exists()
    assert CountryIncomeGroup.history.first().history_user == staff_user


def test_bad_income_group_input_changes_nothing(staff_client):
    url = reverse("network:staff_income_groups")
    CountryIncomeGroupFactory(country="GH", group=Group.LOW)

    response = staff_client.post(url, {"country": "XX", "group": "rich"})
    body = response.content.decode()
    assert 'id="id_country_error"' in body and 'id="id_group_error"' in body

    response = staff_client.post(url, {"country": "FR", "remove": "1"}, follow=True)
    assert "No income group is set for that country." in _messages(response)
    response = staff_client.post(url, {"country": "nowhere", "remove": "1"}, follow=True)
    assert "Choose a valid country." in _messages(response)
    assert list(CountryIncomeGroup.objects.values_list("country", "group")) == [("GH", Group.LOW)]
