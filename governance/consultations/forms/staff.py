"""Forms of the secretariat's consultation pages. They validate input; governance.services decide.

Times are typed as wall-clock times in the consultation's time zone (an HTML datetime-local
field); the services turn them into UTC.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from casm.content import TranslationsFormMixin
from casm.reminders import offsets_from_text
from casm.timezones import WallClockDateTimeField, local_to_utc, utc_to_local, zone_choices, zone_values
from governance.consultations.models import Consultation, ConsultationSection
from network.models import Chamber, Member

MARKDOWN_HELP = _("Markdown: blank lines between paragraphs, *italic*, **bold**, lists with “- ”, links.")


def _zone_choices():
    """Canonical zones grouped by region, the common ones first (``casm.timezones``)."""
    return zone_choices()


class ConsultationForm(TranslationsFormMixin, forms.Form):
    translatable = ("title", "introduction")

    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=70,
        required=False,
        help_text=_(
            "The last part of the consultation's web address. Leave blank to make it from the title."
        ),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    audience = forms.ChoiceField(
        label=_("Who may respond"),
        choices=Consultation.Audience.choices,
        initial=Consultation.Audience.ALL_ACTIVE,
        widget=forms.RadioSelect,
    )
    chambers = forms.ModelMultipleChoiceField(
        label=_("Chambers"),
        queryset=Chamber.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("When the audience is chosen chambers: their active members may respond."),
    )
    invitees = forms.CharField(
        label=_("Named invitees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "When the audience is named invitees: their email addresses, one per line or separated by commas."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_zone_choices,
        initial="UTC",
        help_text=_("The opening and closing times below are in this zone, and deadlines are shown in it."),
    )
    opens_at = WallClockDateTimeField(label=_("Opens"))
    closes_at = WallClockDateTimeField(label=_("Closes"), help_text=_("The deadline for responses."))
    reminder_offsets = forms.CharField(
        label=_("Reminders (days before the deadline)"),
        initial="7, 1",
        required=False,
        max_length=100,
        help_text=_("Whole numbers of days, separated by commas. Leave blank for no reminders."),
    )

    def __init__(self, *args, consultation: Consultation | None = None, **kwargs):
        if consultation is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(consultation)
        super().__init__(*args, **kwargs)
        self.add_translation_fields(consultation.content_language if consultation else "en")
        if consultation is not None:
            del self.fields["slug"]  # links to it have been shared: the address stays
        # A consultation saved with a zone no longer offered (an alias) keeps it, first in the list.
        current = self.initial.get("time_zone")
        if current and current not in zone_values(self.fields["time_zone"].choices):
            self.fields["time_zone"].choices = zone_choices(current=current)

    @staticmethod
    def initial_for(consultation: Consultation) -> dict:
        zone = consultation.time_zone
        return {
            "title": consultation.title,
            "introduction": consultation.introduction,
            "audience": consultation.audience,
            "chambers": list(consultation.chambers.all()),
            "invitees": "\n".join(consultation.invitees.order_by("email").values_list("email", flat=True)),
            "time_zone": zone,
            "opens_at": utc_to_local(consultation.opens_at, zone),
            "closes_at": utc_to_local(consultation.closes_at, zone),
            "reminder_offsets": ", ".join(str(days) for days in consultation.reminder_offsets or []),
            **ConsultationForm.translation_initial(consultation),
        }

    def clean_invitees(self):
        if self.cleaned_data.get("audience") != Consultation.Audience.INVITEES:
            return []
        emails = [e.strip().lower() for e in re.split(r"[\s,;]+", self.cleaned_data["invitees"]) if e.strip()]
        if not emails:
            return []
        found = {
            member.email_lower: member
            for member in Member.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
        }
        unknown = [email for email in dict.fromkeys(emails) if email not in found]
        if unknown:
            raise ValidationError(
                _("No member has these email addresses: %(emails)s."), params={"emails": ", ".join(unknown)}
            )
        return list({member.pk: member for member in found.values()}.values())

    def clean_reminder_offsets(self):
        return offsets_from_text(self.cleaned_data["reminder_offsets"])


class SectionForm(TranslationsFormMixin, forms.Form):
    translatable = ("title", "body")

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text of the section"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=MARKDOWN_HELP,
    )
    mode = forms.ChoiceField(
        label=_("How respondents answer"),
        choices=ConsultationSection.Mode.choices,
        initial=ConsultationSection.Mode.RANK,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, original: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.add_translation_fields(original)


class OptionForm(TranslationsFormMixin, forms.Form):
    translatable = ("title", "description")

    code = forms.CharField(
        label=_("Code"), max_length=12, help_text=_("A, B, C… or 1, 2, 3…: unique within the section.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )

    def __init__(self, *args, original: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.add_translation_fields(original)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class PublishForm(forms.Form):
    action = forms.ChoiceField(choices=[("publish", _("Publish")), ("unpublish", _("Unpublish"))])


class ExtensionGrantForm(forms.Form):
    """A personal deadline typed in the consultation's zone; cleaned to an aware UTC datetime."""

    until = WallClockDateTimeField(label=_("New personal deadline"))
    reply = forms.CharField(
        label=_("Note to the respondent (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.fields["until"].help_text = _("In the consultation's time zone, %(zone)s.") % {
            "zone": consultation.time_zone
        }

    def clean_until(self):
        try:
            return local_to_utc(self.cleaned_data["until"], self.consultation.time_zone, field="until")
        except ValidationError as error:
            raise ValidationError(error.message_dict["until"]) from error


class ExtensionDeclineForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the respondent"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The respondent receives this reason by email."),
    )
