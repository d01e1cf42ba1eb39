"""The Django admin's site: staff with a second factor that this session has passed, nobody else.

Installed as the default site (``network.apps.PortalAdminConfig``), so every ``admin.register``
lands here. Visitors go to allauth's login; accounts without ``is_staff`` get 403; staff without
a second factor set it up first; staff whose session did not pass it confirm it first.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from network import permissions


class SecondFactorAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return (
            super().has_permission(request)
            and permissions.has_mfa(request.user)
            and permissions.passed_second_factor(request)
        )

    def _gate(self, request):
        """None when the admin may open; else the answer (log in, 403, set up or confirm the factor)."""
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        return permissions.second_factor_redirect(request)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            return self._gate(request) or inner(request, *args, **kwargs)

        return update_wrapper(wrapper, inner)

    def login(self, request, extra_context=None):
        # Signed-in staff reaching the admin's login page are sent through the same gate.
        if request.user.is_authenticated:
            response = self._gate(request)
            if response is not None:
                return response
        return super().login(request, extra_context)
