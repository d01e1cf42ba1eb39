from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "governance.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from governance.consultations.dashboard import open_consultations_panel
        from network.dashboard import register_panel

        # The network's member page shows what is asked of the member, without importing governance.
        register_panel(open_consultations_panel)

        from governance.consultations import notices

        notices.register()
