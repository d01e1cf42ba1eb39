from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """The portal's one mail outbox: every notice is a row first, then a delivery."""

    name = "casm.outbox"
    label = "outbox"
    verbose_name = _("Mail outbox")
    default_auto_field = "django.db.models.BigAutoField"
