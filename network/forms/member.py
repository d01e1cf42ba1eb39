"""Forms of a member's own pages: profile, pledges, the reply to the secretariat, an invitation."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from network.models import Organisation, User


def _country_choices():
    return [("", _("Choose a country")), *countries]


class ProfileForm(forms.Form):
    """The member's own profile. Name and country are left as they are when not posted at all
    (older clients); posted blank, they are refused."""

    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    role = forms.CharField(label=_("Role or position"), max_length=160, required=False)
    listed_in_directory = forms.BooleanField(
        label=_("List me in the members' directory"),
        required=False,
        help_text=_("Active members and the secretariat can then find you by name, country and sector."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of the portal and of our emails to you"), choices=settings.LANGUAGES
    )

    def _posted_or_none(self, name: str, message):
        value = self.cleaned_data.get(name, "")
        if name not in self.data:
            return None
        if not value.strip():
            raise forms.ValidationError(message)
        return value

    def clean_full_name(self):
        return self._posted_or_none("full_name", _("Your name cannot be blank."))

    def clean_country(self):
        return self._posted_or_none("country", _("Choose a country from the list."))


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.country.name})"


class OrganisationChangeForm(forms.Form):
    """Ask to change organisation: one already known, or a new one described in full."""

    organisation = OrganisationChoiceField(
        label=_("An organisation already in the network"),
        queryset=Organisation.objects.order_by("name", "country"),
        required=False,
        empty_label=_("None of these: a new organisation (describe it below)"),
    )
    new_name = forms.CharField(label=_("Name of the new organisation"), max_length=200, required=False)
    new_org_type = forms.ChoiceField(
        label=_("Type"), choices=[("", "—"), *Organisation.Type.choices], required=False
    )
    new_country = forms.ChoiceField(label=_("Country"), choices=_country_choices, required=False)
    new_size = forms.ChoiceField(
        label=_("Size"), choices=[("", "—"), *Organisation.Size.choices], required=False
    )
    note = forms.CharField(
        label=_("Note for the secretariat (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    NEW_FIELDS = ("new_name", "new_org_type", "new_country", "new_size")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") is None and not self.errors:
            missing = [name for name in self.NEW_FIELDS if not (cleaned.get(name) or "").strip()]
            if len(missing) == len(self.NEW_FIELDS):
                raise forms.ValidationError(_("Choose an organisation from the list, or describe a new one."))
            for name in missing:
                self.add_error(name, _("Needed for a new organisation."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        if data.get("organisation") is not None:
            return {"organisation": data["organisation"], "note": data["note"]}
        return {name: data[name] for name in (*self.NEW_FIELDS, "note")}


class PledgeAffirmForm(forms.Form):
    """One required box per pending pledge version: the member affirms each text they were shown."""

    def __init__(self, *args, pledges, **kwargs):
        super().__init__(*args, **kwargs)
        self.pledges = list(pledges)
        for pledge in self.pledges:
            self.fields[f"affirm_{pledge.pk}"] = forms.BooleanField(
                label=_("I affirm the %(title)s (version %(version)s).")
                % {"title": pledge.get_kind_display().lower(), "version": pledge.version},
                required=True,
                error_messages={"required": _("Tick the box to affirm this commitment.")},
            )

    def rows(self):
        return [(pledge, self[f"affirm_{pledge.pk}"]) for pledge in self.pledges]


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your reply.")},
    )


class InvitationPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            probe = User(email=self.member.email, first_name=self.member.full_name)
            try:
                password_validation.validate_password(first, user=probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
