"""Settings of the mail benchmark (bench/mail.py) and of the Celery workers it starts.

The benchmark settings (bench.settings), with what the mail benchmark needs instead of in-process
tasks: Redis as broker (REDIS_URL) and cache (REDIS_CACHE_URL, shared by the workers' rate limit),
tasks on the benchmark's own queue (BENCH_MAIL_QUEUE, also the queue a task queued by a worker
goes to: the outbox's wake-ups and hand-overs), and mail over SMTP to the benchmark's sink
(EMAIL_HOST, EMAIL_PORT). The benchmark process and its workers use this same module, so what the
benchmark queues is what the workers consume. Its name starts with "_": CI runs every other
bench/*.py as a benchmark.
"""

from django.core.exceptions import ImproperlyConfigured

from bench.settings import *  # noqa: F403
from casm.env import env_str
from casm.settings.base import EMAIL_HOST, REDIS_URL

if not REDIS_URL or not EMAIL_HOST:
    raise ImproperlyConfigured(
        "bench._mail_settings needs REDIS_URL and EMAIL_HOST (bench/mail.py sets them)"
    )

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = env_str("BENCH_MAIL_QUEUE", "casm-bench-mail")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
