"""Public pages of the network: the home page and the way in."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from network import selectors


@require_GET
def home(request):
    # The figures are a callable: the template's fragment cache (HOME_COUNTS_SECONDS) calls it
    # only when the cached fragment has expired, so most visits run no query at all.
    return render(
        request,
        "network/home.html",
        {"chambers": selectors.chambers_with_member_counts, "counts_seconds": settings.HOME_COUNTS_SECONDS},
    )


@require_GET
def join(request):
    """The application form is allauth's sign-up with our extra fields."""
    return redirect("account_signup")
