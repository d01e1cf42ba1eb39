"""The composition checker: does a set of members meet a body's rules?

``composition_failures(body=…, nominees=[…])`` is the one entry point. It reads the rules on the
body (``min_size`` … ``max_per_country``), counts the nominees by sector, chamber, organisation and
country, and returns one ``Failure`` per rule that fails, each with a message in the active
language ("No one from Other governments", "3 from Canada, at most 2", "10 members, at most 9").
An empty list means the nominees meet every rule.

It writes nothing and needs no request: the slate pages call it as nominees come and go, the
services call it before a slate goes further. Nominees are ``network.Member`` objects (with
``sector__chamber`` and ``organisation`` joined, or it costs a query each); they are the members
proposed for the body's seats that are not permanent (a permanent seat, such as the World Bank's,
is the organisation's, outside the count). A rule "at least N from each sector (chamber)" applies to
every sector (chamber) of the network, or to ``sectors`` (``chambers``) when given.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from network.models import Chamber, Sector


@dataclass(frozen=True)
class Failure:
    """A rule that fails: ``rule`` names it (a field of Body: "max_per_country"…), ``message`` says how."""

    rule: str
    message: str

    def __str__(self):
        return self.message


def _members(count: int, limit: int, *, at_most: bool) -> str:
    if at_most:
        return ngettext(
            "%(count)s member, at most %(limit)s", "%(count)s members, at most %(limit)s", count
        ) % {
            "count": count,
            "limit": limit,
        }
    return ngettext(
        "%(count)s member, at least %(limit)s", "%(count)s members, at least %(limit)s", count
    ) % {
        "count": count,
        "limit": limit,
    }


def _too_few(name: str, count: int, limit: int) -> str:
    if count == 0:
        return _("No one from %(name)s") % {"name": name}
    return _("%(count)s from %(name)s, at least %(limit)s") % {"count": count, "name": name, "limit": limit}


def _too_many(name: str, count: int, limit: int) -> str:
    return _("%(count)s from %(name)s, at most %(limit)s") % {"count": count, "name": name, "limit": limit}


def _minimum(rule: str, limit, groups: Iterable, counts: Counter, name) -> list[Failure]:
    if limit is None:
        return []
    return [
        Failure(rule, _too_few(name(group), counts[group.pk], limit))
        for group in groups
        if counts[group.pk] < limit
    ]


def _maximum(rule: str, limit, counts: Counter, names: dict) -> list[Failure]:
    if limit is None:
        return []
    return [
        Failure(rule, _too_many(str(names[key]), count, limit))
        for key, count in sorted(counts.items(), key=lambda item: str(names[item[0]]))
        if count > limit
    ]


def composition_failures(
    *,
    body,
    nominees: Sequence,
    sectors: Iterable[Sector] | None = None,
    chambers: Iterable[Chamber] | None = None,
) -> list[Failure]:
    """Each rule of ``body`` that ``nominees`` (network.Member) fail, with a message in the active language.

    Rules, in this order: size (min, max), per sector (min for each sector, max), per chamber (min
    for each chamber, max), per organisation (max; members without one are not counted), per
    country (max). The same member twice counts once.
    """
    unique = list({member.pk: member for member in nominees}.values())
    failures: list[Failure] = []
    size = len(unique)
    if body.min_size is not None and size < body.min_size:
        failures.append(Failure("min_size", _members(size, body.min_size, at_most=False)))
    if body.max_size is not None and size > body.max_size:
        failures.append(Failure("max_size", _members(size, body.max_size, at_most=True)))

    by_sector = Counter(m.sector_id for m in unique)
    sector_of = {m.sector_id: m.sector for m in unique}
    if body.min_per_sector is not None and sectors is None:
        sectors = Sector.objects.all()
    failures += _minimum(
        "min_per_sector", body.min_per_sector, sectors or [], by_sector, Sector.localized_name
    )
    failures += _maximum(
        "max_per_sector",
        body.max_per_sector,
        by_sector,
        {k: s.localized_name() for k, s in sector_of.items()},
    )

    by_chamber = Counter(m.sector.chamber_id for m in unique)
    chamber_of = {m.sector.chamber_id: m.sector.chamber for m in unique}
    if body.min_per_chamber is not None and chambers is None:
        chambers = Chamber.objects.all()
    failures += _minimum(
        "min_per_chamber", body.min_per_chamber, chambers or [], by_chamber, Chamber.localized_name
    )
    failures += _maximum(
        "max_per_chamber",
        body.max_per_chamber,
        by_chamber,
        {k: c.localized_name() for k, c in chamber_of.items()},
    )

    by_organisation = Counter(m.organisation_id for m in unique if m.organisation_id)
    organisation_of = {m.organisation_id: m.organisation.name for m in unique if m.organisation_id}
    failures += _maximum("max_per_organisation", body.max_per_organisation, by_organisation, organisation_of)

    by_country = Counter(m.country.code for m in unique if m.country)
    country_of = {m.country.code: m.country.name for m in unique if m.country}
    failures += _maximum("max_per_country", body.max_per_country, by_country, country_of)
    return failures
