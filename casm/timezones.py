"""Time zones people choose from: canonical zones only, grouped by region, the common ones first.

``zoneinfo.available_timezones()`` also holds ~150 backward-compatible aliases and legacy names
("US/Eastern", "Etc/GMT+5", "Cuba", "EST5EDT"). The zones offered are those of the tz database's
``zone.tab`` / ``zone1970.tab`` (one or more real places per country) plus UTC; each is labelled
with its place and its country's name in the viewer's language.

Below them, the helpers of deadlines typed as wall-clock times in a named zone (``local_to_utc``,
``utc_to_local``, ``WallClockDateTimeField``), shared by every app that sets deadlines.
"""

import datetime
import functools
import os
import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
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


# ---------------------------------------------------------------- deadlines typed in a named zone
# Deadlines are typed as wall-clock times in a zone staff choose, stored in UTC and enforced on the
# server (DESIGN.md, invariant 5). Consultations and bodies' surveys share these helpers.

# Dates staff may type: far enough either way for any real deadline, and far from the ends of the
# calendar, where converting between zones overflows.
FIRST_YEAR, LAST_YEAR = 2000, 2100
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def validate_time_zone(value: str) -> None:
    """A model field validator: ``value`` is a zone of the tz database."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(zone)s is not a known time zone."), params={"zone": value})


def check_zone(zone_name: str, *, field: str = "time_zone") -> None:
    """Refuse a zone the tz database does not know, as an error of ``field``."""
    if zone_name not in zoneinfo.available_timezones():
        raise ValidationError({field: gettext("%(zone)s is not a known time zone.") % {"zone": zone_name}})


def check_year_in_range(value: datetime.datetime, *, field: str) -> None:
    """Refuse a date outside the years FIRST_YEAR to LAST_YEAR (a typing slip, or the calendar's ends)."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            {
                field: gettext("Choose a date between the years %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )


def local_to_utc(value: datetime.datetime, zone_name: str, *, field: str) -> datetime.datetime:
    """A wall-clock time in ``zone_name`` as an aware UTC datetime.

    An aware value is taken as it is. A local time that does not exist (the hour skipped when
    clocks go forward) is refused rather than silently moved, and so is a date outside the years
    FIRST_YEAR to LAST_YEAR.
    """
    check_year_in_range(value, field=field)
    if timezone.is_aware(value):
        return value.astimezone(datetime.UTC)
    zone = zoneinfo.ZoneInfo(zone_name)
    aware = value.replace(tzinfo=zone)
    if aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise ValidationError(
            {
                field: gettext(
                    "%(time)s does not exist in %(zone)s (the clocks change then). Choose another time."
                )
                % {"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone_name}
            }
        )
    return aware.astimezone(datetime.UTC)


def utc_to_local(value: datetime.datetime | None, zone_name: str) -> datetime.datetime | None:
    """An aware datetime as the naive wall-clock time in ``zone_name`` (what staff type in forms)."""
    if value is None:
        return None
    return value.astimezone(zoneinfo.ZoneInfo(zone_name)).replace(tzinfo=None)


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time without a zone (the zone is chosen beside it): returns a naive datetime."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)

    def to_python(self, value):
        with timezone.override(datetime.UTC):
            result = super().to_python(value)
        if result is not None and timezone.is_aware(result):
            result = timezone.make_naive(result, datetime.UTC)
        return result

    def prepare_value(self, value):
        return value  # a naive wall-clock time, shown as it is

    def validate(self, value):
        super().validate(value)
        # Near the ends of the calendar converting between zones overflows: refuse such dates here.
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                _("Choose a date between the years %(first)s and %(last)s."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
