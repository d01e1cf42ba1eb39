"""Celery tasks of the network app. Each takes ids and calls one service; the rules live there.

Services enqueue their tasks, so a task imports its service inside its body (never at the top):
one direction of imports, and no cycle.
"""

from celery import shared_task


@shared_task(name="network.tasks.import_job_run_task")
def import_job_run_task(job_id: int) -> None:
    from network.imports.services import import_job_run

    import_job_run(job_id=job_id)


@shared_task(name="network.tasks.membership_lapse_due_task")
def membership_lapse_due_task() -> int:
    from network.services.membership import membership_lapse_due

    return membership_lapse_due()
