"""How far an import job is, for its page.

Phase 1 (checking) runs outside any transaction, so the job row's ``processed_rows`` is updated as
it goes and every process sees it. Phase 2 (writing) is one transaction whose writes nobody sees
before the commit, so its progress is published through the cache (Redis in production) instead.
"""

from django.core.cache import cache

from network.models import ImportJob

PROGRESS_TIMEOUT = 24 * 3600


def progress_key(job_id: int) -> str:
    return f"network:import-job:{job_id}:progress"


def publisher(job: ImportJob):
    """A function that makes the rows done so far visible to other processes while the job runs."""

    def publish(phase: str, done: int):
        cache.set(progress_key(job.pk), {"phase": phase, "done": done}, PROGRESS_TIMEOUT)
        if phase == "checking":
            # Phase 1 runs in autocommit: this update is visible at once. Phase 2's would not be.
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    return publish


def progress_clear(job_id: int) -> None:
    cache.delete(progress_key(job_id))


def import_job_progress(job: ImportJob) -> dict:
    """Where a job is: its phase (waiting, checking, writing, finished), rows done and a percentage.

    Checking the rows counts for the first half of the bar, writing them for the second.
    """
    total = job.total_rows or 0
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return {"phase": "finished", "done": total, "total": total, "percent": 100}
    if job.status == ImportJob.Status.PENDING:
        return {"phase": "waiting", "done": 0, "total": total, "percent": 0}
    published = cache.get(progress_key(job.pk)) or {}
    phase = published.get("phase", "checking")
    done = published.get("done", 0)
    if phase == "checking":
        done = max(done, job.processed_rows)
    done = min(done, total)
    finished = done + (total if phase == "writing" else 0)
    percent = int(100 * finished / (2 * total)) if total else 0
    return {"phase": phase, "done": done, "total": total, "percent": percent}
