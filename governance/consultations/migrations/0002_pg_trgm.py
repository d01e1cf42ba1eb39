# pg_trgm lets the analysis group near-identical proposed options (TrigramSimilarity).

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    """CREATE EXTENSION pg_trgm on PostgreSQL; nothing elsewhere (SQLite groups by a normalised title).

    Django's operation already skips other databases going forwards, but not backwards.
    """

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
    ]

    operations = [
        TrigramExtensionOnPostgreSQL(),
    ]
