"""The members' CSV export, in the import's columns (an export re-imports as unchanged), and the
import template. ``casm.csv`` guards formulas and streams the download."""

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet

from network.imports.reading import COLUMNS
from network.models import Member, Membership


def member_export_rows(queryset: QuerySet[Member]) -> Iterator[list[str]]:
    """The header, then one row per member, read in chunks; ``queryset`` should join the organisation,
    sector, sub-chamber and membership (``selectors.member_list_for_staff`` does)."""
    yield list(COLUMNS)
    for member in queryset.iterator(chunk_size=2000):
        organisation = member.organisation
        try:
            membership = member.membership
        except Membership.DoesNotExist:
            membership = None
        row = [
            member.email,
            member.full_name,
            organisation.name if organisation else "",
            organisation.org_type if organisation else "",
            organisation.size if organisation else "",
            member.country.code,
            member.sector.code,
            member.sub_chamber.code if member.sub_chamber else "",
            ";".join(member.languages or []),
            member.role,
            membership.status if membership else "",
            "yes" if member.listed_in_directory else "no",
        ]
        yield [str(cell) for cell in row]


def import_template_csv() -> str:
    """The header row a file to import starts with."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMNS)
    return buffer.getvalue()
