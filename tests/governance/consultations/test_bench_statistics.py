"""bench/consultation.py refreshes the planner's statistics of the tables the consultation app has now."""

import pytest
from django.db import connection

from casm.testing import need

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_refresh_statistics_analyzes_the_consultation_tables_that_exist():
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    from bench.consultation import refresh_statistics

    refresh_statistics()  # an ANALYZE of a missing table raises
