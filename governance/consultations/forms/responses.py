"""The response form: built from the paper's sections and options, plain HTML, no JavaScript needed.

The form checks types and lengths only; the rules of an answer (ranks without gaps, a rationale for
each preference…) are ``services.responses.response_save``'s. The form hands it values
(``to_values``) and puts its errors, keyed by places in those values, beside its own fields
(``add_service_errors``).
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.consultations.models import ConsultationSection
from governance.consultations.services.responses import (
    Place,
    ProposalValues,
    ResponseValues,
    SectionValues,
    UnclearValues,
    values_from_json,
)

Mode = ConsultationSection.Mode
BLANK_PROPOSAL_ROWS = 3
MAX_PROPOSAL_ROWS = 30
TEXT_MAX = 10000


def _textarea(rows=4, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


@dataclass
class OptionFields:
    option: object
    choice: forms.BoundField | None  # rank <select> or pick checkbox; None in comment sections
    unclear: forms.BoundField
    unclear_text: forms.BoundField


@dataclass
class SectionFields:
    section: object
    options: list = field(default_factory=list)
    rationale: forms.BoundField | None = None
    errors: list = field(default_factory=list)


class ResponseForm(forms.Form):
    """One form for the whole answer; ``sections`` come with their options prefetched."""

    proposed_rows = forms.IntegerField(
        min_value=0, max_value=MAX_PROPOSAL_ROWS, required=False, widget=forms.HiddenInput
    )
    general_comments = forms.CharField(
        label=_("General comments"),
        required=False,
        max_length=TEXT_MAX * 2,
        widget=_textarea(6),
        help_text=_("Anything else you would like the steering committee to know."),
    )
    is_public = forms.BooleanField(
        label=_("Publish my response"),
        required=False,
        help_text=_(
            "Your response then appears, with your name and organisation (never your email address), "
            "on the consultation's public responses page. "
            "Otherwise only the secretariat and the committee see it."
        ),
    )

    def __init__(self, *args, sections, organisation=None, proposal_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        self.organisation = organisation
        self.section_errors: dict[int, list[str]] = {}  # problems with a section's preferences
        self._field_of_place: dict[str, str] = {}
        section_choices = [("", _("The paper as a whole"))] + [
            (str(section.pk), str(section.localized("title"))) for section in sections
        ]
        for section in sections:
            options = list(section.options.all())
            for option in options:
                name = f"{option.code}. {option.localized('title')}"
                if section.mode == Mode.RANK:
                    self.fields[f"rank-{option.pk}"] = forms.TypedChoiceField(
                        label=_("Your rank for %(option)s") % {"option": name},
                        choices=[("", _("Not ranked"))]
                        + [(str(n), str(n)) for n in range(1, len(options) + 1)],
                        coerce=int,
                        empty_value=None,
                        required=False,
                    )
                elif section.mode == Mode.PICK:
                    self.fields[f"pick-{option.pk}"] = forms.BooleanField(
                        label=_("I prefer %(option)s") % {"option": name}, required=False
                    )
                self.fields[f"unclear-{option.pk}"] = forms.BooleanField(
                    label=_("Option %(code)s is unclear to me") % {"code": option.code}, required=False
                )
                self._field_of_place[Place.unclear(option.pk)] = f"unclear_text-{option.pk}"
                self.fields[f"unclear_text-{option.pk}"] = forms.CharField(
                    label=_("What is unclear about %(option)s?") % {"option": name},
                    required=False,
                    max_length=TEXT_MAX,
                    widget=_textarea(2),
                )
            label = (
                _("Your comments on this section")
                if section.mode == Mode.COMMENT
                else _("Why do you prefer these options? (required when you give a preference)")
            )
            self._field_of_place[Place.rationale(section.pk)] = f"rationale-{section.pk}"
            self.fields[f"rationale-{section.pk}"] = forms.CharField(
                label=label, required=False, max_length=TEXT_MAX, widget=_textarea(5)
            )
        self.proposal_count = self._proposal_count(proposal_rows)
        for row in range(self.proposal_count):
            for part in ("section", "title", "description"):
                self._field_of_place[Place.proposal(row, part)] = f"proposed-{row}-{part}"
            self.fields[f"proposed-{row}-section"] = forms.ChoiceField(
                label=_("For"), choices=section_choices, required=False
            )
            self.fields[f"proposed-{row}-title"] = forms.CharField(
                label=_("Title of the option you propose"), required=False, max_length=200
            )
            self.fields[f"proposed-{row}-description"] = forms.CharField(
                label=_("Description"), required=False, max_length=TEXT_MAX, widget=_textarea(4)
            )
        if organisation is not None:
            self._field_of_place[Place.ON_BEHALF] = "on_behalf"
            self.fields["on_behalf"] = forms.BooleanField(
                label=_("Respond on behalf of %(organisation)s") % {"organisation": organisation.name},
                required=False,
                help_text=_(
                    "You are its official contact: this will be the organisation's official response. "
                    "An organisation sends one official response."
                ),
            )
        self.initial.setdefault("proposed_rows", self.proposal_count)

    def _proposal_count(self, rows) -> int:
        """Rows shown: those the page had when posted, else what is saved plus a few blank ones."""
        if self.is_bound:
            try:
                return max(0, min(int(self.data.get("proposed_rows", "")), MAX_PROPOSAL_ROWS))
            except (TypeError, ValueError):
                return BLANK_PROPOSAL_ROWS
        return min((rows or 0) + BLANK_PROPOSAL_ROWS, MAX_PROPOSAL_ROWS)

    # ---------------------------------------------------------------- for the template

    def section_fields(self) -> list[SectionFields]:
        rows = []
        for section in self.sections:
            row = SectionFields(
                section=section,
                rationale=self[f"rationale-{section.pk}"],
                errors=self.section_errors.get(section.pk, []),
            )
            for option in section.options.all():
                choice = None
                if section.mode == Mode.RANK:
                    choice = self[f"rank-{option.pk}"]
                elif section.mode == Mode.PICK:
                    choice = self[f"pick-{option.pk}"]
                row.options.append(
                    OptionFields(
                        option=option,
                        choice=choice,
                        unclear=self[f"unclear-{option.pk}"],
                        unclear_text=self[f"unclear_text-{option.pk}"],
                    )
                )
            rows.append(row)
        return rows

    def proposal_fields(self) -> list[dict]:
        return [
            {
                "number": row + 1,
                "section": self[f"proposed-{row}-section"],
                "title": self[f"proposed-{row}-title"],
                "description": self[f"proposed-{row}-description"],
            }
            for row in range(self.proposal_count)
        ]

    @property
    def wants_submit(self) -> bool:
        """Which button was pressed: "Submit" (or "Submit my revised response"), else "Save draft"."""
        return self.data.get("action") == "submit"

    # ---------------------------------------------------------------- to and from the service

    def to_values(self) -> ResponseValues:
        """The cleaned form as the values ``response_save`` takes."""
        data = self.cleaned_data
        sections = {}
        unclear = {}
        for section in self.sections:
            values = SectionValues(rationale=data.get(f"rationale-{section.pk}", ""))
            for option in section.options.all():
                if section.mode == Mode.RANK and data.get(f"rank-{option.pk}") is not None:
                    values.ranks[option.pk] = data[f"rank-{option.pk}"]
                elif section.mode == Mode.PICK and data.get(f"pick-{option.pk}"):
                    values.picks.add(option.pk)
                flagged, text = data.get(f"unclear-{option.pk}"), data.get(f"unclear_text-{option.pk}")
                if flagged or text:
                    unclear[option.pk] = UnclearValues(flagged=bool(flagged), text=text or "")
            sections[section.pk] = values
        proposed = [
            ProposalValues(
                section_id=int(data[f"proposed-{row}-section"])
                if data.get(f"proposed-{row}-section")
                else None,
                title=data.get(f"proposed-{row}-title", ""),
                description=data.get(f"proposed-{row}-description", ""),
            )
            for row in range(self.proposal_count)
        ]
        return ResponseValues(
            sections=sections,
            unclear=unclear,
            proposed=proposed,
            general_comments=data.get("general_comments", ""),
            on_behalf=bool(data.get("on_behalf")),
            is_public=bool(data.get("is_public")),
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """Put each of the service's problems beside its field; a section's preferences beside the section."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        sections = {Place.preferences(section.pk): section.pk for section in self.sections}
        for place, errors in error.message_dict.items():
            if place in sections:
                self.section_errors.setdefault(sections[place], []).extend(errors)
            elif place in self._field_of_place:
                self.add_error(self._field_of_place[place], errors)
            else:  # the whole answer, or a place this form does not show
                self.add_error(None, errors)

    def error_summary(self) -> list[dict]:
        """Every problem once, in the page's order, each with the id of the field it belongs to.

        ``{"anchor": id or "", "label": …, "message": …}``; a problem of the whole answer has no field.
        A section's preferences link to the section's first choice.
        """
        summary = [{"anchor": "", "label": "", "message": message} for message in self.non_field_errors()]
        section_first_field = {}
        for section in self.sections:
            first = next(iter(section.options.all()), None)
            if section.mode == Mode.RANK and first is not None:
                section_first_field[section.pk] = self[f"rank-{first.pk}"].auto_id
            elif section.mode == Mode.PICK and first is not None:
                section_first_field[section.pk] = self[f"pick-{first.pk}"].auto_id
            else:
                section_first_field[section.pk] = self[f"rationale-{section.pk}"].auto_id
        field_errors = {name: errors for name, errors in self.errors.items() if name in self.fields}
        for section in self.sections:
            for message in self.section_errors.get(section.pk, []):
                summary.append(
                    {
                        "anchor": section_first_field[section.pk],
                        "label": str(section.localized("title")),
                        "message": message,
                    }
                )
            names = [name for name in self.fields if name in field_errors and self._in_section(name, section)]
            for name in names:
                summary.extend(self._field_summary(name, field_errors.pop(name)))
        for name in self.fields:  # proposals, general comments, on behalf: in the page's order
            if name in field_errors:
                summary.extend(self._field_summary(name, field_errors.pop(name)))
        return summary

    def _in_section(self, name: str, section) -> bool:
        if name == f"rationale-{section.pk}":
            return True
        kind, _, pk = name.partition("-")
        if kind not in ("rank", "pick", "unclear", "unclear_text"):
            return False
        return any(str(option.pk) == pk for option in section.options.all())

    def _field_summary(self, name: str, errors) -> list[dict]:
        bound = self[name]
        return [{"anchor": bound.auto_id, "label": bound.label, "message": message} for message in errors]

    @property
    def error_count(self) -> int:
        return sum(len(errors) for errors in self.errors.values()) + sum(
            len(errors) for errors in self.section_errors.values()
        )


def initial_from_values(values: ResponseValues, sections) -> tuple[dict, int]:
    """The form's initial values from an answer kept as values (an unsent revision)."""
    modes = {section.pk: section.mode for section in sections}
    initial = {}
    for section_id, section in values.sections.items():
        if section.rationale:
            initial[f"rationale-{section_id}"] = section.rationale
        if modes.get(section_id) == Mode.RANK:
            for option_id, rank in section.ranks.items():
                initial[f"rank-{option_id}"] = str(rank)
        elif modes.get(section_id) == Mode.PICK:
            for option_id in section.picks:
                initial[f"pick-{option_id}"] = True
    for option_id, flag in values.unclear.items():
        initial[f"unclear-{option_id}"] = flag.flagged
        initial[f"unclear_text-{option_id}"] = flag.text
    proposals = [p for p in values.proposed if p.title or p.description]
    for row, proposal in enumerate(proposals):
        initial[f"proposed-{row}-section"] = str(proposal.section_id) if proposal.section_id else ""
        initial[f"proposed-{row}-title"] = proposal.title
        initial[f"proposed-{row}-description"] = proposal.description
    initial["general_comments"] = values.general_comments
    initial["is_public"] = values.is_public
    initial["on_behalf"] = values.on_behalf
    return initial, len(proposals)


def initial_from_response(response, sections) -> tuple[dict, int]:
    """The form's initial values from a saved response (drafts come back as they were left).

    A submitted response with an unsent revision comes back as that revision.
    """
    initial = {}
    if response is None:
        return initial, 0
    if response.revision_draft is not None:
        return initial_from_values(values_from_json(response.revision_draft), sections)
    for answer in response.answers.all():
        initial[f"rationale-{answer.section_id}"] = answer.rationale
    modes = {section.pk: section.mode for section in sections}
    for preference in response.preferences.all():
        if modes.get(preference.section_id) == Mode.RANK:
            initial[f"rank-{preference.option_id}"] = str(preference.rank)
        elif modes.get(preference.section_id) == Mode.PICK:
            initial[f"pick-{preference.option_id}"] = True
    for flag in response.unclear_flags.all():
        initial[f"unclear-{flag.option_id}"] = True
        initial[f"unclear_text-{flag.option_id}"] = flag.text
    proposals = list(response.proposed_options.all())
    for row, proposal in enumerate(proposals):
        initial[f"proposed-{row}-section"] = str(proposal.section_id) if proposal.section_id else ""
        initial[f"proposed-{row}-title"] = proposal.title
        initial[f"proposed-{row}-description"] = proposal.description
    initial["general_comments"] = response.general_comments
    initial["is_public"] = response.is_public
    initial["on_behalf"] = response.on_behalf_of_id is not None
    return initial, len(proposals)


class ExtensionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need more time?"),
        max_length=5000,
        widget=_textarea(5),
        error_messages={"required": _("Say why you need more time.")},
    )
