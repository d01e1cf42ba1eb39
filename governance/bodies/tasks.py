"""Celery tasks of the bodies app. Each takes ids and calls one service; the rules live there.

A task imports its service inside its body (a service imports its task to enqueue it). A reminder
batch is safe to deliver twice: the claims let one reminder per person and offset through.
"""

from celery import shared_task


@shared_task(name="governance.bodies.tasks.terms_end_due_task")
def terms_end_due_task() -> int:
    from governance.bodies.services.seats import terms_end_due

    return terms_end_due()


@shared_task(name="governance.bodies.tasks.survey_reminders_run_due_task")
def survey_reminders_run_due_task() -> int:
    from governance.bodies.services.survey import survey_reminders_run_due

    return survey_reminders_run_due()


@shared_task(
    name="governance.bodies.tasks.survey_reminder_batch_send_task", acks_late=True, reject_on_worker_lost=True
)
def survey_reminder_batch_send_task(survey_id: int, offset: int, member_ids: list[int]) -> int:
    from governance.bodies.services.survey import survey_reminder_batch_send

    return survey_reminder_batch_send(survey_id=survey_id, offset=offset, member_ids=member_ids)
