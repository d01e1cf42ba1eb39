"""Project-level views: the health check, the error pages."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casm.health import health_report


@never_cache
@require_GET
def healthz(request):
    """Report database, cache and broker; 503 when any of them is down."""
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for on their own: the portal's icon."""
    return redirect(static("casm/favicon.svg"), permanent=True)


def server_error(request):
    """The 500 page in the site's frame and the viewer's language (Django's own has no request).

    If the frame itself cannot be drawn (the error may be in it), Django's plain page is the fallback.
    """
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 - whatever broke the page must not break the error page
        try:
            return defaults.server_error(request)
        except Exception:  # noqa: BLE001
            return HttpResponseServerError("Server error", content_type="text/plain")
