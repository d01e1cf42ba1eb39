from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasmConfig(AppConfig):
    name = "casm"
    verbose_name = "CASM Portal"

    def ready(self):
        from casm.roles import ensure_groups

        # Connected once for all apps; the handler acts on the apps whose rights it grants.
        post_migrate.connect(ensure_groups, dispatch_uid="casm.roles.ensure_groups")
