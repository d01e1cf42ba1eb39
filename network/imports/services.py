"""The import's two services: staff upload a file (a pending job), a worker runs it.

An import runs in two phases. Phase 1 (``rows``) checks every row and collects every problem with
its line number; one problem and the job fails with nothing written. Phase 2 (``writing``) writes
everything in one transaction.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from network import permissions
from network.imports.progress import progress_clear, publisher
from network.imports.reading import ImportFileError, read_import_file
from network.imports.rows import Reference, check_rows
from network.imports.writing import Refused, write_rows
from network.models import ImportJob
from network.tasks import import_job_run_task


@transaction.atomic
def import_job_create(*, actor, filename: str, raw_bytes: bytes) -> ImportJob:
    """Staff upload a member CSV: a pending job, run by a worker once this transaction commits.

    A file that is not UTF-8 text, not CSV, has the wrong header or no rows is refused with
    ImportFileError and nothing is stored.
    """
    if not permissions.can_administer_members(actor):
        raise PermissionDenied(_("Only secretariat staff may import members."))
    text, _header_row, rows = read_import_file(raw_bytes)
    job = ImportJob(
        created_by=actor, filename=(filename or "members.csv")[:255], content=text, total_rows=len(rows)
    )
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    return job


def _finish(job_id: int, **values) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        finished_at=timezone.now(), updated_at=timezone.now(), **values
    )
    progress_clear(job_id)


def _failed(job_id: int, reason: str) -> None:
    _finish(job_id, status=ImportJob.Status.FAILED, errors=[{"line": None, "column": "", "reason": reason}])


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Check every row, then write them all in one transaction, or nothing if any row is wrong.

    Safe to run twice (a redelivered task): a job that is done or failed is left as it is.
    Problems are written in the language of the staff member who uploaded the file.
    """
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING]
    ).update(status=ImportJob.Status.RUNNING, processed_rows=0, updated_at=timezone.now())
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    actor = job.created_by
    language = getattr(actor, "preferred_language", None) or settings.LANGUAGE_CODE
    progress = publisher(job)
    with translation.override(language):
        try:
            _text, header, raw_rows = read_import_file(job.content.encode("utf-8"))
            rows, errors = check_rows(header, raw_rows, Reference(), progress)
            progress("checking", len(raw_rows))
        except ImportFileError as error:
            _failed(job.pk, " ".join(error.messages))
            return ImportJob.objects.get(pk=job.pk)
        if errors:
            _finish(job.pk, status=ImportJob.Status.FAILED, errors=errors, processed_rows=len(raw_rows))
            return ImportJob.objects.get(pk=job.pk)
        try:
            with transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                if locked.status != ImportJob.Status.RUNNING:
                    return locked  # another run of the same job finished it meanwhile
                counts = write_rows(locked, rows, actor=actor, progress=progress)
                ImportJob.objects.filter(pk=job.pk).update(
                    status=ImportJob.Status.DONE,
                    processed_rows=len(raw_rows),
                    created_count=counts["created"],
                    updated_count=counts["updated"],
                    unchanged_count=counts["unchanged"],
                    errors=[],
                    finished_at=timezone.now(),
                    updated_at=timezone.now(),
                )
        except Refused as refused:
            _finish(job.pk, status=ImportJob.Status.FAILED, errors=refused.errors)
        except IntegrityError:
            _failed(
                job.pk,
                _(
                    "Another change to the same members or organisations was saved while this "
                    "file was imported. Upload the file again."
                ),
            )
        except Exception:
            _failed(job.pk, _("The import stopped on an internal error."))
            raise
        progress_clear(job.pk)
    return ImportJob.objects.get(pk=job.pk)
