"""Filters of the member directories, from GET parameters (django-filter).

``MemberFilter`` serves the staff directory and the CSV export (``network:staff_export``), which
take the same parameters: keep the class name and the parameter names stable.
"""

import django_filters
import django_filters.fields
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network import selectors
from network.models import Chamber, FeeTier, Membership, Organisation, Sector, SubChamber

YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]
ANY = _("Any")


def _once(choices):
    """Choices asked for when the form is first used, and only once (a form iterates them twice)."""
    cache = []

    def wrapper():
        if not cache:
            cache.append(choices())
        return cache[0]

    return wrapper


def _search_widget():
    return forms.TextInput(attrs={"type": "search"})


class LocalizedNameChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.localized_name()


class LocalizedNameChoiceFilter(django_filters.ModelChoiceFilter):
    """Options named in the reader's language (``localized_name``, no "not translated" note)."""

    field_class = LocalizedNameChoiceField


class MemberFilter(django_filters.FilterSet):
    """The staff directory: search, and narrow by chamber, sector, country, status, fee tier, pledges."""

    q = django_filters.CharFilter(
        label=_("Search name, email or organisation"), method="filter_search", widget=_search_widget()
    )
    chamber = LocalizedNameChoiceFilter(
        label=_("Chamber"), field_name="sector__chamber", queryset=Chamber.objects.all(), empty_label=ANY
    )
    sector = LocalizedNameChoiceFilter(
        label=_("Sector"), field_name="sector", queryset=Sector.objects.all(), empty_label=ANY
    )
    sub_chamber = LocalizedNameChoiceFilter(
        label=_("Sub-chamber"),
        field_name="sub_chamber",
        # Its name shows the chamber's: join it, or each option is a query.
        queryset=SubChamber.objects.select_related("chamber"),
        empty_label=ANY,
    )
    # Only the countries members come from (set per instance, see __init__).
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="country", choices=list, empty_label=ANY
    )
    org_type = django_filters.ChoiceFilter(
        label=_("Organisation type"),
        field_name="organisation__org_type",
        choices=Organisation.Type.choices,
        empty_label=ANY,
    )
    status = django_filters.ChoiceFilter(
        label=_("Membership status"),
        field_name="membership__status",
        choices=Membership.Status.choices,
        empty_label=ANY,
    )
    fee_tier = django_filters.ChoiceFilter(
        label=_("Fee tier"), field_name="membership__fee_tier", choices=FeeTier.choices, empty_label=ANY
    )
    pledge_affirmed = django_filters.ChoiceFilter(
        label=_("Affirmed the pledges in force"), choices=YES_NO, method="filter_pledges", empty_label=ANY
    )

    def __init__(self, data=None, queryset=None, **kwargs):
        # By default, the staff directory's members, with the joins and pledge state its pages need.
        if queryset is None:
            queryset = selectors.member_list_for_staff()
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["country"].extra["choices"] = _once(selectors.member_country_choices)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(full_name__icontains=value) | Q(email__icontains=value) | Q(organisation__name__icontains=value)
        )

    def filter_pledges(self, queryset, name, value):
        condition = selectors.pledges_affirmed_condition()
        if value == YES:
            return queryset.filter(condition)
        if value == NO:
            return queryset.filter(~condition)
        return queryset


class DirectoryFilter(django_filters.FilterSet):
    """The members' directory: search by name, organisation or role; narrow by chamber and country.

    Email addresses are not searched, so the directory cannot be used to find out who uses one.
    """

    q = django_filters.CharFilter(
        label=_("Search name, organisation or role"), method="filter_search", widget=_search_widget()
    )
    chamber = LocalizedNameChoiceFilter(
        label=_("Chamber"), field_name="sector__chamber", queryset=Chamber.objects.all(), empty_label=ANY
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="country", choices=list, empty_label=ANY
    )

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            # No default: the directory's members depend on who looks (``member_directory_for``).
            raise TypeError("DirectoryFilter needs the queryset of selectors.member_directory_for().")
        super().__init__(data, queryset=queryset, **kwargs)
        # Only the countries of the members listed; asked when the form is first used.
        self.filters["country"].extra["choices"] = _once(lambda: selectors.member_country_choices(queryset))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(full_name__icontains=value) | Q(organisation__name__icontains=value) | Q(role__icontains=value)
        )
