"""Times of consultations shown in the consultation's own zone, naming the zone.

``{% load consultation_times %}{{ consultation.closes_at|in_zone:consultation.time_zone }}`` gives
"10 December 2010, 23:59 (America/New York)" in English, "10 décembre 2010 23:59 (…)" in French:
the portal's one format for a date and time (``casm.formats``), long by default;
``|in_zone_short:zone`` is the short form for tables.
"""

from django import template

from casm.formats import LONG, SHORT, format_datetime

register = template.Library()


def format_in_zone(value, zone_name: str, style: str = LONG) -> str:
    return format_datetime(value, style, zone_name or "UTC")


@register.filter(name="in_zone")
def in_zone(value, zone_name):
    """An aware datetime as a date and time in ``zone_name``, followed by the zone's name."""
    return format_in_zone(value, zone_name)


@register.filter(name="in_zone_short")
def in_zone_short(value, zone_name):
    """The same, in the short form for tables and lists."""
    return format_in_zone(value, zone_name, SHORT)
