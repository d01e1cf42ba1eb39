"""Time zones people choose from: canonical zones only, grouped by region, the common ones first.

``zoneinfo.available_timezones()`` also holds ~150 backward-compatible aliases and legacy names
("US/Eastern", "Etc/GMT+5", "Cuba", "EST5EDT"). The zones offered are those of the tz database's
``zone.tab`` / ``zone1970.tab`` (one or more real places per country) plus UTC; each is labelled
with its place and its country's name in the viewer's language.
"""

import functools
import os
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

REGIONS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}
# Used when the tz database's tables cannot be read: area prefixes that hold only aliases.
_LEGACY_PREFIXES = ("Etc/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/", "SystemV/")


def _read_tab(name: str) -> list[tuple[str, list[str]]]:
    for directory in zoneinfo.TZPATH:
        path = os.path.join(directory, name)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                rows = [line.split("\t") for line in handle if line.strip() and not line.startswith("#")]
            return [(row[2].strip(), row[0].split(",")) for row in rows if len(row) >= 3]
    return []


@functools.cache
def _zone_countries() -> dict[str, list[str]]:
    """Each canonical zone and the countries it serves (first: the country it is named in)."""
    available = zoneinfo.available_timezones()
    zones: dict[str, list[str]] = {}
    for name in ("zone.tab", "zone1970.tab"):
        for zone, codes in _read_tab(name):
            if zone in available:
                zones.setdefault(zone, [])
                zones[zone] += [code for code in codes if code not in zones[zone]]
    if not zones:  # no tables on this machine: drop the known alias areas instead
        zones = {
            zone: []
            for zone in available
            if "/" in zone and zone.split("/")[0] in REGIONS and not zone.startswith(_LEGACY_PREFIXES)
        }
    return zones


def canonical_zones() -> set[str]:
    """The zones offered: the canonical ones and UTC."""
    return set(_zone_countries()) | {"UTC"}


def zone_option_label(zone: str) -> str:
    """ "Accra (Ghana)", "Argentina / Buenos Aires (Argentina)", "UTC": the place, then its country."""
    if zone == "UTC":
        return "UTC"
    place = zone.split("/", 1)[-1].replace("/", " / ").replace("_", " ")
    codes = _zone_countries().get(zone) or []  # zone.tab's country (the one it is named in) first
    return f"{place} ({Country(code=codes[0]).name})" if codes else place


def zone_choices(*, common=None, current: str | None = None) -> list:
    """Choices for a <select> with <optgroup>s: the common zones, then every region A–Z.

    Common: UTC, the viewer's active zone, ``current`` (the value being edited, kept even if it
    is an alias) and ``common`` (default: the setting ``TIME_ZONE_COMMON``, the zones of the
    countries the network works in).
    """
    if common is None:
        common = getattr(settings, "TIME_ZONE_COMMON", [])
    common = ["UTC", timezone.get_current_timezone_name(), current, *common]
    offered = canonical_zones()
    seen, first = set(), []
    for zone in common:
        if zone and zone not in seen and (zone in offered or zone == current):
            seen.add(zone)
            first.append((zone, zone_option_label(zone) if zone in offered else zone))
    groups = {}
    for zone in offered - {"UTC"}:
        region = zone.split("/")[0]
        if region in REGIONS:
            groups.setdefault(region, []).append((zone, zone_option_label(zone)))
    choices = [(_("Most used"), first)]
    for region in sorted(groups, key=lambda region: str(REGIONS[region])):
        choices.append((REGIONS[region], sorted(groups[region], key=lambda choice: str(choice[1]))))
    return choices


def zone_values(choices) -> set[str]:
    """Every value of ``zone_choices`` (for validation)."""
    return {value for _group, options in choices for value, _label in options}
