from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodiesConfig(AppConfig):
    name = "governance.bodies"
    label = "bodies"
    verbose_name = _("Bodies and seats")

    def ready(self):
        from governance.bodies.dashboard import seats_falling_vacant_panel
        from network.dashboard import register_staff_panel

        # The secretariat's landing page shows seats falling vacant, without the network importing governance.
        register_staff_panel(seats_falling_vacant_panel)

        from governance.bodies import notices
        from governance.bodies.dashboard import surveys_panel
        from network.dashboard import register_panel

        notices.register()
        # The member's page shows the surveys they are asked to answer, without the network importing us.
        register_panel(surveys_panel)
