"""The committee's analysis of a consultation: figures, texts, individual responses, CSV and report.

Every view is behind ``analysis_required`` (staff and the committee, or an object permission on
the one consultation), which fetches the consultation with ``permissions.get_consultation_or_404``
and hands it to the view. Every view reads the same filters from GET (``filters.AnalysisFilter``)
and applies them to all it shows.
Only reads here: the figures come from ``governance.consultations.selectors.analysis``.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from casm.csv import csv_download
from governance.consultations.filters import AnalysisFilter, filters_querystring
from governance.consultations.permissions import (
    ANALYSE,
    analysis_required,
    get_option_or_404,
    get_response_or_404,
    get_section_or_404,
)
from governance.consultations.selectors import analysis as selectors

TEXTS_PAGE_SIZE = 25
RESPONSES_PAGE_SIZE = 50
PROPOSED_PAGE_SIZE = 20
# Proposals shown in each group on the analysis page (the printable report shows every one).
PROPOSALS_SHOWN_PER_GROUP = 5


def _filtered(request, consultation):
    """The bound filters and the valid values chosen (one query, and one per chosen chamber or sector)."""
    filterset = AnalysisFilter(request.GET, countries=selectors.analysis_countries(consultation))
    return filterset, filterset.values()


def _context(consultation, filterset, filters, **extra) -> dict:
    return {
        "consultation": consultation,
        "filter_form": filterset.form,
        "filterset": filterset,
        "filters": filters,
        "filter_query": filterset.querystring(),
        **extra,
    }


@require_GET
@analysis_required
def analysis(request, consultation):
    """Per section: first choices and rankings per option, overall, by chamber and by sector.

    Queries, whatever the number of responses: the viewer's session, account and rights; the
    consultation; the filter's countries and its chamber and sector options (plus one per chosen
    chamber or sector, to validate it); the figures of ``consultation_analysis`` (a fixed number);
    and the proposed options, grouped when they say the same thing (the ids and titles of all of
    them, then the rows of the page's groups).
    """
    filterset, filters = _filtered(request, consultation)
    figures = selectors.consultation_analysis(consultation, filters=filters)
    groups = selectors.proposed_option_groups(consultation, filters=filters, load=False)
    page = Paginator(groups, PROPOSED_PAGE_SIZE).get_page(request.GET.get("proposed_page"))
    selectors.proposal_groups_load(consultation, page.object_list, per_group=PROPOSALS_SHOWN_PER_GROUP)
    context = _context(
        consultation,
        filterset,
        filters,
        analysis=figures,
        proposal_count=sum(group.count for group in groups),
        proposed_page=page,
        report_url=_report_url(consultation, filters),
    )
    return render(request, "consultations/analysis/analysis.html", context)


def _report_url(consultation, filters) -> str:
    """Where every proposal is: the printable report with the same filters, at its proposals."""
    query = filters_querystring(filters)
    path = reverse("consultations:consultation_report", args=[consultation.slug])
    return f"{path}{'?' + query if query else ''}#proposed-heading"


@require_GET
@analysis_required
def report(request, consultation):
    """The whole analysis on one printable page: every unclear flag and proposal (grouped), more rationale."""
    filterset, filters = _filtered(request, consultation)
    figures = selectors.consultation_analysis(
        consultation, filters=filters, rationale_limit=10, unclear_limit=None, comment_limit=10
    )
    context = _context(
        consultation,
        filterset,
        filters,
        analysis=figures,
        proposed_groups=selectors.proposed_option_groups(consultation, filters=filters),
        generated_at=timezone.now(),
    )
    return render(request, "consultations/analysis/report.html", context)


@require_GET
@analysis_required
def option_rationale(request, consultation, option_id):
    """All the rationale for one option (from respondents who put it first) and its unclear flags."""
    filterset, filters = _filtered(request, consultation)
    option = get_option_or_404(request.user, option_id, ANALYSE, slug=consultation.slug)
    rationale = Paginator(selectors.option_rationale(consultation, option, filters=filters), TEXTS_PAGE_SIZE)
    unclear = Paginator(
        selectors.option_unclear_flags(consultation, option, filters=filters), TEXTS_PAGE_SIZE
    )
    context = _context(
        consultation,
        filterset,
        filters,
        option=option,
        section=option.section,
        rationale_page=rationale.get_page(request.GET.get("page")),
        unclear_page=unclear.get_page(request.GET.get("unclear_page")),
    )
    return render(request, "consultations/analysis/option_rationale.html", context)


@require_GET
@analysis_required
def section_comments(request, consultation, section_id):
    """All the comments on a comment-only section (or the rationale given in any section)."""
    filterset, filters = _filtered(request, consultation)
    section = get_section_or_404(request.user, section_id, ANALYSE, slug=consultation.slug)
    comments = Paginator(selectors.section_comments(consultation, section, filters=filters), TEXTS_PAGE_SIZE)
    context = _context(
        consultation, filterset, filters, section=section, page=comments.get_page(request.GET.get("page"))
    )
    return render(request, "consultations/analysis/section_comments.html", context)


@require_GET
@analysis_required
def general_comments(request, consultation):
    """All the general comments, newest first."""
    filterset, filters = _filtered(request, consultation)
    comments = Paginator(selectors.general_comments(consultation, filters=filters), TEXTS_PAGE_SIZE)
    context = _context(consultation, filterset, filters, page=comments.get_page(request.GET.get("page")))
    return render(request, "consultations/analysis/general_comments.html", context)


@require_GET
@analysis_required
def responses(request, consultation):
    """Individual submitted responses, newest first, filtered like the analysis.

    Queries, whatever the number of responses: the viewer's session, account and rights; the
    consultation; the filter's options; the paginator's count and one page of responses with
    respondent, organisation, chamber and sector joined.
    """
    filterset, filters = _filtered(request, consultation)
    page = Paginator(
        selectors.analysis_responses(consultation, filters=filters), RESPONSES_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/analysis/responses.html",
        _context(consultation, filterset, filters, page=page),
    )


@require_GET
@analysis_required
def response_detail(request, consultation, pk):
    """One submitted response as its respondent gave it, section by section."""
    response = get_response_or_404(
        request.user, pk, consultation=consultation, queryset=selectors.analysis_response_queryset()
    )
    sections, whole_paper = selectors.response_by_section(consultation, response)
    context = {
        "consultation": consultation,
        "response": response,
        "sections": sections,
        "whole_paper_proposals": whole_paper,
    }
    return render(request, "consultations/analysis/response_detail.html", context)


@require_GET
@analysis_required
def export_csv(request, consultation):
    """One row per response and section, streamed as it is read (UTF-8 with a BOM, for spreadsheets)."""
    _filterset, filters = _filtered(request, consultation)
    rows = selectors.consultation_export_rows(consultation, filters=filters)
    return csv_download(rows, filename=f"{consultation.slug}-responses-{timezone.now():%Y%m%d-%H%M}.csv")
