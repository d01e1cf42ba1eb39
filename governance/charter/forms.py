"""Forms of the secretariat's pages. They validate input; ``governance.charter.services`` decide."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from casm.content import TranslationsFormMixin
from governance.charter.models import Decision

MARKDOWN_HELP = _("Markdown: blank lines between paragraphs, *italic*, **bold**, lists with “- ”, links.")


class ConsultationChoiceField(forms.ModelChoiceField):
    """Consultations by their title in the reader's language."""

    def label_from_instance(self, obj):
        return obj.localized("title").text


class VersionForm(TranslationsFormMixin, forms.Form):
    """A new version of a document: the whole text, not only what changed."""

    translatable = ("title", "text", "summary")

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=format_lazy("{} {}", _("The whole text of the new version."), MARKDOWN_HELP),
    )
    summary = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A sentence or two for readers: what this version changes, and why."),
    )
    consultation = ConsultationChoiceField(
        label=_("Consultation that informed it"),
        queryset=None,
        required=False,
        help_text=_("Optional: the consultation whose feedback this version takes into account."),
    )

    def __init__(self, *args, original: str = "en", consultations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if consultations is None:
            del self.fields["consultation"]
        else:
            self.fields["consultation"].queryset = consultations
        self.add_translation_fields(original)


class DecisionForm(TranslationsFormMixin, forms.Form):
    translatable = ("text",)

    text = forms.CharField(
        label=_("Decision"), widget=forms.Textarea(attrs={"rows": 6}), help_text=MARKDOWN_HELP
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    method = forms.ChoiceField(
        label=_("How it was decided"), choices=Decision.Method.choices, widget=forms.RadioSelect
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, required=False)
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Decision.Visibility.choices,
        initial=Decision.Visibility.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_("Members only: active members of the network and the secretariat."),
    )

    FIGURES = ("votes_for", "votes_against", "votes_abstain")

    def __init__(self, *args, original: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.FIGURES:
            self.fields[name].help_text = _("For a vote only.")
        self.add_translation_fields(original)

    @staticmethod
    def initial_for(decision: Decision) -> dict:
        return {
            "text": decision.text,
            "decided_on": decision.decided_on,
            "method": decision.method,
            "votes_for": decision.votes_for,
            "votes_against": decision.votes_against,
            "votes_abstain": decision.votes_abstain,
            "visibility": decision.visibility,
            **DecisionForm.translation_initial(decision),
        }

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("method")
        if method == Decision.Method.VOTE:
            for name in self.FIGURES:
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("A vote is recorded with its figures."))
        elif method:
            for name in self.FIGURES:
                if cleaned.get(name) is not None:
                    self.add_error(name, _("Figures are recorded only for a vote: leave this blank."))
        return cleaned
