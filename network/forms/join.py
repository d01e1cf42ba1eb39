"""The application form: allauth's sign-up (email, password) plus who the person is in the network."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from casm.content import LocalizedNameChoiceField
from network.models import Member, Organisation, Sector, SubChamber
from network.services.membership import membership_apply


def country_choices():
    return [("", _("Choose a country")), *countries]


def language_choices():
    return list(settings.LANGUAGES)


# The sign-up page shows the fields in these groups (see templates/account/signup.html).
FIELD_GROUPS = [
    ("account", _("Your account"), ["email", "password1", "password2"]),
    ("person", _("About you"), ["full_name", "country", "languages", "preferred_language"]),
    (
        "organisation",
        _("Your organisation"),
        [
            "organisation",
            "new_organisation_name",
            "new_organisation_type",
            "new_organisation_size",
            "new_organisation_country",
        ],
    ),
    ("network", _("Your place in the network"), ["sector", "sub_chamber", "role", "listed_in_directory"]),
]


class JoinForm(forms.Form):
    """Who is applying; allauth adds the email and password fields and calls ``signup``."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"), choices=language_choices, widget=forms.CheckboxSelectMultiple
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of the portal and of our emails to you"), choices=language_choices
    )
    organisation = forms.ModelChoiceField(
        label=_("An organisation already in the network"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("None"),
        help_text=_(
            "Choose yours if it is listed; otherwise name it below, or leave both empty "
            "if you join as an individual."
        ),
    )
    new_organisation_name = forms.CharField(
        label=_("Or a new organisation: its name"), max_length=200, required=False
    )
    new_organisation_type = forms.ChoiceField(
        label=_("Type of the new organisation"),
        choices=[("", _("Choose a type")), *Organisation.Type.choices],
        required=False,
    )
    new_organisation_size = forms.ChoiceField(
        label=_("Size of the new organisation"),
        choices=[("", _("Choose a size")), *Organisation.Size.choices],
        required=False,
    )
    new_organisation_country = forms.ChoiceField(
        label=_("Country of the new organisation"),
        choices=country_choices,
        required=False,
        help_text=_("Leave empty if it is your own country."),
    )
    sector = LocalizedNameChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.select_related("chamber").order_by("order", "name"),
        empty_label=_("Choose a sector"),
    )
    sub_chamber = LocalizedNameChoiceField(
        label=_("Sub-chamber (optional)"),
        queryset=SubChamber.objects.select_related("chamber"),
        required=False,
        empty_label=_("None"),
        help_text=_("Only if your sector's chamber is divided into sub-chambers."),
    )
    role = forms.CharField(label=_("Role or position"), max_length=160, required=False)
    listed_in_directory = forms.BooleanField(
        label=_("List me in the members' directory"),
        required=False,
        help_text=_("Active members and the secretariat can then find you by name, country and sector."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = translation.get_language() or settings.LANGUAGE_CODE
        known = dict(settings.LANGUAGES)
        self.fields["preferred_language"].initial = current if current in known else settings.LANGUAGE_CODE

    def grouped_fields(self):
        """The bound fields of each group, in order, for the template (unknown visible fields go last)."""
        groups = [
            {"key": key, "legend": legend, "fields": [self[name] for name in names if name in self.fields]}
            for key, legend, names in FIELD_GROUPS
        ]
        placed = {name for _key, _legend, names in FIELD_GROUPS for name in names}
        groups[-1]["fields"] += [field for field in self if field.name not in placed and not field.is_hidden]
        return groups

    def clean(self):
        cleaned = super().clean()
        # An address already in the network gets the same answer as a new one (AtomicSignupForm).
        existing = cleaned.get("organisation")
        name = (cleaned.get("new_organisation_name") or "").strip()
        cleaned["new_organisation_name"] = name
        if existing and name:
            self.add_error(
                "new_organisation_name",
                _("Choose an organisation from the list or name a new one, not both."),
            )
        elif name:
            if not cleaned.get("new_organisation_type"):
                self.add_error("new_organisation_type", _("Say what type of organisation it is."))
            if not cleaned.get("new_organisation_size"):
                self.add_error("new_organisation_size", _("Say how large the organisation is."))
        if cleaned.get("sector"):
            # The member's own rules (the sub-chamber is one of the sector's chamber).
            try:
                Member(sector=cleaned["sector"], sub_chamber=cleaned.get("sub_chamber")).clean()
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def new_organisation(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("new_organisation_name"):
            return None
        return {
            "name": data["new_organisation_name"],
            "org_type": data["new_organisation_type"],
            "size": data["new_organisation_size"],
            "country": data.get("new_organisation_country") or data["country"],
        }

    def signup(self, request, user):
        """Called by allauth once the account exists: record the application."""
        data = self.cleaned_data
        full_name = data["full_name"].strip()
        first, _sep, last = full_name.partition(" ")
        user.first_name, user.last_name = first[:150], last.strip()[:150]
        user.preferred_language = data["preferred_language"]
        user.save(update_fields=["first_name", "last_name", "preferred_language"])
        membership_apply(
            user=user,
            full_name=full_name,
            country=data["country"],
            sector=data["sector"],
            organisation=None if data.get("new_organisation_name") else data.get("organisation"),
            new_organisation=self.new_organisation(),
            sub_chamber=data.get("sub_chamber"),
            languages=data["languages"],
            role=data.get("role", "").strip(),
            listed_in_directory=data.get("listed_in_directory", False),
        )
