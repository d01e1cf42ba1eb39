"""Settings of the benchmarks: the project's base settings, a floor view, served by gunicorn.

Tasks run in-process (the benchmark times the import itself, not a queue) and database
connections persist between requests, as a deployment would configure them.
"""

import warnings

from casm.env import env_int
from casm.settings.base import *  # noqa: F403
from casm.settings.base import DATABASES

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# The benchmark serves no static files of its own; whitenoise need not warn about the missing directory.
warnings.filterwarnings("ignore", message="No directory at")
