"""Production: behind a TLS-terminating reverse proxy, gunicorn, PostgreSQL, Redis, SMTP."""

import os

from django.core.exceptions import ImproperlyConfigured

from casm.env import env_bool, env_int

from .base import *  # noqa: F403

DEBUG = False
# Sessions, password-reset and reminder links are signed with it: a short key is a guessable key.
SECRET_KEY_MIN_LENGTH = 50
if len(os.environ.get("SECRET_KEY", "")) < SECRET_KEY_MIN_LENGTH:
    raise ImproperlyConfigured(
        f"SECRET_KEY must be set in the environment for production, at least {SECRET_KEY_MIN_LENGTH} "
        "characters long (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
SECRET_KEY = os.environ["SECRET_KEY"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probed over plain HTTP inside the deployment
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Asking browsers to preload HSTS is the operator's decision for the domain (SECURE_HSTS_PRELOAD).
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Static files, served by whitenoise from STATIC_ROOT (collectstatic runs when the image is built,
# see Dockerfile). collectstatic names each file after a hash of its content (portal.809d3cccda96.css,
# what {% static %} links to) and writes a gzip and a Brotli copy (Brotli with the `brotli` package)
# beside it; whitenoise sends the smallest the browser accepts. A hashed name never changes content, so
# whitenoise sends it with "Cache-Control: max-age=315360000, public, immutable" (its test of names in
# the manifest): a browser asks for it once. Names without a hash get WHITENOISE_MAX_AGE (60 s).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
