"""The role groups of DESIGN.md. Secretariat staff get the model rights of the network and governance apps."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["secretariat", "committee", "observer"]


def create_groups(apps, schema_editor):
    for app_label in ("network", "governance"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    secretariat = Group.objects.get(name="secretariat")
    secretariat.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["network", "governance"])
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("governance", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
