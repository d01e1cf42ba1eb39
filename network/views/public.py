"""Public pages of the network: the home page and the way in."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from network import selectors


@require_GET
def home(request):
    return render(request, "network/home.html", {"chambers": selectors.chambers_with_member_counts()})


@require_GET
def join(request):
    """The application form is allauth's sign-up with our extra fields."""
    return redirect("account_signup")
