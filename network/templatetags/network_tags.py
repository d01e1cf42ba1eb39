"""Template helpers of the membership structure."""

from django import template

from network.models import Sector

register = template.Library()


@register.filter
def sector_place(obj) -> str:
    """Where a member (or a seat, or a sector) sits: "Small-scale miners / Producers / North".

    The chamber is left out when it bears the sector's own name (a chamber of one sector), so
    nothing reads "Civil society / Civil society"; a seat of a whole chamber shows the chamber.
    """
    if obj is None or obj == "":
        return ""
    sector = obj if isinstance(obj, Sector) else getattr(obj, "sector", None)
    chamber = getattr(obj, "chamber", None) if not isinstance(obj, Sector) else None
    if sector is None:
        return chamber.name if chamber is not None else ""
    chamber = chamber or sector.chamber
    extras = []
    if chamber is not None and chamber.name.strip().casefold() != sector.name.strip().casefold():
        extras.append(chamber.name)
    sub_chamber = getattr(obj, "sub_chamber", None)
    if sub_chamber is not None:
        extras.append(sub_chamber.name)
    return " / ".join([sector.name, *extras])
