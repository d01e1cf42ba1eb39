"""Forms of the bodies' pages. They validate input; ``governance.bodies.services`` decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casm.reminders import offsets_from_text
from casm.timezones import WallClockDateTimeField, zone_choices
from governance.bodies.models import SurveyInvitation


class SurveySendForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional: shown in the email, under the question."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=zone_choices,
        initial="UTC",
        help_text=_("The deadline below is in this zone, and shown in it to the members."),
    )
    deadline = WallClockDateTimeField(
        label=_("Deadline"), help_text=_("Answers can be given and changed until then.")
    )
    reminder_offsets = forms.CharField(
        label=_("Reminders (days before the deadline)"),
        initial="7, 2",
        required=False,
        max_length=100,
        help_text=_(
            "Whole numbers of days, separated by commas, for members who have not answered. "
            "Leave blank for no reminders."
        ),
    )

    def clean_reminder_offsets(self):
        return offsets_from_text(self.cleaned_data["reminder_offsets"])


class SurveyAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you continue to serve?"),
        choices=SurveyInvitation.Answer.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional: anything the secretariat should know."),
    )
