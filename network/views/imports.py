"""The secretariat's member imports (CSV in, all-or-nothing) and the members' CSV export.

Every view is behind ``secretariat_required``. The rules live in the ``network.imports`` package.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casm.csv import csv_download
from network import selectors
from network.forms.imports import ImportUploadForm
from network.imports.export import import_template_csv, member_export_rows
from network.imports.progress import import_job_progress
from network.imports.reading import MAX_ROWS
from network.imports.services import import_job_create
from network.models import ImportJob, Membership, Organisation, Sector, SubChamber
from network.permissions import secretariat_required


@secretariat_required
@require_GET
def import_list(request):
    """Recent imports, newest first (one page of jobs, without their files)."""
    page = Paginator(selectors.import_job_list(), settings.MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "network/imports/list.html", {"page": page})


def _column_help() -> dict:
    return {
        "sectors": Sector.objects.select_related("chamber").order_by("order", "name"),
        "sub_chambers": SubChamber.objects.select_related("chamber"),
        "org_types": Organisation.Type.choices,
        "org_sizes": Organisation.Size.choices,
        "statuses": Membership.Status.choices,
        "language_choices": settings.LANGUAGES,
        "max_rows": MAX_ROWS,
    }


@secretariat_required
@require_http_methods(["GET", "POST"])
def import_new(request):
    """Upload a CSV file; a refused file is explained on this page and nothing is stored."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(actor=request.user, filename=upload.name, raw_bytes=upload.read())
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request,
                _(
                    "The file %(name)s was received with %(count)s rows. Every row is checked before "
                    "anything is imported."
                )
                % {"name": job.filename, "count": job.total_rows},
            )
            return redirect(job)
    return render(request, "network/imports/new.html", {"form": form, **_column_help()})


@secretariat_required
@require_GET
def import_template(request):
    response = HttpResponse(import_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="casm-members-template.csv"'
    return response


@secretariat_required
@require_GET
def import_detail(request, pk):
    """A job's status: progress while it runs, every bad row if refused, the counts when done."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by").defer("content"), pk=pk)
    return render(
        request,
        "network/imports/detail.html",
        {
            "job": job,
            "progress": import_job_progress(job),
            "in_progress": job.status in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING),
        },
    )


@secretariat_required
@require_GET
def export_members(request):
    """The members the staff directory shows with the same filters, as CSV in the import's columns."""
    members = selectors.member_list_for_staff(filters=request.GET)
    rows = member_export_rows(members)
    return csv_download(rows, filename=f"casm-members-{timezone.localdate().isoformat()}.csv")
