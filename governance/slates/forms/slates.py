"""Forms of the slates' pages. They validate input; ``governance.slates.services`` decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casm.timezones import WallClockDateTimeField, zone_choices
from governance.bodies.models import Body, Seat
from governance.slates.models import ChairChoice, Nominee
from network.models import Member, Membership


def active_members():
    return Member.objects.filter(membership__status=Membership.Status.ACTIVE).order_by("full_name")


class SlateForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Body"), queryset=Body.objects.filter(is_active=True).order_by("name")
    )
    proposed_by = forms.ModelChoiceField(
        label=_("Proposed by"),
        queryset=Body.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_("The body entitled to propose this slate; leave blank when the secretariat composes it."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, proposers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposers is not None:  # a member proposes in the name of a body they sit on
            self.fields["proposed_by"].queryset = proposers
            self.fields["proposed_by"].required = True


class NomineeForm(forms.Form):
    email = forms.EmailField(
        label=_("Member's email"), required=False, help_text=_("Or choose the member in the list below.")
    )
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Nominee.Role.choices, initial=Nominee.Role.MEMBER)
    seat = forms.ModelChoiceField(label=_("Seat"), queryset=Seat.objects.none(), required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = active_members()
        self.fields["seat"].queryset = Seat.objects.filter(body=body).select_related(
            "sector", "chamber", "body"
        )

    def clean(self):
        data = super().clean()
        email, member = data.get("email"), data.get("member")
        if email and member is None:
            member = active_members().filter(email__iexact=email).first()
            if member is None:
                self.add_error("email", _("No active member has this email."))
        if member is None and not self.errors:
            raise forms.ValidationError(_("Give the member's email or choose the member."))
        data["member"] = member
        return data


class NomineeEditForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Nominee.Role.choices)
    seat = forms.ModelChoiceField(label=_("Seat"), queryset=Seat.objects.none(), required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = Seat.objects.filter(body=body).select_related(
            "sector", "chamber", "body"
        )


class NominationAnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Do you accept the nomination?"),
        choices=[("yes", _("I accept")), ("no", _("I decline"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ConstituteForm(forms.Form):
    starts_on = forms.DateField(label=_("Terms start on"), widget=forms.DateInput(attrs={"type": "date"}))


class ChairForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How is the chair chosen?"), choices=ChairChoice.Method.choices, widget=forms.RadioSelect
    )
    member = forms.ModelChoiceField(
        label=_("Chair (when appointed)"), queryset=Member.objects.none(), required=False
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = [t.member for t in terms]
        self.fields["member"].queryset = Member.objects.filter(pk__in=[m.pk for m in self.candidates])
        for candidate in self.candidates:
            self.fields[f"votes_{candidate.pk}"] = forms.IntegerField(
                label=_("Votes for %(name)s") % {"name": candidate.full_name}, min_value=0, required=False
            )

    def vote_fields(self):
        return [self[f"votes_{c.pk}"] for c in self.candidates]

    def clean(self):
        data = super().clean()
        if data.get("method") == ChairChoice.Method.APPOINTED:
            if data.get("member") is None:
                self.add_error("member", _("Choose the member appointed chair."))
            data["votes"] = None
        elif data.get("method") == ChairChoice.Method.VOTE:
            data["member"] = None
            data["votes"] = {c.pk: data.get(f"votes_{c.pk}") or 0 for c in self.candidates}
        return data


class TaskGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    description = forms.CharField(
        label=_("Mandate"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=Member.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = active_members().select_related("sector")


class TaskGroupConsultForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices, initial="UTC")
    opens_at = WallClockDateTimeField(label=_("Opens"))
    closes_at = WallClockDateTimeField(label=_("Closes"))
