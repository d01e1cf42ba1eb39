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
    # Names in the reader's language (the English original when untranslated), without a note.
    if sector is None:
        return chamber.localized_name() if chamber is not None else ""
    chamber = chamber or sector.chamber
    sector_name = sector.localized_name()
    extras = []
    if chamber is not None:
        chamber_name = chamber.localized_name()
        if chamber_name.strip().casefold() != sector_name.strip().casefold():
            extras.append(chamber_name)
    sub_chamber = getattr(obj, "sub_chamber", None)
    if sub_chamber is not None:
        extras.append(str(sub_chamber.localized("name")))
    return " / ".join([sector_name, *extras])
