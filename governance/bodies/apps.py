from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodiesConfig(AppConfig):
    name = "governance.bodies"
    label = "bodies"
    verbose_name = _("Bodies and seats")
