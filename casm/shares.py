"""Shares (percentages) as the portal shows them: one rounding, half up, for every figure.

``share(10, 60)`` is ``Decimal("16.7")``: the exact fraction rounded half up to one decimal place,
the way a reader rounds by hand (a float printed with a fixed number of places may be truncated,
and Python's ``round`` rounds half to even). Templates show the value with Django's
``number_format`` so that the decimal separator is the viewer's.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext

PLACES = 1


def share(count: int, total: int, *, places: int = PLACES) -> Decimal | None:
    """``count`` out of ``total`` as a percentage rounded half up to ``places``; None when total is 0."""
    if not total:
        return None
    with localcontext() as context:
        # Enough digits that the quotient of two counts is never rounded before the quantize.
        context.prec = 50
        value = Decimal(count) * 100 / Decimal(total)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def shares_add_up(values, *, to: int = 100) -> bool:
    """Whether the shown (rounded) shares ``values`` add up to exactly ``to``; None values are left out."""
    return sum((value for value in values if value is not None), Decimal(0)) == to
