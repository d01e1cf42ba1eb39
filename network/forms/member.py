"""Forms of a member's own pages: profile, pledges, the reply to the secretariat, an invitation."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from network.models import User


class ProfileForm(forms.Form):
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
