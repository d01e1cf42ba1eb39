"""Celery tasks of the network app. Each takes ids and calls one service; the rules live there."""

from celery import shared_task

from network.services import imports, membership


@shared_task(name="network.tasks.import_job_run_task")
def import_job_run_task(job_id: int) -> None:
    imports.import_job_run(job_id=job_id)


@shared_task(name="network.tasks.membership_lapse_due_task")
def membership_lapse_due_task() -> int:
    return membership.membership_lapse_due()
