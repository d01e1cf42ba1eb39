from django.conf import settings

from network import permissions as network_permissions


def portal(request):
    """What the base template needs on every page: the site name and the viewer's roles."""
    user = getattr(request, "user", None)
    is_secretariat = network_permissions.is_secretariat(user)
    can_view_directory = network_permissions.can_view_directory(user)
    has_member = network_permissions.member_of(user) is not None
    authenticated = bool(user is not None and user.is_authenticated)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "viewer_is_secretariat": is_secretariat,
        "viewer_can_view_directory": can_view_directory,
        # What the menu depends on, as a key for its cached rendering.
        "viewer_kind": "".join(
            "1" if flag else "0" for flag in (authenticated, has_member, can_view_directory, is_secretariat)
        ),
    }
