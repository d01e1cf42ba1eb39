"""The filters of a consultation's analysis, from GET parameters (django-filter).

``chamber``, ``sector``, ``country`` and ``org_type`` narrow every figure, list, export and report
of the analysis; keep the parameter names stable (links, bookmarks and the export take them).
A blank parameter does not filter; a bad one is shown with its error and ignored.

The selectors take the chosen values as a dict (``AnalysisFilter.values()``) and narrow with the
filters declared here: responses by the columns they copied at submission (``narrow_responses``),
the audience by the members' current records (``narrow_audience``).
"""

import django_filters
from django.db.models import Q
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from casm.content import LocalizedNameChoiceField
from governance.consultations.models import Response
from network.models import Chamber, Organisation, Sector

ANY = _("Any")


class LocalizedNameFilter(django_filters.ModelChoiceFilter):
    """A chamber or sector, its options named in the reader's language."""

    field_class = LocalizedNameChoiceField


class AnalysisFilter(django_filters.FilterSet):
    """Who responded: chamber, sector, country and organisation type, as copied at submission.

    ``countries`` are the (code, name) pairs the responses come from (asked once by the view).
    """

    chamber = LocalizedNameFilter(
        label=_("Chamber"), queryset=Chamber.objects.order_by("order", "name"), empty_label=ANY
    )
    sector = LocalizedNameFilter(
        label=_("Sector"), queryset=Sector.objects.order_by("order", "name"), empty_label=ANY
    )
    country = django_filters.ChoiceFilter(label=_("Country"), choices=list, empty_label=ANY)
    org_type = django_filters.ChoiceFilter(
        label=_("Organisation type"), choices=Organisation.Type.choices, empty_label=ANY
    )

    class Meta:
        model = Response
        fields = []

    def __init__(self, data=None, *, countries: list[tuple[str, str]], **kwargs):
        super().__init__(data, **kwargs)
        self.filters["country"].extra["choices"] = countries

    def values(self) -> dict:
        """The valid filters chosen, by name (a bad value is shown with its error and ignored)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def chosen(self) -> list[tuple[str, str]]:
        """(label, shown value) of each filter in use, to say on the page what is counted."""
        shown = []
        for name, value in self.values().items():
            field = self.form.fields[name]
            if hasattr(field, "queryset"):
                shown.append((str(field.label), field.label_from_instance(value)))
            else:
                shown.append((str(field.label), str(dict(field.choices).get(value, value))))
        return shown

    def querystring(self) -> str:
        """The filters in use as GET parameters (``chamber=3&country=GH``), for links between the pages."""
        return filters_querystring(self.values())


def filters_querystring(values: dict | None) -> str:
    pairs = [
        (name, getattr(values[name], "pk", values[name]))
        for name in AnalysisFilter.base_filters
        if (values or {}).get(name)
    ]
    return urlencode(pairs)


# The same filters on the audience: members as they are now, not as they were when they responded.
_AUDIENCE_FILTERS = {
    "chamber": django_filters.Filter(field_name="sector__chamber"),
    "sector": django_filters.Filter(field_name="sector"),
    "country": django_filters.Filter(field_name="country"),
    "org_type": django_filters.Filter(field_name="organisation__org_type"),
}


def _narrow(queryset, values: dict | None, filters: dict):
    for name, value in (values or {}).items():
        if value:
            queryset = filters[name].filter(queryset, value)
    return queryset


def response_rows_q(values: dict | None, *, prefix: str = "response__") -> Q:
    """The same narrowing as ``narrow_responses``, as a condition on rows that point at a response
    (preferences, answers, flags, proposals): a join the database plans better than a subquery."""
    condition = Q()
    for name, value in (values or {}).items():
        if value:
            field = AnalysisFilter.base_filters[name]
            condition &= Q(**{f"{prefix}{field.field_name}__{field.lookup_expr}": value})
    return condition


def narrow_responses(queryset, values: dict | None):
    """``queryset`` of responses narrowed by the chosen ``values`` (the filters' own lookups)."""
    return _narrow(queryset, values, AnalysisFilter.base_filters)


def narrow_audience(queryset, values: dict | None):
    """``queryset`` of members narrowed by the chosen ``values``, read from their current records."""
    return _narrow(queryset, values, _AUDIENCE_FILTERS)
