"""The rate limit: at most OUTBOX_RATE_LIMIT messages per second towards the SMTP server."""

import time

import pytest

from casm.outbox.services.delivery import outbox_send_due
from casm.outbox.services.rate import rate_chunk, rate_slot_wait, rate_slots_take
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


def test_slots_are_taken_a_few_at_a_time_and_never_beyond_the_seconds_rate():
    _at_the_start_of_a_second()
    second = int(time.time())

    taken = [rate_slots_take(25, 10) for _ in range(3)]
    last, waited = rate_slots_take(25, 10)

    assert [granted for granted, _w in taken] == [10, 10, 5]  # the third gets what is left of 25
    assert all(w == 0.0 for _g, w in taken)
    assert waited > 0 and int(time.time()) > second and last == 10


def test_a_sender_asks_for_a_tenth_of_the_rate_at_most_ten():
    assert [rate_chunk(r) for r in (1, 9, 20, 50, 100, 1000)] == [1, 1, 2, 5, 10, 10]
