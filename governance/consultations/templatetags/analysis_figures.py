"""Figures of a consultation's analysis: a count with its share and a bar, drawn on the server.

``{% load analysis_figures %}{% share_cell cell "first" %}`` gives "12 (40.0 %)" followed by an
inline SVG bar (hidden from screen readers: the numbers say it all; it prints). A tag rather than
an include, because the analysis page draws hundreds of them. Shares come rounded from
``casm.shares.share`` (half up, one place); ``{{ value|percent }}`` shows one in the viewer's format.
"""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from casm.shares import PLACES

register = template.Library()

COLOURS = {"first": "#0f5e73", "ranked": "#7a4a12", "rate": "#1d6b35"}
TRACK = "#e3e8e5"
DASH = mark_safe('<span class="muted">—</span>')


@register.filter
def percent(share):
    """``16.7 %`` (a no-break space before the sign) for a share of ``casm.shares.share``; a dash for None."""
    if share is None:
        return DASH
    return format_html("{}&nbsp;%", number_format(share, PLACES))


@register.simple_tag
def share_bar(share, kind: str = "first"):
    """A 120 × 10 px bar filled to ``share`` per cent; nothing when there is no share."""
    if share is None:
        return ""
    width = f"{max(0.0, min(100.0, float(share))):.2f}"
    return format_html(
        '<svg class="bar" width="120" height="10" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false"><rect x="0" y="0" width="100" height="10" fill="{}"/>'
        '<rect x="0" y="0" width="{}" height="10" fill="{}"/></svg>',
        TRACK,
        width,
        COLOURS.get(kind, COLOURS["first"]),
    )


@register.simple_tag
def share_cell(cell, kind: str = "first"):
    """``count (share %)`` and its bar; a dash when nobody was there to count."""
    if not cell.total:
        return DASH
    return format_html(
        '<span class="figure">{} <span class="muted">({})</span></span>{}',
        cell.count,
        percent(cell.share),
        share_bar(cell.share, kind),
    )
