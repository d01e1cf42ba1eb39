"""The portal's URLs plus one view that fails, to see the 500 page as a visitor would."""

from django.urls import path

from casm.urls import handler500  # noqa: F401 - handler500 is read from here
from casm.urls import urlpatterns as portal_urlpatterns


def broken(request):
    raise RuntimeError("a deliberate failure for the error-page test")


urlpatterns = [*portal_urlpatterns, path("broken/", broken)]
