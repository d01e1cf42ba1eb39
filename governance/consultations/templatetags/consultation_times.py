"""Times of consultations shown in the consultation's own zone, naming the zone.

``{% load consultation_times %}{{ consultation.closes_at|in_zone:consultation.time_zone }}`` gives
"10 December 2010, 23:59 (America/New_York)", with the month in the active language.
"""

import zoneinfo

from django import template
from django.utils.formats import date_format

register = template.Library()


def format_in_zone(value, zone_name: str) -> str:
    if not value:
        return ""
    try:
        zone = zoneinfo.ZoneInfo(zone_name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone, zone_name = zoneinfo.ZoneInfo("UTC"), "UTC"
    local = value.astimezone(zone)
    return f"{date_format(local, 'j F Y, H:i')} ({zone_name or 'UTC'})"


@register.filter(name="in_zone")
def in_zone(value, zone_name):
    """An aware datetime as a date and time in ``zone_name``, followed by the zone's name."""
    return format_in_zone(value, zone_name)
