"""A limit on messages per second towards the SMTP server, shared by every worker through the cache.

Real providers throttle (and some block a sender that bursts). Senders take slots in the current
second's counter, kept in Django's default cache: Redis in production, so the limit holds for all
workers together. When the second is full, the sender waits for the next one.

A sender takes a few slots at a time (at most a tenth of the rate, at most ten), so the counter
costs one cache call per few messages rather than per message; slots taken late in one second
and used early in the next let that second exceed the rate by at most that tenth.
"""

import time

from django.core.cache import cache

KEY = "outbox:rate:{second}"
MAX_CHUNK = 10


def rate_chunk(rate: int) -> int:
    """How many slots a sender asks for at once under ``rate``."""
    return max(1, min(MAX_CHUNK, rate // 10))


def rate_slots_take(rate: int, wanted: int = 1) -> tuple[int, float]:
    """Take up to ``wanted`` slots under ``rate`` messages per second, waiting for at least one.

    Returns (slots granted, seconds waited). ``rate`` 0 or less means no limit.
    """
    if rate <= 0:
        return max(1, wanted), 0.0
    wanted = max(1, min(wanted, rate))
    waited = 0.0
    while True:
        second = int(time.time())
        key = KEY.format(second=second)
        try:
            taken = cache.incr(key, wanted)
        except ValueError:  # the second's first taker
            if not cache.add(key, wanted, timeout=5):
                continue  # another sender was first: take from its counter
            taken = wanted
        granted = min(wanted, rate - (taken - wanted))
        if granted > 0:
            return granted, waited
        pause = max(0.0, second + 1 - time.time())
        time.sleep(pause)
        waited += pause


def rate_slot_wait(rate: int) -> float:
    """Block until one slot under ``rate`` messages per second is free; return the seconds waited."""
    return rate_slots_take(rate, 1)[1]
