"""Forms of the endorsement pages. They validate input; ``governance.slates.services.endorsement`` decides."""

from fractions import Fraction

from django import forms
from django.utils.translation import gettext_lazy as _

from casm.reminders import offsets_from_text
from casm.timezones import WallClockDateTimeField, zone_choices
from governance.slates.models import EndorsementAnswer, EndorsementWindow
from network.models import Chamber


class WindowOpenForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Audience"), choices=EndorsementWindow.Audience.choices, widget=forms.RadioSelect
    )
    chambers = forms.ModelMultipleChoiceField(
        label=_("Chambers"),
        queryset=Chamber.objects.order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when the audience is the active members of chosen chambers."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=zone_choices,
        initial="UTC",
        help_text=_("The close below is in this zone, and shown in it to the members."),
    )
    closes_at = WallClockDateTimeField(label=_("Close"), help_text=_("Answers are taken until then."))
    reminder_offsets = forms.CharField(
        label=_("Reminders (days before the close)"),
        initial="7, 2",
        required=False,
        max_length=100,
        help_text=_("Whole numbers of days, separated by commas. Leave blank for no reminders."),
    )
    rule = forms.ChoiceField(
        label=_("Rule"), choices=EndorsementWindow.Rule.choices, widget=forms.RadioSelect
    )
    objection_share = forms.CharField(
        label=_("Share of objections that stops the slate"),
        initial="1/3",
        max_length=10,
        help_text=_("A fraction of the answers, such as 1/3 or 1/2 (for the objections rule)."),
    )
    min_turnout_percent = forms.IntegerField(
        label=_("Minimum turnout (%)"), min_value=0, max_value=100, initial=0
    )
    answers_can_change = forms.BooleanField(
        label=_("Members may change their answer before the close"), required=False, initial=True
    )

    def clean_reminder_offsets(self):
        return offsets_from_text(self.cleaned_data["reminder_offsets"])

    def clean_objection_share(self):
        value = self.cleaned_data["objection_share"].strip()
        try:
            share = Fraction(value)
        except (ValueError, ZeroDivisionError):
            raise forms.ValidationError(_("Write a fraction such as 1/3.")) from None
        if not 0 < share <= 1:
            raise forms.ValidationError(_("The share is between 0 and 1."))
        return share


class WindowExtendForm(forms.Form):
    closes_at = WallClockDateTimeField(
        label=_("New close"), help_text=_("In the window's time zone; later than the current close.")
    )


class EndorsementAnswerForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your answer"), choices=EndorsementAnswer.Choice.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional: why you object, or anything the secretariat should know."),
    )
