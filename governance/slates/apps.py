from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlatesConfig(AppConfig):
    name = "governance.slates"
    label = "slates"
    verbose_name = _("Slates and endorsements")

    def ready(self):
        from governance.slates import notices
        from governance.slates.dashboard import nominations_panel
        from network.dashboard import register_panel

        notices.register()
        # The member's page shows the nominations they are asked to accept, without the network importing us.
        register_panel(nominations_panel)

        from governance.slates import notices_endorsement
        from governance.slates.dashboard_endorsement import endorsement_windows_panel
        from network.dashboard import register_panel

        notices_endorsement.register()
        # The member's page shows the windows they are invited to, without the network importing us.
        register_panel(endorsement_windows_panel)
