"""The filters of a consultation's analysis: chamber, sector, country and organisation type."""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import Chamber, Organisation, Sector

ANY = _("Any")


class AnalysisFilterForm(forms.Form):
    """Narrows every figure, list and export of the analysis; a blank field does not filter.

    ``countries`` are the (code, name) pairs the responses come from (asked once by the view).
    """

    chamber = forms.ModelChoiceField(
        label=_("Chamber"),
        queryset=Chamber.objects.order_by("order", "name"),
        required=False,
        empty_label=ANY,
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.order_by("order", "name"), required=False, empty_label=ANY
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    org_type = forms.ChoiceField(
        label=_("Organisation type"), required=False, choices=[("", ANY), *Organisation.Type.choices]
    )

    def __init__(self, data=None, *, countries: list[tuple[str, str]], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["country"].choices = [("", ANY), *countries]

    def chosen(self) -> list[tuple[str, str]]:
        """(label, shown value) of each filter in use, to say on the page what is counted."""
        shown = []
        for name, value in self.filters().items():
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                shown.append((str(field.label), str(value)))
            else:
                shown.append((str(field.label), str(dict(field.choices).get(value, value))))
        return shown

    def filters(self) -> dict:
        """The valid filters chosen (a field with a bad value is shown with its error and ignored)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
