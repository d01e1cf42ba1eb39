"""casm.shares: every share the portal shows is rounded half up, once, in one place."""

from decimal import Decimal

import pytest

from casm.shares import share, shares_add_up


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (10, 60, "16.7"),  # 16.666…: a truncating format shows 16.6
        (1, 6, "16.7"),
        (2, 3, "66.7"),
        (1, 3, "33.3"),
        (1, 16, "6.3"),  # 6.25: half up, where rounding half to even gives 6.2
        (1, 8, "12.5"),
        (1, 40, "2.5"),
        (0, 7, "0.0"),
        (7, 7, "100.0"),
    ],
)
def test_share_rounds_half_up_to_one_place(count, total, expected):
    assert share(count, total) == Decimal(expected)
    assert str(share(count, total)) == expected


def test_share_of_nobody_is_none():
    assert share(0, 0) is None


def test_share_to_other_places():
    assert share(1, 8, places=0) == Decimal("13")
    assert share(1, 3, places=2) == Decimal("33.33")


def test_shares_add_up_compares_the_rounded_values():
    thirds = [share(1, 3)] * 3

    assert not shares_add_up(thirds)  # 99.9
    assert shares_add_up([share(1, 6), share(5, 6)])  # 16.7 + 83.3
    assert shares_add_up([share(1, 2), share(1, 2), None])
