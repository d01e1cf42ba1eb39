"""The project's URLs plus the two floors a page is compared with.

- the public floor: a bare view returning a fixed string through the project's middleware;
- the logged-in floor: the same behind login, so it also reads the session, loads the account
  through the project's authentication backend and makes one trivial query, as the least any
  page behind login does.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("floor", content_type="text/plain")


@login_required
def logged_in_floor(request):
    Group.objects.exists()
    return HttpResponse(f"floor of {request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("bench/floor", floor, name="bench_floor"),
    path("bench/floor/logged-in", logged_in_floor, name="bench_logged_in_floor"),
    path("", include("casm.urls")),
]
