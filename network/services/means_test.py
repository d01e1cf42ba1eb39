"""The means test: staff-configured rules decide a membership's fee tier."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from casm.history import save_with_history, stamp
from network.models import CountryIncomeGroup, FeeTier, MeansTestRule, Member, Membership, Organisation
from network.permissions import require_secretariat

# What every staff service here answers someone who is not secretariat staff.
STAFF_ONLY = gettext_lazy("Only secretariat staff may change the means test.")

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


def fee_tier_apply(
    membership: Membership, *, member: Member | None = None, rules=None, income_groups=None
) -> bool:
    """Give ``membership`` the tier and rule the means test finds for its member; True if they changed.

    Nothing is saved: the caller saves, alone or in bulk, with history.
    """
    tier, rule = fee_tier_for(member=member or membership.member, rules=rules, income_groups=income_groups)
    if (tier, rule.pk if rule else None) == (membership.fee_tier, membership.fee_rule_id):
        return False
    membership.fee_tier, membership.fee_rule = tier, rule
    return True


def means_test_context() -> tuple[list, dict]:
    """Rules and income groups loaded once, for testing many members in a loop."""
    rules = list(MeansTestRule.objects.filter(is_active=True).order_by("priority", "id"))
    income_groups = dict(CountryIncomeGroup.objects.values_list("country", "group"))
    return rules, income_groups


def apply_means_test(memberships, *, rules: list, income_groups: dict, actor, reason: str) -> int:
    """Set each membership's tier from ``rules``; save those that changed in bulk, with history.

    ``memberships`` should carry ``member__organisation`` (select_related) so that no row costs a query.
    Returns how many memberships changed.
    """
    now = timezone.now()
    changed = []
    for membership in memberships:
        if fee_tier_apply(membership, rules=rules, income_groups=income_groups):
            membership.updated_at = now
            changed.append(membership)
    if changed:
        bulk_update_with_history(
            changed,
            Membership,
            ["fee_tier", "fee_rule", "updated_at"],
            batch_size=500,
            default_user=actor if getattr(actor, "is_authenticated", False) else None,
            default_change_reason=reason[:100],
        )
    return len(changed)


@transaction.atomic
def means_test_rule_save(
    *,
    actor,
    rule: MeansTestRule | None = None,
    name: str,
    priority: int,
    tier: str,
    org_type: str = "",
    income_group: str = "",
    max_size: str = "",
    is_active: bool = True,
) -> MeansTestRule:
    """Staff create a rule (``rule`` None) or change one.

    Memberships keep their tier until staff re-apply the means test.
    """
    require_secretariat(actor, STAFF_ONLY)
    if rule is None:
        rule, reason = MeansTestRule(), "Means-test rule created"
    else:
        rule, reason = MeansTestRule.objects.select_for_update().get(pk=rule.pk), "Means-test rule changed"
    rule.name, rule.priority, rule.tier, rule.is_active = (name or "").strip(), priority, tier, is_active
    rule.org_type, rule.income_group, rule.max_size = org_type, income_group, max_size
    return save_with_history(rule, actor=actor, reason=reason)


@transaction.atomic
def means_test_rule_delete(*, actor, rule: MeansTestRule) -> int:
    """Staff delete a rule. The memberships whose tier it set are tested again without it, so that no
    tier is left without the rule that explains it. Returns how many memberships changed.
    """
    require_secretariat(actor, STAFF_ONLY)
    rule = MeansTestRule.objects.select_for_update().get(pk=rule.pk)
    rules, income_groups = means_test_context()
    remaining = [other for other in rules if other.pk != rule.pk]
    affected = Membership.objects.select_for_update(of=("self",)).select_related("member__organisation")
    changed = apply_means_test(
        affected.filter(fee_rule=rule),
        rules=remaining,
        income_groups=income_groups,
        actor=actor,
        reason=f"Means test applied: rule '{rule.name}' deleted",
    )
    stamp(rule, actor=actor, reason="Means-test rule deleted")
    rule.delete()
    return changed


@transaction.atomic
def country_income_group_set(*, actor, country: str, group: str) -> CountryIncomeGroup:
    """Staff give a country its income group (replacing the one it had)."""
    require_secretariat(actor, STAFF_ONLY)
    entry = CountryIncomeGroup.objects.select_for_update().filter(country=country).first()
    if entry is None:
        entry, reason = CountryIncomeGroup(country=country), "Income group set"
    elif entry.group == group:
        return entry
    else:
        reason = "Income group changed"
    entry.group = group
    return save_with_history(entry, actor=actor, reason=reason)


@transaction.atomic
def country_income_group_remove(*, actor, country: str) -> None:
    """Staff remove a country's income group; the means test then treats it as unknown."""
    require_secretariat(actor, STAFF_ONLY)
    entry = CountryIncomeGroup.objects.select_for_update().filter(country=country).first()
    if entry is None:
        raise ValidationError(_("No income group is set for that country."))
    stamp(entry, actor=actor, reason="Income group removed")
    entry.delete()
