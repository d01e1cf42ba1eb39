"""Celery tasks of the governance app. Each takes ids and calls one service; the rules live there.

The reminder batch is safe to deliver twice: with ``CELERY_TASK_ACKS_LATE`` and
``CELERY_TASK_REJECT_ON_WORKER_LOST`` a batch whose worker was killed is delivered again, and
the claims of ``reminder_batch_send`` skip everyone already claimed (at most one mail each).
"""

from celery import shared_task

from governance.consultations.services import reminders


@shared_task(name="governance.consultations.tasks.reminders_run_due_task")
def reminders_run_due_task() -> int:
    return reminders.reminders_run_due()


@shared_task(
    name="governance.consultations.tasks.reminder_batch_send_task", acks_late=True, reject_on_worker_lost=True
)
def reminder_batch_send_task(consultation_id: int, offset: int, member_ids: list[int]) -> int:
    return reminders.reminder_batch_send(
        consultation_id=consultation_id, offset=offset, member_ids=member_ids
    )
