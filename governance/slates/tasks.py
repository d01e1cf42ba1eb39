"""Celery tasks of the slates app. Each takes ids and calls one service; the rules live there.

A task imports its service inside its body (a service imports its task to enqueue it). Every
batch is safe to deliver twice: invitations and outcome notices are claimed on the invitation's
row, reminders by ``EndorsementReminder``, and a window's outcome is computed once.
"""

from celery import shared_task


@shared_task(
    name="governance.slates.tasks.window_mail_batch_send_task", acks_late=True, reject_on_worker_lost=True
)
def window_mail_batch_send_task(window_id: int, kind: str, member_ids: list[int]) -> int:
    from governance.slates.services.endorsement import window_mail_batch_send

    return window_mail_batch_send(window_id=window_id, kind=kind, member_ids=member_ids)


@shared_task(name="governance.slates.tasks.windows_close_due_task")
def windows_close_due_task() -> int:
    from governance.slates.services.endorsement import windows_close_due

    return windows_close_due()


@shared_task(name="governance.slates.tasks.window_close_task", acks_late=True, reject_on_worker_lost=True)
def window_close_task(window_id: int) -> bool:
    from governance.slates.services.endorsement import window_close

    return window_close(window_id=window_id)


@shared_task(name="governance.slates.tasks.window_reminders_run_due_task")
def window_reminders_run_due_task() -> int:
    from governance.slates.services.endorsement import window_reminders_run_due

    return window_reminders_run_due()


@shared_task(
    name="governance.slates.tasks.window_reminder_batch_send_task", acks_late=True, reject_on_worker_lost=True
)
def window_reminder_batch_send_task(window_id: int, offset: int, member_ids: list[int]) -> int:
    from governance.slates.services.endorsement import window_reminder_batch_send

    return window_reminder_batch_send(window_id=window_id, offset=offset, member_ids=member_ids)
