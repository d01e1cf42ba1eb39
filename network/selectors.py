"""Reads of the network app that cross relations or need tuning."""

from collections import defaultdict

from django.db.models import Count
from django_countries import countries

from governance.models import Chamber
from network.models import Member, Membership


def chambers_with_member_counts() -> list[dict]:
    """Each chamber with its sectors and its active members counted by country (two queries)."""
    chambers = list(Chamber.objects.prefetch_related("sectors").order_by("order", "name"))
    rows = (
        Member.objects.filter(membership__status=Membership.Status.ACTIVE)
        .values("sector__chamber_id", "country")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_chamber: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        by_chamber[row["sector__chamber_id"]][row["country"]] = row["n"]
    result = []
    for chamber in chambers:
        counts = by_chamber.get(chamber.pk, {})
        by_country = sorted(
            ({"code": code, "name": countries.name(code), "count": n} for code, n in counts.items()),
            key=lambda item: (-item["count"], item["name"]),
        )
        result.append(
            {
                "chamber": chamber,
                "sectors": list(chamber.sectors.all()),
                "total": sum(counts.values()),
                "by_country": by_country,
            }
        )
    return result
