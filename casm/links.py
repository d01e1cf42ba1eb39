"""Links to the portal in mail and exports, built from one setting (``SITE_URL``)."""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str = "/") -> str:
    """``path`` on the portal as a full address: ``absolute_url("/me/")`` → ``https://portal.example/me/``.

    ``SITE_URL`` is read at call time (``make demo`` sets it from its port), with or without a
    trailing slash.
    """
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def absolute_reverse(viewname: str, *args) -> str:
    """The full address of a named URL: ``absolute_reverse("network:me")``."""
    return absolute_url(reverse(viewname, args=args or None))
