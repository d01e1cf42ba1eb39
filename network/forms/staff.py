"""Forms of the secretariat's pages. They validate input; the services in network.services decide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from casm.content import TranslationsFormMixin
from network.models import (
    CountryIncomeGroup,
    MeansTestRule,
    Membership,
    Organisation,
    OrganisationChangeRequest,
    Pledge,
    Sector,
)
from network.services.membership import ALLOWED_TRANSITIONS

REASON_MAX = 500  # Membership.status_reason


def _reason_field(label=None, required=True, help_text=""):
    return forms.CharField(
        label=label or _("Reason"),
        max_length=REASON_MAX,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _country_choices():
    return [("", _("Choose a country")), *countries]


class ApproveForm(forms.Form):
    reason = _reason_field(label=_("Note for the record (optional)"), required=False)


class RejectForm(forms.Form):
    reason = _reason_field(help_text=_("The applicant is told this reason by email."))


class InformationRequestForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the applicant"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant is emailed and answers on their membership page."),
    )


class StatusChangeForm(forms.Form):
    """The statuses offered are those that may follow the current one.

    An application is decided by approving or rejecting it (which tells the applicant), not here.
    """

    status = forms.ChoiceField(label=_("New status"))
    reason = _reason_field()

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set()
        if membership.status != Membership.Status.APPLIED:
            allowed = ALLOWED_TRANSITIONS.get(membership.status, set())
        self.fields["status"].choices = [
            (value, label) for value, label in Membership.Status.choices if value in allowed
        ]


class MemberEmailForm(forms.Form):
    """A corrected address for the member's mail (their login address is their own to change)."""

    email = forms.EmailField(label=_("New email address"), max_length=254)
    reason = _reason_field(required=False, help_text=_("For example: the member told us their new address."))


class TermForm(forms.Form):
    term_start = forms.DateField(label=_("Term start"), widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label=_("Term end"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = _reason_field()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("The term cannot end before it starts."))
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.select_related("chamber"), empty_label=_("Choose a sector")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("None (an individual)"),
    )
    role = forms.CharField(label=_("Role or position"), max_length=160, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The first language chosen is used for the invitation email."),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class PledgePublishForm(TranslationsFormMixin, forms.Form):
    translatable = ("title", "text")

    kind = forms.ChoiceField(label=_("Kind of pledge"), choices=Pledge.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Publishing makes this the version in force: members are asked to affirm it again."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_translation_fields()


class MeansTestRuleForm(forms.ModelForm):
    class Meta:
        model = MeansTestRule
        fields = ["priority", "name", "org_type", "income_group", "max_size", "tier", "is_active"]
        help_texts = {
            "priority": _("Rules are tried from the lowest number up; the first that matches sets the tier."),
            "org_type": _("Leave blank to match any type."),
            "income_group": _("Leave blank to match any country."),
            "max_size": _("Leave blank to match any size."),
        }


class IncomeGroupForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    group = forms.ChoiceField(label=_("Income group"), choices=CountryIncomeGroup.Group.choices)


class IncomeGroupRemoveForm(forms.Form):
    country = forms.ChoiceField(choices=countries)


class OrganisationContactForm(forms.Form):
    """The organisation's official contact, chosen among its active members (blank: none)."""

    contact = forms.ModelChoiceField(
        label=_("Official contact"),
        queryset=None,
        required=False,
        empty_label=_("No official contact"),
        help_text=_("The one member who may answer consultations on the organisation's behalf."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = organisation.members.filter(
            membership__status=Membership.Status.ACTIVE
        ).order_by("full_name")
        self.fields["contact"].initial = organisation.contact_id


class OrganisationDecisionForm(forms.Form):
    """Staff approve (the reason is an optional note) or decline (the reason is required)."""

    reason = forms.CharField(
        label=_("Reason, sent to the member"),
        max_length=OrganisationChangeRequest._meta.get_field("decision_reason").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if required:
            self.fields["reason"].error_messages["required"] = _("Give the member a reason.")
        else:
            self.fields["reason"].label = _("Note to the member (optional)")
