"""The rate limit: at most OUTBOX_RATE_LIMIT messages per second towards the SMTP server."""

import time

import pytest

from casm.outbox.services.delivery import outbox_send_due
from casm.outbox.services.rate import rate_slot_wait
from tests.casm.outbox.support import queue


def _at_the_start_of_a_second() -> None:
    """Wait for a fresh second, so the first second's slots are not cut short by a late start."""
    time.sleep(1 - time.time() % 1 + 0.01)


@pytest.mark.django_db
def test_with_a_rate_limit_of_20_fifty_messages_take_at_least_two_seconds(smtp_sink, settings):
    settings.OUTBOX_RATE_LIMIT = 20
    queue(50)
    _at_the_start_of_a_second()

    started = time.monotonic()
    report, _more = outbox_send_due()
    elapsed = time.monotonic() - started

    assert report.sent == 50 and len(smtp_sink.messages) == 50
    # 20 in the first second, 20 in the second, 10 in the third: the third second must have begun.
    assert elapsed >= 1.9


def test_rate_slot_wait_without_a_limit_never_waits():
    started = time.monotonic()

    waits = [rate_slot_wait(0) for _ in range(1000)] + [rate_slot_wait(-1) for _ in range(10)]

    assert set(waits) == {0.0}
    assert time.monotonic() - started < 0.5


def test_rate_slot_wait_gives_the_second_full_seconds_slots_without_waiting_then_waits():
    _at_the_start_of_a_second()
    second = int(time.time())

    waits = [rate_slot_wait(5) for _ in range(6)]

    assert waits[:5] == [0.0] * 5
    assert waits[5] > 0 and int(time.time()) > second
