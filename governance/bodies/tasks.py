"""Celery tasks of the bodies app. Each takes ids and calls one service; the rules live there."""

from celery import shared_task


@shared_task(name="governance.bodies.tasks.terms_end_due_task")
def terms_end_due_task() -> int:
    from governance.bodies.services.seats import terms_end_due

    return terms_end_due()
