"""Forms of the secretariat's body pages. They validate input; ``governance.bodies.services`` decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casm.content import LocalizedNameChoiceField, TranslationsFormMixin
from governance.bodies.models import Body, Seat
from governance.bodies.services.bodies import RULE_FIELDS
from network.models import Chamber, Member, Sector

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _count(label, help_text=""):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=999, help_text=help_text)


class BodyForm(TranslationsFormMixin, forms.Form):
    """A body: what it is, whom it reports to, its description and its composition rules."""

    translatable = ("description",)

    name = forms.CharField(label=_("Name"), max_length=160)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=70,
        required=False,
        help_text=_("The last part of the body's web address. Leave blank to make it from the name."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Body.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("Reports to"),
        queryset=Body.objects.all(),
        required=False,
        help_text=_("The body that appointed this one, if any (a task group reports to its committee)."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    is_active = forms.BooleanField(
        label=_("Active (shown on the public pages)"), required=False, initial=True
    )
    order = forms.IntegerField(label=_("Order in lists"), min_value=0, max_value=999, initial=0)
    min_size = _count(_("Minimum number of members"))
    max_size = _count(_("Maximum number of members"))
    min_per_sector = _count(_("At least this many from each sector"))
    max_per_sector = _count(_("At most this many from one sector"))
    min_per_chamber = _count(_("At least this many from each chamber"))
    max_per_chamber = _count(_("At most this many from one chamber"))
    max_per_organisation = _count(_("At most this many from one organisation"))
    max_per_country = _count(_("At most this many from one country"))
    term_months = _count(_("Term of office (months)"), _("Blank: terms have no set length."))
    has_chair = forms.BooleanField(label=_("Has a chair"), required=False, initial=True)
    has_vice_chair = forms.BooleanField(label=_("Has a vice-chair"), required=False)

    rule_fields = RULE_FIELDS

    def __init__(self, *args, body: Body | None = None, **kwargs):
        if body is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(body)
        super().__init__(*args, **kwargs)
        self.add_translation_fields(body.content_language if body else "en")
        if body is not None:
            # Neither itself nor a body under it (the service refuses those too).
            self.fields["parent"].queryset = Body.objects.exclude(pk=body.pk)

    @staticmethod
    def initial_for(body: Body) -> dict:
        fields = ("name", "short_name", "slug", "kind", "description", "is_active", "order", *RULE_FIELDS)
        return {
            **{name: getattr(body, name) for name in fields},
            "parent": body.parent_id,
            **BodyForm.translation_initial(body),
        }

    def rules(self):
        return [self[name] for name in self.rule_fields]


class SeatForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=120, required=False)
    sector = LocalizedNameChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False)
    chamber = LocalizedNameChoiceField(
        label=_("Chamber"),
        queryset=Chamber.objects.all(),
        required=False,
        help_text=_("For a seat of a whole chamber; a sector's seat is in its sector's chamber."),
    )
    is_permanent = forms.BooleanField(
        label=_("Permanent seat"), required=False, help_text=_("Such as the World Bank's observer seat.")
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(Seat.Role.MEMBER, Seat.Role.MEMBER.label), (Seat.Role.OBSERVER, Seat.Role.OBSERVER.label)],
    )


class AppointForm(forms.Form):
    """A member (by email address) appointed to a seat for a term."""

    email = forms.EmailField(label=_("Member's email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Seat.Role.choices, initial=Seat.Role.MEMBER)
    starts_on = forms.DateField(label=_("Term starts"), widget=DATE)
    ends_on = forms.DateField(
        label=_("Term ends"),
        widget=DATE,
        required=False,
        help_text=_("Blank: after the body's term of office, or no set end if it has none."),
    )

    def clean(self):
        cleaned = super().clean()
        email = cleaned.pop("email", None)
        if email:
            member = (
                Member.objects.annotate(email_lower=Lower("email"))
                .select_related("sector__chamber", "organisation")
                .filter(email_lower=email.lower())
                .first()
            )
            if member is None:
                self.add_error("email", ValidationError(_("No member has this email address.")))
            cleaned["member"] = member
        return cleaned


class TermEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Term ends on"), widget=DATE, initial=timezone.localdate)
