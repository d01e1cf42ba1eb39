from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "governance.charter"
    label = "charter"
    verbose_name = _("Ground rules, decisions and mission")
