"""Settings shared by every environment. Every value comes from the environment (see README)."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from casm.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# ---------------------------------------------------------------- core
SECRET_KEY = env_str("SECRET_KEY", "casm-local-development-key-not-for-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_ID = 1
SITE_NAME = env_str("SITE_NAME", "CASM Portal")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")  # used in links of mail sent outside a request

INSTALLED_APPS = [
    "network.apps.PortalAdminConfig",  # django.contrib.admin with the second-factor site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "simple_history",
    "django_countries",
    "django_filters",
    "casm",
    "casm.outbox",
    "network",
    "governance.bodies",
    "governance.consultations",
    "governance.slates",
    "governance.charter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "network.middleware.SavedLanguageMiddleware",  # a member's saved language, unless they used the switcher
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "casm.urls"
WSGI_APPLICATION = "casm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casm.context_processors.portal",
            ],
        },
    },
    {
        # Plain-text mail: nothing is HTML-escaped ("A & B" stays "A & B").
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# ---------------------------------------------------------------- database
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        # A kept connection is checked before a request uses it, so a database restart costs no error.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (the demo's default) with a few people writing at once: transactions take the write
    # lock when they begin (no "database is locked" when a reader turns writer), a writer waits up
    # to 20 s for another, and readers do not block the writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- accounts
AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "network.backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions are read from the cache and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "network:me"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "network.forms.join.JoinForm"
ACCOUNT_FORMS = {"signup": "network.forms.signup.AtomicSignupForm"}
ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CASM] "
# How many reverse proxies in front of the portal set X-Forwarded-For: the client address that the
# per-address login limit counts is the one the outermost trusted proxy saw (0: no proxy).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Failed logins: at most 10 a minute from one address and 5 in 5 minutes for one account.
ACCOUNT_RATE_LIMITS = {"login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key")}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
ANONYMOUS_USER_NAME = None  # django-guardian: no anonymous user row needed
GUARDIAN_RENDER_403 = True

# ---------------------------------------------------------------- i18n
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish")), ("pt", _("Portuguese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------- date formats
# English dates day-month-year with a 24-hour clock; other languages keep Django's (casm.formats).
FORMAT_MODULE_PATH = ["casm.formats"]

# ---------------------------------------------------------------- time-zone lists
# Zones offered first in every time-zone list (casm.timezones), after UTC and the viewer's:
# those of the ASM countries the network works in. A comma-separated list of zone names.
TIME_ZONE_COMMON = env_list(
    "TIME_ZONE_COMMON",
    "Africa/Accra,Africa/Dar_es_Salaam,Africa/Kinshasa,Africa/Lubumbashi,Africa/Kampala,Africa/Lagos,"
    "Africa/Addis_Ababa,Indian/Antananarivo,Africa/Johannesburg,America/La_Paz,America/Lima,"
    "America/Bogota,America/Sao_Paulo,America/Manaus,Asia/Ulaanbaatar,Asia/Manila",
)

# ---------------------------------------------------------------- static
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# ---------------------------------------------------------------- cache, Celery
REDIS_URL = env_str("REDIS_URL", "")
# The cache may live in another Redis database than the broker, so that clearing one spares the other.
REDIS_CACHE_URL = env_str("REDIS_CACHE_URL", REDIS_URL)
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # No Redis: one process, tasks run in-process (the zero-set-up path of `make demo`).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
# Rendered fragments that are the same for every viewer of a page ({% cache … using="fragments" %}),
# kept in each process's memory: cheap to read, and allowed to be FRAGMENT_CACHE_SECONDS old.
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 300)
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "casm-fragments",
    "TIMEOUT": FRAGMENT_CACHE_SECONDS,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task whose worker died unacknowledged is handed to another worker after this many seconds (Redis
# transport; Celery's broker_transport_options, used by the workers too). It must exceed the longest
# task: an outbox sender hands over after OUTBOX_SEND_SECONDS plus one batch, a fan-out batch of 500
# or an import of 10,000 rows take seconds. A worker's stop grace period (docker-compose.yml) lies
# between the two: long enough for a running task to finish (casm/celery.py), shorter than this.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 300)}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "membership-lapse-check": {
        "task": "network.tasks.membership_lapse_due_task",
        "schedule": env_int("LAPSE_CHECK_SECONDS", 6 * 3600),
    },
    "mail-outbox": {
        "task": "casm.outbox.tasks.outbox_send_task",
        "schedule": env_int("OUTBOX_CHECK_SECONDS", 60),
    },
    "consultation-publication-notices": {
        "task": "governance.consultations.tasks.publication_notices_run_due_task",
        "schedule": env_int("PUBLICATION_CHECK_SECONDS", 15 * 60),
    },
    "consultation-reminders": {
        "task": "governance.consultations.tasks.reminders_run_due_task",
        "schedule": env_int("REMINDER_CHECK_SECONDS", 15 * 60),
    },
    "body-terms-end": {
        "task": "governance.bodies.tasks.terms_end_due_task",
        "schedule": env_int("TERM_END_CHECK_SECONDS", 3600),
    },
    "survey-reminders": {
        "task": "governance.bodies.tasks.survey_reminders_run_due_task",
        "schedule": env_int("REMINDER_CHECK_SECONDS", 15 * 60),
    },
    "endorsement-windows-close": {
        "task": "governance.slates.tasks.windows_close_due_task",
        "schedule": env_int("WINDOW_CLOSE_CHECK_SECONDS", 60),
    },
    "endorsement-reminders": {
        "task": "governance.slates.tasks.window_reminders_run_due_task",
        "schedule": env_int("REMINDER_CHECK_SECONDS", 15 * 60),
    },
}

# ---------------------------------------------------------------- email
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)  # seconds; a hung mail server defers its batch, never blocks it
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CASM Portal <noreply@casm.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox (casm.outbox): every mail is queued with its event, then delivered by the workers.
OUTBOX_RATE_LIMIT = env_int("OUTBOX_RATE_LIMIT", 50)  # messages per second, all workers together; 0: none
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 100)  # messages per lease and per SMTP connection
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300)  # a dead sender's messages go again after this
OUTBOX_SEND_SECONDS = env_int("OUTBOX_SEND_SECONDS", 60)  # a sender task then hands over to a new one
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 60)  # first retry delay, doubled per attempt
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10)  # then a transient failure counts as failed

# ---------------------------------------------------------------- portal
MEMBERS_PAGE_SIZE = env_int("MEMBERS_PAGE_SIZE", 50)
HOME_COUNTS_SECONDS = env_int("HOME_COUNTS_SECONDS", 60)
INVITATION_DAYS = env_int("INVITATION_DAYS", 14)
MEMBERSHIP_TERM_DAYS = env_int("MEMBERSHIP_TERM_DAYS", 365 * 2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
