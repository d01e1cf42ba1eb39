"""The form of the staff mail page. It validates input; ``network.services.mail`` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RetryForm(forms.Form):
    """Which failed messages to send again: the ticked ones, or all of the notice's when none is ticked."""

    message = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    scope = forms.ChoiceField(choices=[("all", _("all failed mail")), ("chosen", _("the chosen messages"))])

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # Any whole number may be posted; the service only acts on this notice's failed messages.
        self.fields["message"].valid_value = lambda value: str(value).isdigit()

    def clean(self):
        data = super().clean()
        chosen = data.get("message") or []
        if data.get("scope") == "chosen" and not chosen:
            raise forms.ValidationError(
                _("Tick the messages to send again, or choose “Send all failed mail again”.")
            )
        data["message_ids"] = chosen if data.get("scope") == "chosen" else None
        return data

    def error_texts(self) -> list[str]:
        return [error for errors in self.errors.values() for error in errors]
