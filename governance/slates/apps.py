from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlatesConfig(AppConfig):
    name = "governance.slates"
    label = "slates"
    verbose_name = _("Slates and endorsements")
