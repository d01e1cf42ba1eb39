"""A limit on messages per second towards the SMTP server, shared by every worker through the cache.

Real providers throttle (and some block a sender that bursts). Each message takes a slot in the
current second's counter, kept in Django's default cache: Redis in production, so the limit holds
for all workers together. When the second is full, the sender waits for the next one.
"""

import time

from django.core.cache import cache

KEY = "outbox:rate:{second}"


def rate_slot_wait(rate: int) -> float:
    """Block until a slot under ``rate`` messages per second is free; return the seconds waited.

    ``rate`` 0 or less means no limit.
    """
    if rate <= 0:
        return 0.0
    waited = 0.0
    while True:
        now = time.time()
        second = int(now)
        key = KEY.format(second=second)
        cache.add(key, 0, timeout=5)
        try:
            taken = cache.incr(key)
        except ValueError:  # expired between add and incr: take the next round
            continue
        if taken <= rate:
            return waited
        pause = max(0.0, second + 1 - time.time())
        time.sleep(pause)
        waited += pause
