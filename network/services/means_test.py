"""The means test: staff-configured rules decide a membership's fee tier."""

from network.models import CountryIncomeGroup, FeeTier, MeansTestRule, Member, Organisation

SIZE_ORDER = [choice for choice, _label in Organisation.Size.choices]


def _size_rank(size: str) -> int:
    return SIZE_ORDER.index(size) if size in SIZE_ORDER else len(SIZE_ORDER)


def rule_matches(rule: MeansTestRule, *, org_type: str, income_group: str, size: str) -> bool:
    if rule.org_type and rule.org_type != org_type:
        return False
    if rule.income_group and rule.income_group != income_group:
        return False
    return not (rule.max_size and _size_rank(size) > _size_rank(rule.max_size))


def fee_tier_for(*, member: Member, rules=None, income_groups=None) -> tuple[str, MeansTestRule | None]:
    """The tier of the first active rule (by priority) that matches the member's situation.

    The inputs are the organisation's type and size (a person without one counts as "other",
    size micro) and the income group staff gave the country. No rule matching: standard fee.
    ``rules`` and ``income_groups`` may be passed in when many members are tested at once.
    """
    if rules is None:
        rules = list(MeansTestRule.objects.filter(is_active=True).order_by("priority", "id"))
    organisation = member.organisation
    country = organisation.country.code if organisation else member.country.code
    if income_groups is None:
        income_group = (
            CountryIncomeGroup.objects.filter(country=country).values_list("group", flat=True).first() or ""
        )
    else:
        income_group = income_groups.get(country, "")
    org_type = organisation.org_type if organisation else Organisation.Type.OTHER
    size = organisation.size if organisation else Organisation.Size.MICRO
    for rule in rules:
        if rule_matches(rule, org_type=org_type, income_group=income_group, size=size):
            return rule.tier, rule
    return FeeTier.STANDARD, None


def means_test_context() -> tuple[list, dict]:
    """Rules and income groups loaded once, for testing many members in a loop."""
    rules = list(MeansTestRule.objects.filter(is_active=True).order_by("priority", "id"))
    income_groups = dict(CountryIncomeGroup.objects.values_list("country", "group"))
    return rules, income_groups
