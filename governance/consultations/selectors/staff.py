"""Reads of the secretariat's consultation pages: lists with their counts, the builder, the history."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from casm.history import HistorySource, history_entries, shown_value
from casm.languages import language_name
from governance.consultations.models import (
    Consultation,
    ConsultationOption,
    ConsultationSection,
    ExtensionRequest,
    OptionPreference,
    ProposedOption,
    Response,
    SectionAnswer,
    UnclearFlag,
)
from network.models import Chamber


def _count(queryset, **filters):
    """A correlated COUNT subquery (no join fan-out between several counts)."""
    rows = queryset.filter(**filters).order_by().values("consultation").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _with_counts(queryset):
    outer = OuterRef("pk")
    return queryset.annotate(
        submitted_count=_count(Response.objects, consultation=outer, status=Response.Status.SUBMITTED),
        draft_count=_count(Response.objects, consultation=outer, status=Response.Status.DRAFT),
        pending_extensions=_count(
            ExtensionRequest.objects, consultation=outer, status=ExtensionRequest.Status.PENDING
        ),
    )


def consultation_list_for_staff(*, now=None):
    """Every consultation, newest opening first, with its state, response and pending-request counts
    (one query)."""
    return _with_counts(Consultation.objects.with_state(now)).order_by("-opens_at", "-id")


def consultation_detail_queryset():
    """The staff overview's consultation: its counts, its sections and their options (three queries
    once one is fetched). Sections and options carry ``has_answers``: whether deleting them would be
    refused.
    """
    options = ConsultationOption.objects.annotate(
        has_answers=Exists(OptionPreference.objects.filter(option=OuterRef("pk")))
        | Exists(UnclearFlag.objects.filter(option=OuterRef("pk")))
    ).order_by("order", "id")
    section = OuterRef("pk")
    sections = ConsultationSection.objects.annotate(
        has_answers=Exists(SectionAnswer.objects.filter(section=section))
        | Exists(OptionPreference.objects.filter(section=section))
        | Exists(ProposedOption.objects.filter(section=section))
        | Exists(UnclearFlag.objects.filter(option__section=section))
    ).order_by("order", "id")
    queryset = _with_counts(Consultation.objects.all()).prefetch_related(
        Prefetch("sections", queryset=sections.prefetch_related(Prefetch("options", queryset=options)))
    )
    return queryset


def missing_translations(consultation: Consultation) -> list[dict]:
    """What is not yet translated, per language: ``[{"code", "name", "items": [text, …]}]``.

    Reads the sections and options ``consultation_detail_queryset`` prefetched (no query of its own).
    Each item names the paper, section or option and its untranslated fields.
    """
    parts = [(_("The paper"), consultation)]
    for section in consultation.sections.all():
        parts.append((_("Section “%(title)s”") % {"title": section.title}, section))
        for option in section.options.all():
            parts.append((_("Option %(option)s") % {"option": option}, option))
    missing: dict[str, list[str]] = {}
    for label, item in parts:
        for code, fields in item.missing_translations().items():
            names = ", ".join(str(type(item)._meta.get_field(field).verbose_name) for field in fields)
            missing.setdefault(code, []).append(f"{label}: {names}")
    return [{"code": code, "name": language_name(code), "items": items} for code, items in missing.items()]


def extension_requests_for_staff(consultation: Consultation):
    """The consultation's requests for more time, pending first then newest, with who asked (one query)."""
    return (
        ExtensionRequest.objects.filter(consultation=consultation)
        .select_related("member__organisation", "member__sector__chamber", "decided_by")
        .annotate(
            is_pending=Case(When(status=ExtensionRequest.Status.PENDING, then=Value(1)), default=Value(0))
        )
        .order_by("-is_pending", "-created_at", "-id")
    )


def extension_request_queryset():
    """A request for more time with who asked and who decided joined (for the decision page)."""
    return ExtensionRequest.objects.select_related(
        "member__organisation", "member__sector__chamber", "decided_by"
    )


# ---------------------------------------------------------------- history


def consultation_history(consultation: Consultation, limit: int = 500) -> list[dict]:
    """Who changed what and when: the consultation, its sections and options (also deleted ones) and
    the decisions on requests for more time, newest first.

    Queries the historical tables directly, so a deleted section or option keeps its history: four
    queries, the chambers' names, and two per change of the consultation itself (its chambers then).
    """
    consultation_rows = consultation.history.select_related("history_user").order_by("history_date")
    section_rows = list(
        ConsultationSection.history.filter(consultation_id=consultation.pk)
        .select_related("history_user")
        .order_by("history_date")
    )
    option_rows = (
        ConsultationOption.history.filter(section_id__in={row.id for row in section_rows})
        .select_related("history_user")
        .order_by("history_date")
    )
    extension_rows = (
        ExtensionRequest.history.filter(consultation_id=consultation.pk)
        .select_related("history_user", "member")
        .order_by("history_date")
    )
    section_titles = {row.id: row.title for row in section_rows}
    chamber_names = dict(Chamber.objects.values_list("pk", "name"))

    def value(field, raw):
        if field == "chambers":
            raw = ", ".join(chamber_names.get(item["chamber"], "?") for item in raw or [])
        return shown_value(field, raw)

    def member_name(row):
        try:
            return row.member.full_name
        except ObjectDoesNotExist:  # the member was deleted since
            return ""

    return history_entries(
        HistorySource(
            model=Consultation,
            rows=consultation_rows,
            describe=lambda row: row.title,
            value=value,
            extra_labels={"chambers": _("chambers")},
        ),
        HistorySource(model=ConsultationSection, rows=section_rows, describe=lambda row: row.title),
        HistorySource(
            model=ConsultationOption,
            rows=option_rows,
            describe=lambda row: f"{row.code}. {row.title} ({section_titles.get(row.section_id, '')})",
        ),
        HistorySource(model=ExtensionRequest, rows=extension_rows, describe=member_name),
        limit=limit,
    )
