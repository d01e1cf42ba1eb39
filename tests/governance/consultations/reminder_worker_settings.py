"""Settings of the Celery worker the reminder test starts: the test settings, mail over real SMTP.

``casm.settings.test`` keeps mail in memory; the worker is another process, so its mail must go
to the test's SMTP sink (EMAIL_HOST / EMAIL_PORT come from the environment, as in base).
"""

from casm.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
