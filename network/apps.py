from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network")

    def ready(self):
        from network.caching import connect_signals

        # Cache invalidation only: no rule of the domain lives in a signal.
        connect_signals()
