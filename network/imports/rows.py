"""Phase 1 of an import: every row checked, every problem kept with its line and column.

Each row is checked by ``MemberRowForm``, a Django form for one CSV row. Its fields are the
``Member`` model's own (lengths, the email validator), its values are those a spreadsheet holds
(codes or English names), and the unsaved member it describes goes through ``Member.clean`` (the
sub-chamber rule), so that a member's rules are written once for the join form, the admin and the
import. What needs the database (sectors, sub-chambers, existing members) is loaded once per file
in ``Reference`` and ``existing_members``: no query per row.
"""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from casm.csv import unguard_cell
from network.models import Member, Membership, Organisation, Sector, SubChamber
from network.services.membership import ALLOWED_TRANSITIONS

BATCH_SIZE = 1000  # rows between two progress reports, and addresses per query
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
Status = Membership.Status


@dataclass
class MemberRow:
    """One checked row, ready to write."""

    line: int
    email: str
    full_name: str
    country: str
    sector: Sector
    organisation: str = ""
    organisation_type: str = ""
    organisation_size: str = ""
    sub_chamber: SubChamber | None = None
    languages: list[str] = field(default_factory=list)
    role: str = ""
    status: str = ""  # blank: new members are active, existing ones keep their status
    listed: bool | None = None  # None: new members are not listed, existing ones keep their choice


def _choice_lookup(choices) -> dict[str, str]:
    """Codes and English labels of a list of choices, lower-cased, to the code."""
    lookup = {}
    with translation.override("en"):
        for value, label in choices:
            lookup[str(value).lower()] = value
            lookup[str(label).lower()] = value
    return lookup


class Reference:
    """What the rows are checked against, loaded once (a few queries whatever the file's size)."""

    def __init__(self):
        self.sectors: dict[str, Sector] = {}
        for sector in Sector.objects.select_related("chamber"):
            self.sectors[sector.code.lower()] = sector
            self.sectors.setdefault(sector.name.strip().lower(), sector)
        # By chamber first (codes are unique within a chamber), then any chamber, so that a
        # sub-chamber of another chamber meets the rule of Member.clean rather than "unknown".
        self.sub_chambers: dict[tuple[int, str], SubChamber] = {}
        self.any_sub_chamber: dict[str, SubChamber] = {}
        for sub in SubChamber.objects.select_related("chamber"):
            for key in (sub.code.lower(), sub.name.strip().lower()):
                self.sub_chambers.setdefault((sub.chamber_id, key), sub)
                self.any_sub_chamber.setdefault(key, sub)
        self.org_types = _choice_lookup(Organisation.Type.choices)
        self.org_sizes = _choice_lookup(Organisation.Size.choices)
        self.statuses = _choice_lookup(Status.choices)
        self.languages = _choice_lookup(settings.LANGUAGES)
        self.language_order = [code for code, _label in settings.LANGUAGES]


class OneLineCharField(forms.CharField):
    """Text with runs of spaces (and line breaks) made one space, before the length is checked."""

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


def _model_field(model, name: str, **kwargs) -> forms.Field:
    """The form field the model declares for ``name`` (its length, validators, required-ness)."""
    return model._meta.get_field(name).formfield(**kwargs)


def _country_code(value: str) -> str:
    code = countries.alpha2(value) if len(value) <= 3 else ""
    if not code:
        with translation.override("en"):
            code = countries.by_name(value) or ""
    return code


class MemberRowForm(forms.Form):
    """One row of a member CSV, its cells as strings (named by the column). Fields are checked in
    this order, which is the order a row's problems are listed in."""

    email = _model_field(
        Member,
        "email",
        error_messages={
            "required": gettext_lazy("The email address is missing."),
            "invalid": gettext_lazy("“%(value)s” is not a valid email address."),
            "max_length": gettext_lazy("The email address is longer than 254 characters."),
        },
    )
    full_name = _model_field(
        Member,
        "full_name",
        form_class=OneLineCharField,
        error_messages={
            "required": gettext_lazy("The full name is missing."),
            "max_length": gettext_lazy("The full name is longer than 200 characters."),
        },
    )
    country = forms.CharField(error_messages={"required": gettext_lazy("The country is missing.")})
    sector = forms.CharField(error_messages={"required": gettext_lazy("The sector is missing.")})
    sub_chamber = forms.CharField(required=False)
    organisation = _model_field(
        Organisation,
        "name",
        form_class=OneLineCharField,
        required=False,
        error_messages={"max_length": gettext_lazy("The organisation's name is longer than 200 characters.")},
    )
    organisation_type = forms.CharField(required=False)
    organisation_size = forms.CharField(required=False)
    languages = forms.CharField(required=False)
    role = _model_field(
        Member, "role", error_messages={"max_length": gettext_lazy("The role is longer than 160 characters.")}
    )
    status = forms.CharField(required=False)
    listed = forms.CharField(required=False)

    def __init__(self, data, *, reference: Reference):
        super().__init__(data)
        self.reference = reference

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def clean_country(self):
        value = self.cleaned_data["country"]
        code = _country_code(value)
        if not code:
            raise ValidationError(
                _("Unknown country “%(value)s”: give its ISO code (GH) or English name (Ghana)."),
                params={"value": value},
            )
        return code

    def clean_sector(self):
        value = self.cleaned_data["sector"]
        sector = self.reference.sectors.get(value.lower())
        if sector is None:
            raise ValidationError(_("Unknown sector “%(value)s”."), params={"value": value})
        return sector

    def clean_languages(self):
        codes, problems = set(), []
        for item in self.cleaned_data["languages"].replace(",", ";").split(";"):
            item = item.strip()
            if not item:
                continue
            code = self.reference.languages.get(item.lower())
            if code is None:
                problems.append(ValidationError(_("Unknown language “%(value)s”."), params={"value": item}))
            else:
                codes.add(code)
        if problems:
            raise ValidationError(problems)
        return [code for code in self.reference.language_order if code in codes]

    def clean_status(self):
        value = self.cleaned_data["status"]
        if not value:
            return ""
        status = self.reference.statuses.get(value.lower())
        if not status:
            raise ValidationError(
                _("Unknown status “%(value)s”; use one of: %(choices)s."),
                params={"value": value, "choices": ", ".join(Status.values)},
            )
        return status

    def clean_listed(self):
        value = self.cleaned_data["listed"]
        if not value:
            return None
        if value.lower() in YES:
            return True
        if value.lower() in NO:
            return False
        raise ValidationError(_("Write “yes” or “no”, not “%(value)s”."), params={"value": value})

    def clean(self):
        cleaned = super().clean()
        self._clean_organisation(cleaned)
        sector, value = cleaned.get("sector"), cleaned.get("sub_chamber")
        cleaned["sub_chamber"] = None
        if value and sector is not None:
            reference = self.reference
            sub = reference.sub_chambers.get((sector.chamber_id, value.lower()))
            sub = sub or reference.any_sub_chamber.get(value.lower())
            if sub is None:
                self.add_error(
                    "sub_chamber",
                    ValidationError(
                        _("Unknown sub-chamber “%(value)s” in the chamber of sector “%(sector)s”."),
                        params={"value": value, "sector": sector.name},
                    ),
                )
            else:
                cleaned["sub_chamber"] = sub
        if sector is not None:
            # The member's own rules, as every other way in (join form, admin) applies them.
            member = Member(
                email=cleaned.get("email", ""),
                full_name=cleaned.get("full_name", ""),
                country=cleaned.get("country", ""),
                sector=sector,
                sub_chamber=cleaned.get("sub_chamber"),
                languages=cleaned.get("languages") or [],
                role=cleaned.get("role", ""),
            )
            try:
                member.clean()
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def _clean_organisation(self, cleaned) -> None:
        """Type and size only count when an organisation is named; a named one needs its type."""
        cleaned.setdefault("organisation_type", "")
        if not cleaned.get("organisation"):
            cleaned["organisation_type"] = cleaned["organisation_size"] = ""
            return
        value = cleaned.get("organisation_type", "")
        cleaned["organisation_type"] = self.reference.org_types.get(value.lower(), "")
        if not value:
            self.add_error(
                "organisation_type", _("Give the organisation type when an organisation is named.")
            )
        elif not cleaned["organisation_type"]:
            self.add_error(
                "organisation_type",
                ValidationError(_("Unknown organisation type “%(value)s”."), params={"value": value}),
            )
        value = cleaned.get("organisation_size", "")
        cleaned["organisation_size"] = Organisation.Size.SMALL
        if value:
            cleaned["organisation_size"] = self.reference.org_sizes.get(value.lower(), "")
            if not cleaned["organisation_size"]:
                self.add_error(
                    "organisation_size",
                    ValidationError(_("Unknown organisation size “%(value)s”."), params={"value": value}),
                )

    def problems(self, line: int) -> list[dict]:
        """The row's problems as the job stores them, in the order of the form's fields."""
        errors = self.errors
        found = []
        for name in [*self.fields, "__all__"]:
            for message in errors.get(name, []):
                column = "" if name == "__all__" else name
                found.append({"line": line, "column": column, "reason": str(message)})
        return found

    def row(self, line: int) -> MemberRow:
        data = self.cleaned_data
        return MemberRow(
            line=line,
            email=data["email"],
            full_name=data["full_name"],
            country=data["country"],
            sector=data["sector"],
            organisation=data["organisation"],
            organisation_type=data["organisation_type"],
            organisation_size=data["organisation_size"],
            sub_chamber=data["sub_chamber"],
            languages=data["languages"],
            role=data["role"],
            status=data["status"],
            listed=data["listed"],
        )


def existing_members(emails, *, lock: bool = False) -> dict[str, Member]:
    """Members whose address (compared case-insensitively) is among ``emails``, with their memberships."""
    emails = sorted(set(emails))
    found = {}
    base = Member.objects.annotate(email_lower=Lower("email")).select_related("membership", "organisation")
    if lock:
        base = base.select_for_update(of=("self",))
    for start in range(0, len(emails), BATCH_SIZE):
        for member in base.filter(email_lower__in=emails[start : start + BATCH_SIZE]):
            found[member.email_lower] = member
    return found


def membership_of(member: Member) -> Membership | None:
    try:
        return member.membership
    except Membership.DoesNotExist:
        return None


def transition_problem(row: MemberRow, member: Member | None) -> dict | None:
    """A status the row asks for that staff could not set by hand on the member's membership."""
    membership = membership_of(member) if member else None
    if membership is None or not row.status or row.status == membership.status:
        return None
    if row.status in ALLOWED_TRANSITIONS.get(membership.status, set()):
        return None
    return {
        "line": row.line,
        "column": "status",
        "reason": _("This member's membership is %(old)s and cannot become %(new)s.")
        % {"old": membership.get_status_display().lower(), "new": Status(row.status).label.lower()},
    }


def check_rows(header: list[str], raw_rows: list, reference: Reference, progress) -> tuple:
    """Phase 1: every row checked; returns (rows, errors), errors being every problem found."""
    errors: list[dict] = []
    rows: list[MemberRow] = []
    first_line: dict[str, int] = {}
    width = len(header)
    for done, (line, cells) in enumerate(raw_rows, start=1):
        if len(cells) != width:
            errors.append(
                {
                    "line": line,
                    "column": "",
                    "reason": _("This row has %(count)s values where the header has %(width)s columns.")
                    % {"count": len(cells), "width": width},
                }
            )
        else:
            values = {name: unguard_cell(cell) for name, cell in zip(header, cells, strict=True)}
            form = MemberRowForm(values, reference=reference)
            if not form.is_valid():
                errors.extend(form.problems(line))
            else:
                row = form.row(line)
                if row.email in first_line:
                    errors.append(
                        {
                            "line": line,
                            "column": "email",
                            "reason": _("%(email)s is already on line %(first)s of this file.")
                            % {"email": row.email, "first": first_line[row.email]},
                        }
                    )
                else:
                    first_line[row.email] = line
                    rows.append(row)
        if done % BATCH_SIZE == 0:
            progress("checking", done)
    existing = existing_members(row.email for row in rows)
    for row in rows:
        problem = transition_problem(row, existing.get(row.email))
        if problem:
            errors.append(problem)
    errors.sort(key=lambda error: error["line"] or 0)
    return rows, errors
