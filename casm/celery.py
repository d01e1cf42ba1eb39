"""The Celery app. Configuration comes from Django settings (CELERY_* names).

Stopping a worker
    SIGTERM to the worker's main process is Celery's warm shutdown: it stops taking tasks, lets
    the running ones finish (late acknowledgement: they are acknowledged once done), and the
    messages it had taken but not started go back to the broker. Some supervisors send SIGTERM
    to every process of the worker at once, not only to the main one: systemd (its default
    ``KillMode=control-group``), ``kill -TERM -- -PGID``, platforms that stop a whole container
    by signalling each process. In a prefork pool process, billiard's handler turns SIGTERM into
    ``SystemExit`` inside the running task: a fan-out batch was cut off half-way (reported, with
    some billiard releases, as the task's failure: acknowledged, never delivered again; with
    others, as a lost worker: delivered again), and a mail the SMTP server had accepted but the
    outbox had not yet marked was sent a second time.

    So pool processes ignore SIGTERM (``_pool_process_ignores_sigterm``), as Celery already has
    them ignore SIGINT (a Ctrl-C in a terminal reaches the whole process group) and as billiard
    has them ignore SIGTERM when ``REMAP_SIGTERM`` is set for platforms that signal every
    process. The main process alone decides: on SIGTERM, a warm shutdown; each pool process
    leaves once its running task is done. The other way round, the main process stops pool
    processes with SIGTERM in a cold shutdown (SIGQUIT to it alone) and in a revoke with
    ``terminate=True``: those now wait for the running task too. What still stops a task at
    once: SIGQUIT or SIGKILL to the whole group, the hard time limit (SIGKILL), a revoke with
    ``signal="SIGKILL"``. So the worker's stop grace period (docker-compose.yml) must fit the
    longest task, and the broker's visibility timeout exceed it (``CELERY_BROKER_TRANSPORT_OPTIONS``):
    a worker killed anyway has its unacknowledged tasks handed out again after that timeout.
"""

import os
import signal

from billiard.process import current_process
from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casm.settings.local")

app = Celery("casm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _pool_process_ignores_sigterm(**_kwargs) -> None:
    """In a prefork pool process: SIGTERM is the main process's to handle (a warm shutdown).

    Sent when the pool process has started, after Celery reset its signals; billiard keeps an
    ignored SIGTERM ignored. The solo pool sends it too, in the main process, whose SIGTERM
    handler (the warm shutdown) must stay: nothing to do there.
    """
    if current_process().name == "MainProcess":
        return
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
