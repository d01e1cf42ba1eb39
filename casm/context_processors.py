from django.conf import settings

from network import permissions as network_permissions


def portal(request):
    """What the base template needs on every page: the site name and the viewer's roles."""
    user = getattr(request, "user", None)
    is_secretariat = network_permissions.is_secretariat(user)
    can_view_directory = network_permissions.can_view_directory(user)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "FRAGMENT_CACHE_SECONDS": settings.FRAGMENT_CACHE_SECONDS,
        "viewer_is_secretariat": is_secretariat,
        "viewer_can_view_directory": can_view_directory,
    }
