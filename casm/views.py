"""Project-level views: the health check."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casm.health import health_report


@never_cache
@require_GET
def healthz(request):
    """Report database, cache and broker; 503 when any of them is down."""
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
