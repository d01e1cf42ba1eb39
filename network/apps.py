from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network")

    def ready(self):
        from network import notices

        notices.register()


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by a site that asks for the second factor (``network.admin_site``)."""

    default = False  # named in INSTALLED_APPS; "network" itself is NetworkConfig
    default_site = "network.admin_site.SecondFactorAdminSite"
