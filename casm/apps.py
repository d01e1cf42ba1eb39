from django.apps import AppConfig


class CasmConfig(AppConfig):
    name = "casm"
    verbose_name = "CASM Portal"
