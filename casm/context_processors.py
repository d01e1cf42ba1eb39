from django.conf import settings

from network import permissions as network_permissions


def portal(request):
    """What the base template needs on every page: the site name and the viewer's roles."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "viewer_is_secretariat": network_permissions.is_secretariat(user),
        "viewer_can_view_directory": network_permissions.can_view_directory(user),
    }
