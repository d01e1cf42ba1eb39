"""Settings of the worker ``test_worker_crashes`` kills: the reminder worker's (mail over real SMTP), and
the broker's sweep for tasks a dead worker left unacknowledged every second instead of every 100.

The visibility timeout itself comes from the product's ``CELERY_BROKER_TRANSPORT_OPTIONS``
(``CELERY_VISIBILITY_TIMEOUT`` in the worker's environment): the test shows the worker uses it.
"""

from tests.governance.consultations.reminder_worker_settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
