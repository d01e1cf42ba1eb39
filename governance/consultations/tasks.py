"""Celery tasks of the consultations app. Each takes ids and calls one service; the rules live there.

Tasks and services import in one direction: a service imports its task to enqueue it, and a task
imports its service inside its body (so importing this module loads no service).

The reminder and publication-notice batches are safe to deliver twice: with ``CELERY_TASK_ACKS_LATE`` and
``CELERY_TASK_REJECT_ON_WORKER_LOST`` a batch whose worker was killed is delivered again, and
the claims of ``reminder_batch_send`` skip everyone already claimed (at most one mail each).
"""

from celery import shared_task


@shared_task(name="governance.consultations.tasks.reminders_run_due_task")
def reminders_run_due_task() -> int:
    from governance.consultations.services.reminders import reminders_run_due

    return reminders_run_due()


@shared_task(
    name="governance.consultations.tasks.reminder_batch_send_task", acks_late=True, reject_on_worker_lost=True
)
def reminder_batch_send_task(consultation_id: int, offset: int, member_ids: list[int]) -> int:
    from governance.consultations.services.reminders import reminder_batch_send

    return reminder_batch_send(consultation_id=consultation_id, offset=offset, member_ids=member_ids)


@shared_task(name="governance.consultations.tasks.publication_notices_run_due_task")
def publication_notices_run_due_task() -> int:
    from governance.consultations.services.publication import publication_notices_run_due

    return publication_notices_run_due()


@shared_task(
    name="governance.consultations.tasks.publication_notice_batch_send_task",
    acks_late=True,
    reject_on_worker_lost=True,
)
def publication_notice_batch_send_task(consultation_id: int, member_ids: list[int]) -> int:
    from governance.consultations.services.publication import publication_notice_batch_send

    return publication_notice_batch_send(consultation_id=consultation_id, member_ids=member_ids)
