"""Checks behind /healthz: each part answers or says why not."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("value written was not read back")
    cache.delete(key)
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok (tasks run in-process)"
    from casm.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def health_report() -> dict:
    checks = {}
    for name, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as exc:  # a health check reports every failure, whatever its type
            checks[name] = f"error: {exc.__class__.__name__}: {exc}"
    status = "ok" if all(value.startswith("ok") for value in checks.values()) else "error"
    return {"status": status, "checks": checks}
