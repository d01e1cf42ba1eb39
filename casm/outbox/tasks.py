"""Celery tasks of the outbox. Each calls one service; the rules live there.

``outbox_send_task`` is woken when a transaction that queued mail commits, and run by beat every
``OUTBOX_CHECK_SECONDS`` for messages whose retry time came or whose sender died. It is safe to run
many at once and to deliver twice (leases), and hands over to a fresh task when it has worked for
``OUTBOX_SEND_SECONDS``, so no task outlives the broker's visibility timeout.
"""

from celery import shared_task


@shared_task(name="casm.outbox.tasks.outbox_send_task", acks_late=True, reject_on_worker_lost=True)
def outbox_send_task() -> int:
    from casm.outbox.services.delivery import outbox_send_due

    report, more = outbox_send_due()
    if more:
        outbox_send_task.delay()
    return report.sent
