"""One way to show each kind of date and time, in the viewer's language.

Two places, two styles: ``long`` in sentences and facts ("1 December 2026"), ``short`` in tables
and lists ("1 Dec 2026"). A date and time always names the zone it is in, so "14:00" is never a
guess: the viewer's zone (the active one) unless a zone is given (a consultation's deadline).

The patterns are Django's localized formats (DATE_FORMAT, SHORT_DATE_FORMAT, DATETIME_FORMAT,
SHORT_DATETIME_FORMAT) of the active language; English uses the day-month-year ones of
``casm/formats/en/formats.py`` (``FORMAT_MODULE_PATH``), the other languages Django's own.
Month names come from the translations, never from code.

This package is also the ``FORMAT_MODULE_PATH`` root: ``casm.formats.<lang>.formats``.
"""

import datetime
import zoneinfo

from django.utils import timezone
from django.utils.formats import date_format

LONG, SHORT = "long", "short"
_DATE_FORMATS = {LONG: "DATE_FORMAT", SHORT: "SHORT_DATE_FORMAT"}
_DATETIME_FORMATS = {LONG: "DATETIME_FORMAT", SHORT: "SHORT_DATETIME_FORMAT"}


def _style(style: str) -> str:
    return SHORT if style == SHORT else LONG


def _zone(zone_name: str | None):
    """The zone named, the active (viewer's) zone when none is, UTC for a name not known."""
    if not zone_name:
        return timezone.get_current_timezone()
    try:
        return zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def zone_label(zone) -> str:
    """A zone by its tz database name ("America/New_York", "UTC"): exact, and the same in every
    language (the tz database has no translations; CLDR's would need another library)."""
    name = getattr(zone, "key", None) or str(zone)
    return "UTC" if name in ("UTC", "Etc/UTC", "Z") else name


def format_date(value, style: str = LONG) -> str:
    """A date (or the date of a datetime, in the viewer's zone), in the active language."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, _DATE_FORMATS[_style(style)])


def format_datetime(value, style: str = LONG, zone_name: str | None = None) -> str:
    """A date and time in ``zone_name`` (else the viewer's zone), followed by the zone's name."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.datetime):
        return format_date(value, style)
    zone = _zone(zone_name)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, zone)
    local = value.astimezone(zone)
    return f"{date_format(local, _DATETIME_FORMATS[_style(style)])} ({zone_label(zone)})"
