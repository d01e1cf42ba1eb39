"""The project's URLs plus the floor: a bare view that returns a fixed string."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("floor", content_type="text/plain")


urlpatterns = [
    path("bench/floor", floor, name="bench_floor"),
    path("", include("casm.urls")),
]
